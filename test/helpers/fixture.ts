import { spawn } from 'node:child_process';

/**
 * Runs a fixture script that checks something on a main thread of its own (the native helper's fds must
 * not belong to a test worker) and prints one JSON object of what it saw.
 */
export async function runJsonFixture(fixture: string, env: NodeJS.ProcessEnv = {}): Promise<Record<string, unknown>> {
  const child = spawn(process.execPath, [fixture], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  if (code !== 0) throw new Error(`${fixture} exited with ${code}: ${out}`);
  const parsed: unknown = JSON.parse(out);
  if (typeof parsed !== 'object' || parsed === null) throw new Error(`${fixture} printed ${out}`);
  return { ...parsed };
}
