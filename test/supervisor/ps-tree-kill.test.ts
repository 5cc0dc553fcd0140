import { spawn } from 'node:child_process';
import test from 'ava';
import { killTreeWithPs } from '../../src/supervisor/ps-tree-kill.js';
import { isRunning } from '../../src/supervisor/proctable.js';
import { waitFor } from '../helpers/wait.js';

test('the ps fallback ends a process and the children it started', async (t) => {
  const parent = spawn('sh', ['-c', 'sleep 600 & sleep 600 & echo ready; wait'], { stdio: ['ignore', 'pipe', 'ignore'] });
  t.teardown(() => parent.kill('SIGKILL'));
  await waitFor(() => parent.stdout.read() !== null || parent.stdout.readableLength > 0, { what: 'the shell to start its children' });
  const pid = parent.pid ?? 0;
  const children = (await import('node:fs')).readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).map(Number);
  t.is(children.length, 2);
  await killTreeWithPs(pid, 'SIGKILL');
  await waitFor(() => [pid, ...children].every((child) => !isRunning(child)), { what: 'the shell and both sleeps to be gone' });
  t.pass();
});
