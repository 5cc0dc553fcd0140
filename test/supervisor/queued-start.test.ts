import test from 'ava';
import { appSpec } from '../helpers/app.js';
import { harness } from '../helpers/supervisor.js';
import { waitFor } from '../helpers/wait.js';

const APPS = 60;

test('sixty apps started at once: each is starting from the moment it is asked to start, never stopped before it ran', async (t) => {
  const apps = Array.from({ length: APPS }, (_, i) => appSpec({ name: `app${String(i).padStart(2, '0')}` }));
  const h = await harness(t, apps);
  // Spawns take turns: right after the start most instances still wait for theirs, and `ls` lists them.
  const listed = await h.supervisor.list();
  t.deepEqual(listed.filter((info) => info.state.status === 'stopped').map((info) => info.id), [], 'none listed as stopped');
  t.true(listed.some((info) => info.state.status === 'starting' && info.state.pid === undefined), 'some still queued to spawn');
  await waitFor(() => apps.every((app) => h.info(`${app.name}:0`)?.state.status === 'online'), { timeoutMs: 60_000, what: `all ${APPS} online` });
  const states = h.events.flatMap((event) => (event.type === 'state' ? [event.instance] : []));
  t.deepEqual(states.filter((info) => info.state.status === 'stopped').map((info) => info.id), [], 'no state change to stopped on the way');
  for (const app of apps) {
    const own = states.filter((info) => info.id === `${app.name}:0`).map((info) => (info.state.status === 'starting' && info.state.pid === undefined ? 'queued' : info.state.status));
    t.deepEqual(own.slice(0, 3), ['queued', 'starting', 'online'], `${app.name}: queued, spawned, online`);
    t.is(h.info(`${app.name}:0`)?.state.restarts, 0, `${app.name}: its first start is not a restart`);
  }
});
