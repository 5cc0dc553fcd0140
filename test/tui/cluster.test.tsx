import test from 'ava';
import { FakeController, info, online } from './fake-controller.js';
import { master } from './fake-master.js';
import { waitFor } from '../helpers/wait.js';
import { KEY, renderApp, renderSized } from './harness.js';

const rowOf = (frame: string, node: string, app: string): string => frame.split('\n').find((line) => new RegExp(`^[ ›] ${node}\\s+${app}\\b`).test(line)) ?? '';

test.serial('on a master every node\'s apps show with a NODE column; the local ones carry the master\'s name', async (t) => {
  const controller = master();
  const app = renderApp(t, controller, { clusterPollMs: 50 });
  const frame = await app.waitFrame((f) => /sensor/.test(f) && /hub/.test(f), 'the remote apps');
  t.regex(frame, /NODE\s+NAME/);
  t.regex(rowOf(frame, 'hub', 'api'), /online\s+1001/);
  t.regex(rowOf(frame, 'nas', 'api'), /online\s+2001/);
  t.regex(rowOf(frame, 'nas', 'backup'), /stopped/);
  t.regex(rowOf(frame, 'pi', 'sensor'), /online\s+3001/);
  t.regex(frame, /3 nodes/);
  // The first list asks every node (and learns the master's name); then each online worker is asked alone.
  await waitFor(() => controller.plugin.filter((c) => c.method === 'list').length >= 5, { what: 'a few polls' });
  const selectors = controller.plugin.filter((c) => c.method === 'list').map((c) => (c.params as { node: string }).node);
  t.is(selectors[0], 'all');
  t.deepEqual(new Set(selectors.slice(1)), new Set(['nas', 'pi']));
});

test.serial('a node that goes offline or stale shows its apps as unknown on the next poll, never as stopped', async (t) => {
  const controller = master();
  const app = renderApp(t, controller, { clusterPollMs: 50 });
  await app.waitFrame((f) => /sensor/.test(f) && /hub\s+api/.test(f), 'the local and the remote apps');
  controller.nodes = controller.nodes.map((node) => (node.name === 'nas' ? { ...node, state: 'offline' } : node.name === 'pi' ? { ...node, state: 'stale' } : node));
  const frame = await app.waitFrame((f) => /unknown/.test(rowOf(f, 'pi', 'sensor')), 'pi stale');
  t.regex(rowOf(frame, 'nas', 'api'), /unknown.*node nas is offline/);
  t.regex(rowOf(frame, 'nas', 'backup'), /unknown/);
  t.notRegex(rowOf(frame, 'nas', 'api'), /2001/);
  t.regex(rowOf(frame, 'pi', 'sensor'), /node pi is stale/);
  t.regex(rowOf(frame, 'hub', 'api'), /online\s+1001/);
  t.regex(frame, /3 nodes, 1 stale, 1 offline/);
});

test.serial('d shows the nodes panel: state, RTT, last seen, version and app counts per node', async (t) => {
  const controller = master();
  const app = renderApp(t, controller, { clusterPollMs: 50 });
  await app.waitFrame((f) => /sensor/.test(f) && /hub\s+api/.test(f), 'the local and the remote apps');
  t.regex(app.frame(), /d nodes/, 'the footer says which key shows the nodes');
  app.press('d');
  const frame = await app.waitFrame((f) => /NODES/.test(f) && /d logs/.test(f), 'the nodes panel');
  t.regex(frame, /hub\s+master\s+1 running/);
  t.regex(frame, /nas\s+online\s+rtt 3 ms · seen \d+(ms|s) ago · v0\.1\.0 · 1 running, 1 not running/);
  t.regex(frame, /pi\s+online\s+rtt 12 ms/);
  controller.nodes = controller.nodes.map((node) => (node.name === 'pi' ? { ...node, state: 'offline', rttMs: undefined } : node));
  await app.waitFrame((f) => /pi\s+offline\s+seen .* 1 unknown/.test(f), 'pi offline in the panel');
  app.press('d');
  await app.waitFrame((f) => /LOGS/.test(f) && !/NODES/.test(f), 'the logs again');
  t.pass();
});

test.serial('f node:nas keeps the rows of that node only', async (t) => {
  const controller = master();
  const app = renderApp(t, controller, { clusterPollMs: 50 });
  await app.waitFrame((f) => /sensor/.test(f) && /hub\s+api/.test(f), 'the local and the remote apps');
  app.press('f', ...'node:nas', KEY.enter);
  const frame = await app.waitFrame((f) => /filter: node:nas/.test(f) && !/sensor/.test(f), 'the filtered table');
  t.truthy(rowOf(frame, 'nas', 'api'));
  t.truthy(rowOf(frame, 'nas', 'backup'));
  t.falsy(rowOf(frame, 'hub', 'api'));
});

