/**
 * Type-level tests: tsc compiles this file before ava runs, so a wrongly typed plugin that compiles (an
 * unused @ts-expect-error) fails the build. The first plugin is the README's example.
 */
import test from 'ava';
import { defineConfig, definePlugin, PluginError, type Plugin } from '../../src/index.js';

const announce = definePlugin({
  name: 'announce',
  configResolved(config) {
    void config.apps.length;
  },
  async started(ctx) {
    ctx.log.info(`watching ${(await ctx.controller.list()).length} instances`);
    const stop = ctx.controller.subscribe((event) => {
      if (event.type === 'state' && event.instance.state.status === 'errored') ctx.log.warn(`${event.instance.id} errored`);
    });
    ctx.handle('count', async () => (await ctx.controller.list()).length);
    return stop;
  },
  close() {},
  commands: [
    {
      name: 'count',
      description: 'how many instances run',
      async run(ctx) {
        const reply = await ctx.call('count');
        ctx.stdout(reply.ok ? `${String(reply.value)}\n` : `${reply.message}\n`);
        return reply.ok ? 0 : 1;
      },
    },
  ],
});

const config = defineConfig({ apps: [{ name: 'api', script: 'server.js' }], plugins: [announce, { name: 'inline', started: (ctx) => ctx.log.info(ctx.dataDir) }] });

// @ts-expect-error a misspelt hook is caught
definePlugin({ name: 'typo', stared() {} });
// @ts-expect-error a hook must be a function
definePlugin({ name: 'bad', close: true });
// @ts-expect-error a plugin needs a name
defineConfig({ apps: [{ script: 'a.js' }], plugins: [{ started() {} }] });

test('definePlugin returns its argument; PluginError names the plugin and the hook', (t) => {
  const plugin: Plugin = announce;
  t.is(config.plugins?.[0], plugin);
  const error = new PluginError('announce', 'started', { kind: 'threw', cause: new RangeError('too far') });
  t.is(error.message, 'plugin "announce": started threw: RangeError: too far');
  t.is(new PluginError('x', 'close', { kind: 'timeout', timeoutMs: 5000 }).message, 'plugin "x": close did not finish within 5000 ms; the supervisor carries on without waiting for it');
  t.is(new PluginError('x', 'rpc', { kind: 'threw', cause: 'a string' }, 'count').message, 'plugin "x": rpc "count" threw: a string');
});
