import path from 'node:path';
import test from 'ava';
import { runCli } from '../helpers/cli.js';
import { cjsConfig, upProject } from '../helpers/control.js';
import { isAlive } from '../helpers/proc.js';
import { FIXTURES } from '../helpers/tmp.js';

test('down returns only once the supervisor process has exited', async (t) => {
  const p = await upProject(t, { 'ecosystem.config.cjs': cjsConfig([{ name: 'a', script: path.join(FIXTURES, 'procs', 'forever.js') }]) });
  await p.status('a:0', 'online');
  const pid = p.up.child.pid ?? 0;
  const down = await runCli(['down'], { cwd: p.dir });
  t.is(down.code, 0, down.stderr);
  // Checked at once, by the process table (a zombie awaiting its parent counts as exited).
  t.false(isAlive(pid), 'the supervisor is still running after down returned');
  t.regex(down.stdout, /the supervisor exited/);
});