test.serial('r and s on a remote row go through run with that node; the outcome names the node', async (t) => {
  const controller = master();
  const app = renderApp(t, controller, { clusterPollMs: 50 });
  await app.waitFrame((f) => /sensor/.test(f) && /hub\s+api/.test(f), 'the local and the remote apps');
  app.press('j', 'r');
  await app.waitFrame((f) => /restarted api on nas/.test(f), 'the remote restart');
  app.press('j', 's');
  await app.waitFrame((f) => /started backup on nas/.test(f), 'the remote start');
  controller.outcome = (node) => (node === 'pi' ? { status: 'refused', message: 'node pi refuses stop (trust.verbs)' } : { status: 'ok' });
  app.press('j', 's');
  await app.waitFrame((f) => /stop sensor on pi: refused/.test(f), 'the refusal');
  controller.outcome = () => ({ status: 'unknown', message: 'the link dropped' });
  app.press('r');
  await app.waitFrame((f) => /restart sensor on pi: unknown/.test(f), 'the unknown outcome');
  t.deepEqual(controller.runs(), [
    { node: 'nas', command: { verb: 'restart', target: 'api' } },
    { node: 'nas', command: { verb: 'start', target: 'backup' } },
    { node: 'pi', command: { verb: 'stop', target: 'sensor' } },
    { node: 'pi', command: { verb: 'restart', target: 'sensor' } },
  ]);
  t.deepEqual(controller.actions(), [], 'no local action for a remote row');
  app.press('k', 'k', 'k', 'r');
  await app.waitFrame((f) => /restarted api$/m.test(f) || /restarted api\s/.test(f), 'the local restart');
  t.deepEqual(controller.actions(), ['restart api']);
});

const remoteLine = (app: string, seq: number, line: string, index = 0) => ({ seq, id: `${app}:${index}`, app, stream: 'out', time: 0, line });

test.serial('the merged log pane shows the workers\' lines as node/app: their tails, then what follows, markers for dropped lines and links that drop', async (t) => {
  const controller = master();
  controller.tails.set('nas', [remoteLine('api', 7, 'nas api tail line')]);
  const app = renderApp(t, controller, { clusterPollMs: 50 });
  const first = await app.waitFrame((f) => /nas\/api\s*│ nas api tail line/.test(f), 'the tail of nas');
  t.regex(first, /LOGS all apps/);
  // The master answers consecutive lines as one run (their texts joined by newlines), a marker where lines were dropped.
  const run = { ...remoteLine('sensor', 3, ''), count: 2, text: 'sensor reading 42\nsensor reading 43' };
  controller.pending.set('pi', [{ kind: 'run', run }, { kind: 'dropped', count: 12 }]);
  const next = await app.waitFrame((f) => /pi\/sensor\s*│ sensor reading 42/.test(f) && /pi\/sensor\s*│ sensor reading 43/.test(f) && /\{dropped: 12\}/.test(f), 'a followed run of lines and the marker');
  t.regex(next, /nas api tail line/);
  app.press('j', KEY.enter);
  const own = await app.waitFrame((f) => /LOGS nas\/api:0/.test(f), 'the logs of api on nas');
  t.regex(own, /nas api tail line/);
  t.notRegex(own, /sensor reading/);
  app.press(KEY.tab, 'a');
  // Still online: the follow opens again on the next poll, and the tail it brings again is not shown twice.
  controller.tails.set('nas', [remoteLine('api', 7, 'nas api tail line'), remoteLine('api', 8, 'nas api after the drop')]);
  controller.pending.set('nas', [{ kind: 'note', node: 'nas', message: 'the link to node "nas" dropped; its lines stop here' }]);
  await app.waitFrame((f) => /the link to node "nas" dropped/.test(f), 'the note');
  await waitFor(() => controller.closed.includes('f-nas'), { what: 'the ended follow closed' });
  const again = await app.waitFrame((f) => /nas api after the drop/.test(f), 'the new part of the tail');
  t.is(again.split('nas api tail line').length - 1, 1);
  app.unmount();
  await waitFor(() => controller.closed.includes('f-pi'), { what: 'the follows closed when the view ends' });
});

test.serial('without federation (no plugin, or a worker) the view shows no cluster and polls nothing more', async (t) => {
  class Worker extends FakeController {
    calls_ = 0;
    async callPlugin(): Promise<unknown> {
      this.calls_++;
      throw new Error('no plugin named "federation" is loaded');
    }
  }
  const controller = new Worker([info('api', online(1001))]);
  const app = renderApp(t, controller, { clusterPollMs: 20 });
  await app.waitFrame((f) => /api/.test(f) && /LOGS/.test(f), 'the table');
  await new Promise<void>((resolve) => setImmediate(resolve));
  const frame = app.frame();
  t.notRegex(frame, /NODE/);
  t.notRegex(frame, /d nodes/);
  app.press('d');
  await app.waitFrame((f) => /no cluster/.test(f), 'the message');
  t.is(controller.calls_, 1);
});

test.serial('at 80×24 the cluster table and the help with the cluster keys fit', async (t) => {
  const controller = master();
  const app = renderSized(t, controller, 80, 24, { clusterPollMs: 50 });
  const frame = await app.waitFrame((f) => /sensor/.test(f) && /hub\s+api/.test(f), 'the local and the remote apps');
  t.true(frame.split('\n').every((line) => line.length <= 80));
  app.press('?');
  const help = await app.waitFrame((f) => /Keys/.test(f), 'the help');
  t.regex(help, /node:nas/);
  t.regex(help, /q\s+ctrl-c/);
  t.notRegex(help, /more: a taller terminal/);
});
