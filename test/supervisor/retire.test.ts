import test from 'ava';
import { LogHub } from '../../src/logs/hub.js';
import { InstanceRunner } from '../../src/supervisor/instance.js';
import { appSpec, procScript } from '../helpers/app.js';
import { isAlive } from '../helpers/proc.js';
import { waitFor } from '../helpers/wait.js';

function runner(): InstanceRunner {
  const hub = new LogHub();
  return new InstanceRunner(appSpec({ name: 'x', script: procScript('forever.js') }), 0, {
    changed: () => undefined,
    openLog: (r) => hub.open(r.id, 'x', 0, r.app.logs),
    followLines: () => () => undefined,
    blockedBy: () => undefined,
    registry: undefined,
    parentEnv: process.env,
  });
}

test('a restart under way when the supervisor shuts down ends stopped and starts nothing', async (t) => {
  const r = runner();
  r.start();
  await waitFor(() => r.state.status === 'online' && r.pid !== undefined, { what: 'online' });
  const first = r.pid ?? 0;
  const restarting = r.restart();
  r.retire();
  await restarting;
  t.false(r.wantsToRun);
  t.is(r.pid, undefined);
  t.is(r.state.status, 'stopped');
  t.false(isAlive(first));
  r.start();
  t.false(r.wantsToRun);
});
