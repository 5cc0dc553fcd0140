import fs from 'node:fs';
import path from 'node:path';
import { findConfigIn } from '../../config/discover.js';
import { stderrColors, stdoutColors } from '../output.js';

const TEMPLATE = `import { defineConfig } from 'node-unit';

// node-unit reads pm2's ecosystem keys; run \`node-unit validate\` after each change.
export default defineConfig({
  apps: [
    {
      name: 'api',
      script: 'server.js', // a .js file, an executable, or a command such as 'npm' with args: 'start'
      env: { NODE_ENV: 'development' },
      env_production: { NODE_ENV: 'production' }, // selected with --env production
      // instances: 2,                       // cluster mode: the instances share the listening port
      // max_memory_restart: '300M',
      // watch: ['src'],
      // readiness: { http: 'http://127.0.0.1:3000/health' },
    },
    // {
    //   name: 'worker',
    //   script: 'worker.js',
    //   depends_on: { api: 'ready' },      // start once api answers its readiness probe
    //   exp_backoff_restart_delay: 100,     // back off when it keeps crashing
    // },
  ],
});
`;

export async function initCommand(options: { readonly dir?: string; readonly json?: boolean }): Promise<number> {
  const dir = path.resolve(options.dir ?? process.cwd());
  const file = path.join(dir, 'ecosystem.config.ts');
  const existing = findConfigIn(dir);
  if (existing) {
    if (options.json) process.stdout.write(`${JSON.stringify({ ok: false, message: `${path.basename(existing)} already exists`, file: existing })}\n`);
    else process.stderr.write(`${stderrColors().red('error')} ${path.basename(existing)} already exists in ${dir}; not overwriting it\n`);
    return 1;
  }
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(file, TEMPLATE, { flag: 'wx' });
  if (options.json) {
    process.stdout.write(`${JSON.stringify({ ok: true, file })}\n`);
    return 0;
  }
  const c = stdoutColors();
  process.stdout.write(`${c.green('created')} ${path.relative(process.cwd(), file) || file}\n`);
  process.stdout.write(`next: edit it, then ${c.bold('node-unit validate')} and ${c.bold('node-unit up')}\n`);
  return 0;
}
