import path from 'node:path';
import test from 'ava';
import { resolveAdhocApps } from '../../src/config/adhoc.js';
import { parseScale } from '../../src/cli/commands/change.js';
import { scriptApps } from '../../src/cli/script-app.js';
import { tempDir } from '../helpers/tmp.js';

test("pm2's start flags become the app keys an ecosystem file would hold", (t) => {
  const [app] = scriptApps(['server.js'], { name: 'api', instances: '4', watch: 'src,lib', autorestart: false, maxMemoryRestart: '150M', envFile: ['.env'], cron: '0 3 * * *', time: true }, ['--port', '3000']);
  t.deepEqual(app, { script: 'server.js', name: 'api', instances: 4, watch: ['src', 'lib'], env_file: ['.env'], max_memory_restart: '150M', autorestart: false, cron_restart: '0 3 * * *', time: true, args: ['--port', '3000'] });
  t.deepEqual(scriptApps(['a.js', 'b.js'], { name: 'ignored', autorestart: true }, []), [{ script: 'a.js' }, { script: 'b.js' }], '--name applies to one script; the default autorestart is not written');
});

test('apps from the command line resolve with the same defaults and messages as a file', (t) => {
  const cwd = tempDir();
  const stateDir = path.join(cwd, '.node-unit');
  const resolved = resolveAdhocApps(scriptApps(['server.js'], { instances: '2', watch: true }, []), { cwd, stateDir });
  t.true(resolved.ok);
  if (!resolved.ok) return;
  t.like(resolved.apps[0], { name: 'server', instances: 2, execMode: 'cluster', cwd, adhoc: true, watch: { paths: [cwd] } });
  t.is(resolved.apps[0]?.logs.outFile, path.join(stateDir, 'logs', 'server-out.log'));
  const bad = resolveAdhocApps(scriptApps(['server.js'], { instances: 'many', killTimeout: 'soon' }, []), { cwd, stateDir });
  t.deepEqual(bad.ok ? [] : bad.message.split('\n'), [
    'instances: expected a number of instances, "max", 0 (all CPUs) or -1 (CPUs - 1), got "many" (string)',
    'kill_timeout: expected a duration (milliseconds, or a string like "10s", "1m"), got "soon" (string)',
  ]);
});

test('scale counts: N sets, +N and -N change', (t) => {
  t.deepEqual(parseScale('4'), { kind: 'to', count: 4 });
  t.deepEqual(parseScale('+2'), { kind: 'by', delta: 2 });
  t.deepEqual(parseScale('-1'), { kind: 'by', delta: -1 });
  t.is(parseScale('four'), undefined);
  t.is(parseScale('1.5'), undefined);
});
