import test from 'ava';
import { FakeController, info, online, specFor } from './fake-controller.js';
import { master } from './fake-master.js';
import { KEY, renderApp } from './harness.js';

/** On a master: what R and S act on (asked), what the header counts, and `i` on a worker's row. */

const firstLine = (frame: string): string => frame.split('\n')[0] ?? '';

test.serial('the header counts every node\'s apps; those of a node that does not answer are unknown, not stopped', async (t) => {
  const controller = master();
  const app = renderApp(t, controller, { clusterPollMs: 50 });
  const frame = await app.waitFrame((f) => /sensor/.test(f) && /3 online/.test(firstLine(f)), 'the counts of all nodes');
  t.regex(firstLine(frame), /1 stopped/);
  t.regex(firstLine(frame), /3 nodes/);
  controller.nodes = controller.nodes.map((node) => (node.name === 'nas' ? { ...node, state: 'offline' } : node));
  const away = await app.waitFrame((f) => /2 unknown/.test(firstLine(f)), 'nas offline');
  t.regex(firstLine(away), /2 online 2 unknown/);
  t.notRegex(firstLine(away), /stopped/);
});

test.serial('R asks whether to act on this node or on all nodes: y runs locally, a runs on every node through the master', async (t) => {
  const controller = master();
  const app = renderApp(t, controller, { clusterPollMs: 50 });
  await app.waitFrame((f) => /sensor/.test(f) && /hub\s+api/.test(f), 'the local and the remote apps');
  app.press('R');
  await app.waitFrame((f) => /Restart ALL processes — y = on hub only \(this node\) · a = on all 3 nodes/.test(f), 'the question with both scopes');
  app.press('y');
  await app.waitFrame((f) => /restarted all$/m.test(f) || /restarted all\s/.test(f), 'the local restart of all');
  t.deepEqual(controller.actions(), ['restart all']);
  t.deepEqual(controller.runs(), [], 'y stays on this node');
  app.press('R');
  await app.waitFrame((f) => /a = on all 3 nodes/.test(f), 'the question again');
  app.press('a');
  await app.waitFrame((f) => /restarted all on 3 nodes: hub, nas, pi/.test(f), 'every node named');
  t.deepEqual(controller.runs(), [{ node: 'all', command: { verb: 'restart', target: 'all' } }]);
  t.deepEqual(controller.actions(), ['restart all'], 'the mesh-wide restart goes through run, not the local Controller');
});

test.serial('S on all nodes names each node that did not do it, and why, beside those that did', async (t) => {
  const controller = master();
  const app = renderApp(t, controller, { clusterPollMs: 50 });
  await app.waitFrame((f) => /sensor/.test(f) && /hub\s+api/.test(f), 'the local and the remote apps');
  controller.outcome = (node) => (node === 'pi' ? { status: 'unreachable', message: 'node "pi" is offline' } : { status: 'ok' });
  app.press('S');
  await app.waitFrame((f) => /Stop ALL processes — y = on hub only/.test(f), 'the question');
  app.press('a');
  await app.waitFrame((f) => /stop all on all nodes: pi: unreachable \(node "pi" is offline\); done on hub, nas/.test(f), 'the per-node report');
  app.press('S', 'x');
  await app.waitFrame((f) => /stop all: cancelled/.test(f), 'any other key cancels');
  t.deepEqual(controller.runs(), [{ node: 'all', command: { verb: 'stop', target: 'all' } }]);
  t.deepEqual(controller.actions(), []);
});

test.serial('without a cluster R asks as before, and a does not reach other nodes', async (t) => {
  const controller = new FakeController([info('api', online(1001))]);
  const app = renderApp(t, controller);
  await app.waitFrame((f) => /api/.test(f), 'the table');
  app.press('R');
  await app.waitFrame((f) => /Restart ALL processes\? y = yes, any other key = no/.test(f), 'the plain question');
  app.press('a');
  await app.waitFrame((f) => /restart all: cancelled/.test(f), 'a cancels without a cluster');
  t.deepEqual(controller.actions(), []);
});

test.serial('i on a worker\'s row shows its instance\'s spec, asked of that node through the master', async (t) => {
  const controller = master();
  // As JSON carries it: a default interpreter is no key at all.
  controller.remoteSpecs.set('nas/backup:0', JSON.parse(JSON.stringify(specFor('backup', { interpreter: undefined, script: 'backup.js', cwd: '/srv/nas/backup', dependsOn: [{ app: 'api', condition: 'ready' }] }))));
  const app = renderApp(t, controller, { clusterPollMs: 50 });
  await app.waitFrame((f) => /sensor/.test(f) && /hub\s+api/.test(f), 'the local and the remote apps');
  app.press('j', 'j', 'i');
  const frame = await app.waitFrame((f) => /DETAIL/.test(f) && /\/srv\/nas\/backup/.test(f), 'the remote detail');
  t.regex(frame, /nas\/backup:0 · on nas, asked through the master/);
  t.regex(frame, /command\s+backup\.js/);
  t.regex(frame, /depends on\s+api \(ready; now online\)/);
  t.deepEqual(controller.runs(), [{ node: 'nas', command: { verb: 'describe', target: 'backup:0' } }]);
  app.press(KEY.escape);
  await app.waitFrame((f) => !/DETAIL/.test(f), 'the panel closed');
  app.press('j', 'i');
  const failed = await app.waitFrame((f) => /DETAIL/.test(f) && /could not be had from pi/.test(f), 'pi has no such app');
  t.regex(failed, /the spec could not be had from pi: node pi described no instance|failed/);
});

test.serial('i on a worker\'s row whose node answers with a spec the view cannot read says so and the view keeps running', async (t) => {
  const controller = master();
  controller.remoteSpecs.set('nas/api:0', { ...specFor('api'), logs: 'nope' });
  const app = renderApp(t, controller, { clusterPollMs: 50 });
  await app.waitFrame((f) => /sensor/.test(f) && /hub\s+api/.test(f), 'the local and the remote apps');
  app.press('j', 'i');
  const frame = await app.waitFrame((f) => /DETAIL/.test(f) && /could not be had/.test(f), 'the error');
  t.regex(frame, /the spec could not be had from nas: the node's spec has no readable logs/);
});
