import test from 'ava';
import { definePlugin } from '../../src/index.js';
import { PluginHost, type PluginOutput } from '../../src/plugin/host.js';
import { appSpec } from '../helpers/app.js';
import { harness } from '../helpers/supervisor.js';
import { tempDir } from '../helpers/tmp.js';

const rpcPlugin = definePlugin({
  name: 'rpc',
  started(ctx) {
    ctx.handle('count', async () => ({ instances: (await ctx.controller.list()).length, dataDir: ctx.dataDir }));
    ctx.handle('echo', (params) => params);
    ctx.handle('boom', () => {
      throw new Error('no can do');
    });
    ctx.handle('bigint', () => 1n);
    ctx.handle('date', () => new Date(0));
  },
});

test("a plugin's RPC methods answer as they would over a socket; failures and unknown names are results, not throws", async (t) => {
  const { supervisor } = await harness(t, [appSpec({ name: 'api' })]);
  const outputs: PluginOutput[] = [];
  const stateDir = tempDir();
  const host = new PluginHost({ plugins: [rpcPlugin], config: { file: 'x', configDir: stateDir, stateDir, profile: undefined, apps: [] }, output: (entry) => outputs.push(entry) });
  await host.start(supervisor);
  t.deepEqual(await host.callPlugin({ plugin: 'rpc', method: 'count', params: null }), { ok: true, value: { instances: 1, dataDir: `${stateDir}/rpc` } });
  t.deepEqual(await host.callPlugin({ plugin: 'rpc', method: 'echo', params: { a: [1, 'b'] } }), { ok: true, value: { a: [1, 'b'] } });
  t.deepEqual(await host.callPlugin({ plugin: 'rpc', method: 'date', params: null }), { ok: true, value: '1970-01-01T00:00:00.000Z' });
  t.deepEqual(await host.callPlugin({ plugin: 'rpc', method: 'boom', params: null }), { ok: false, code: 'failed', message: 'plugin "rpc": rpc "boom" threw: no can do' });
  t.deepEqual(await host.callPlugin({ plugin: 'rpc', method: 'bigint', params: null }), { ok: false, code: 'failed', message: 'plugin "rpc": rpc "bigint" returned a value that cannot be sent as JSON' });
  t.deepEqual(await host.callPlugin({ plugin: 'rpc', method: 'nope', params: null }), { ok: false, code: 'unknown_method', message: 'plugin "rpc" serves no method "nope" (methods: count, echo, boom, bigint, date)' });
  t.deepEqual(await host.callPlugin({ plugin: 'other', method: 'count', params: null }), { ok: false, code: 'unknown_plugin', message: 'no plugin named "other" runs in this supervisor (plugins: rpc)' });
  t.deepEqual(outputs.map((o) => (o.kind === 'failure' ? o.error.message : o.message)), ['plugin "rpc": rpc "boom" threw: no can do']);
  await host.close();
  t.is((await host.callPlugin({ plugin: 'rpc', method: 'echo', params: 1 })).ok, false);
});
