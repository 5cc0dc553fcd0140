import path from 'node:path';
import { PassThrough } from 'node:stream';
import test from 'ava';
import { serveControl } from '../../src/cli/control-up.js';
import { printHeadless } from '../../src/cli/headless.js';
import { tempDir } from '../helpers/tmp.js';
import { FakeController } from '../tui/fake-controller.js';

/** The subscribe options each subscription asked for. */
const subscribeOptions = (controller: FakeController): unknown[] => controller.calls.filter((call) => call.method === 'subscribe').map((call) => call.args[0]);

// A subscriber that counts as a metrics viewer keeps the supervisor sampling every 2 s; `up` without a TUI must not.
test('the headless log printer does not ask for metrics', (t) => {
  const controller = new FakeController([]);
  const stop = printHeadless(controller, { color: false, out: new PassThrough(), instanceCounts: new Map([['api', 1]]) });
  stop();
  t.deepEqual(subscribeOptions(controller), [{ metrics: false }]);
});

test("the control server's shutdown listener does not ask for metrics", async (t) => {
  const controller = new FakeController([]);
  const stateDir = path.join(tempDir('nu-subscribers-'), '.node-unit');
  const serving = await serveControl(controller, { ok: true, stateDir, project: 'p' });
  if (!serving.ok) return t.fail('the control server did not start');
  t.teardown(() => serving.server.close());
  serving.onRemoteShutdown(() => undefined);
  t.deepEqual(subscribeOptions(controller), [{ logs: 'none', metrics: false }]);
});
