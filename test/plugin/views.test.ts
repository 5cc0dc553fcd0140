import path from 'node:path';
import test, { type ExecutionContext } from 'ava';
import { connectControl } from '../../src/control/client.js';
import { startControlServer } from '../../src/control/server.js';
import { definePlugin } from '../../src/index.js';
import type { SupervisorEvent } from '../../src/model/events.js';
import type { Plugin } from '../../src/model/plugin.js';
import { PluginHost, type PluginOutput } from '../../src/plugin/host.js';
import { appSpec } from '../helpers/app.js';
import { harness } from '../helpers/supervisor.js';
import { tempDir } from '../helpers/tmp.js';
import { waitFor } from '../helpers/wait.js';

const viewPlugin = definePlugin({
  name: 'look',
  columns: [
    { id: 'pid', header: 'KIND', width: 6, value: (info) => `${info.app}-${info.state.status}` },
    {
      id: 'bad',
      header: 'BAD',
      width: 3,
      value: (info) => {
        if (info.app === 'api') throw new Error('no value for api');
        return 'ok\nline';
      },
    },
  ],
  panels: [
    { id: 'count', title: 'Count', key: 'C', lines: (instances, width) => [`${instances.length} instances at ${width}`] },
    {
      id: 'broken',
      title: 'Broken',
      lines: () => {
        throw new Error('panel down');
      },
    },
  ],
});

/** A value function that returns a number, as plain JavaScript may. */
const numberPlugin = { name: 'num', columns: [{ id: 'n', header: 'N', width: 3, value: () => 42 }] } as unknown as Plugin;

async function hosted(t: ExecutionContext, plugins: readonly Plugin[]) {
  const h = await harness(t, [appSpec({ name: 'api' }), appSpec({ name: 'web' })]);
  const outputs: PluginOutput[] = [];
  const stateDir = path.join(tempDir('nu-views-'), '.node-unit');
  const host = new PluginHost({ plugins, config: { file: 'x', configDir: stateDir, stateDir, profile: undefined, apps: [] }, output: (entry) => outputs.push(entry) });
  const served = host.servedAs(h.supervisor);
  const failures = (): string[] => outputs.flatMap((o) => (o.kind === 'failure' ? [o.error.message] : []));
  return { h, served, failures };
}

test('the supervisor evaluates column values per instance; a throwing one shows ! and is reported once, naming plugin and column', async (t) => {
  const { h, served, failures } = await hosted(t, [viewPlugin]);
  await h.waitStatus('api:0', 'online');
  await h.waitStatus('web:0', 'online');
  const listed = await served.list();
  t.deepEqual(
    listed.map((info) => [info.id, info.columns]),
    [
      ['api:0', { 'look/pid': 'api-online', 'look/bad': '!' }],
      ['web:0', { 'look/pid': 'web-online', 'look/bad': 'okline' }],
    ],
  );
  const events: SupervisorEvent[] = [];
  const unsubscribe = served.subscribe((event) => events.push(event), { logs: 'none' });
  t.teardown(unsubscribe);
  const snapshot = events[0];
  t.is(snapshot?.type, 'snapshot');
  if (snapshot?.type === 'snapshot') t.deepEqual(snapshot.instances.map((info) => info.columns?.['look/pid']), ['api-online', 'web-online']);
  await served.stop('web');
  await waitFor(() => events.some((event) => event.type === 'state' && event.instance.columns?.['look/pid'] === 'web-stopped'), { what: 'a state event with the new value' });
  await served.list();
  t.deepEqual(failures(), ['plugin "look": column "bad" threw: no value for api']);
  t.is((await h.supervisor.list()).every((info) => info.columns === undefined), true, "the supervisor's own instances are left as they were");
});

test('a value that is no string is reported once and shows !', async (t) => {
  const { h, served, failures } = await hosted(t, [numberPlugin]);
  await h.waitStatus('api:0', 'online');
  t.deepEqual((await served.list()).map((info) => info.columns), [{ 'num/n': '!' }, { 'num/n': '!' }]);
  await served.list();
  t.deepEqual(failures(), ['plugin "num": column "n" returned 42 (number) for api:0; expected a string']);
});

test('panels: lines drawn for the instances and the width asked; a throwing panel answers its error and is reported', async (t) => {
  const { h, served, failures } = await hosted(t, [viewPlugin]);
  await h.waitStatus('api:0', 'online');
  t.deepEqual(await served.views?.(), {
    columns: [
      { plugin: 'look', id: 'pid', header: 'KIND', width: 6, align: 'left' },
      { plugin: 'look', id: 'bad', header: 'BAD', width: 3, align: 'left' },
    ],
    panels: [
      { plugin: 'look', id: 'count', title: 'Count', key: 'C' },
      { plugin: 'look', id: 'broken', title: 'Broken' },
    ],
  });
  t.deepEqual(await served.panel?.('look', 'count', 40), { ok: true, lines: ['2 instances at 40'] });
  t.deepEqual(await served.panel?.('look', 'broken', 40), { ok: false, message: 'plugin "look": panel "broken" threw: panel down' });
  t.deepEqual(await served.panel?.('look', 'nope', 40), { ok: false, message: 'no panel "nope" in plugin "look" (panels: look/count, look/broken)' });
  t.true(failures().includes('plugin "look": panel "broken" threw: panel down'));
});

test('over the control socket: views, panel, and instances with their column values in list and events', async (t) => {
  const { h, served } = await hosted(t, [viewPlugin]);
  await h.waitStatus('api:0', 'online');
  const server = await startControlServer(served, { stateDir: path.join(tempDir('nu-views-sock-'), '.node-unit'), project: 'views', version: '0.0.0' });
  t.teardown(() => server.close());
  const client = await connectControl(server.path);
  t.teardown(() => client.close());
  t.is((await client.views()).panels[0]?.key, 'C');
  t.deepEqual(await client.panel('look', 'count', 12), { ok: true, lines: ['2 instances at 12'] });
  t.is((await client.list())[1]?.columns?.['look/pid'], 'web-online');
  const events: SupervisorEvent[] = [];
  const unsubscribe = client.subscribe((event) => events.push(event), { logs: 'none' });
  t.teardown(unsubscribe);
  await client.restart('web');
  await waitFor(() => events.some((event) => event.type === 'state' && event.instance.columns?.['look/pid'] === 'web-starting'), { what: 'web-starting over the socket' });
  t.pass();
});

test('without columns or panels the supervisor is served as it is', async (t) => {
  const { h, served } = await hosted(t, [definePlugin({ name: 'plain' })]);
  t.is(served, h.supervisor);
});
