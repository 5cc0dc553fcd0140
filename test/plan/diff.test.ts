import test from 'ava';
import { appChanges, diffApps, reloadAction, scaledSpec } from '../../src/plan/diff.js';
import { appSpec } from '../helpers/app.js';

test('reload plan: added, removed, changed key by key (env variable by variable, removals included), unchanged', (t) => {
  const current = [
    appSpec({ name: 'api', env: { A: '1', GONE: 'x' }, instances: 2 }),
    appSpec({ name: 'worker' }),
    appSpec({ name: 'old' }),
  ];
  const next = [
    appSpec({ name: 'api', env: { A: '2', NEW: 'y' }, instances: 3 }),
    appSpec({ name: 'worker' }),
    appSpec({ name: 'fresh' }),
  ];
  t.deepEqual(diffApps(current, next), {
    added: ['fresh'],
    removed: ['old'],
    changed: [
      {
        app: 'api',
        changes: [
          { key: 'env.A', from: '1', to: '2' },
          { key: 'env.GONE', from: 'x', to: undefined },
          { key: 'env.NEW', from: undefined, to: 'y' },
          { key: 'instances', from: 2, to: 3 },
        ],
        action: 'restart',
      },
    ],
    unchanged: ['worker'],
  });
});

test('key order inside objects does not count as a change', (t) => {
  const a = appSpec({ name: 'x', env: { A: '1', B: '2' } });
  const b = appSpec({ name: 'x', env: { B: '2', A: '1' } });
  t.deepEqual(diffApps([a], [b]).unchanged, ['x']);
});

const logs = (merge: boolean) => ({ outFile: null, errorFile: null, combinedFile: null, merge, timestamp: false, dateFormat: undefined, maxSizeBytes: undefined, maxFiles: 10 });

test('only the instance count changed: the app is scaled, not restarted (merge_logs derived from the count does not count)', (t) => {
  const two = appSpec({ name: 'api', instances: 2, logs: logs(false), written: { script: 'a.js', instances: 2 } });
  const four = appSpec({ name: 'api', instances: 4, logs: logs(false), written: { script: 'a.js', instances: 4 } });
  const one = appSpec({ name: 'api', instances: 1, logs: logs(true), written: { script: 'a.js', instances: 1 } });
  t.is(reloadAction(two, four), 'scale');
  t.is(reloadAction(four, one), 'scale');
  t.deepEqual(diffApps([two], [four]).changed, [{ app: 'api', changes: [{ key: 'instances', from: 2, to: 4 }], action: 'scale' }]);
  t.deepEqual(scaledSpec(four, one).logs, logs(false), 'the running instances keep their log layout');
  const mergeWritten = appSpec({ name: 'api', instances: 1, logs: logs(true), written: { script: 'a.js', instances: 1, merge_logs: true } });
  t.is(reloadAction(four, mergeWritten), 'restart', 'a merge_logs the user wrote is a real change');
  t.is(reloadAction(two, appSpec({ ...four, env: { A: '1' } })), 'restart', 'anything else restarts');
  t.is(reloadAction(two, { ...two, written: { script: 'a.js', instances: '2' } }), 'unchanged', 'the same value written another way changes nothing');
});

test('the plan shows the keys the user wrote, not the defaults filled in', (t) => {
  const before = appSpec({ name: 'api', killTimeoutMs: 1600, watch: undefined, written: { script: 'a.js' } });
  const after = appSpec({
    name: 'api',
    killTimeoutMs: 1600,
    watch: { paths: ['/x'], ignore: ['**/node_modules/**'], delayMs: 1000 },
    env: { A: '1' },
    written: { script: 'a.js', watch: true, env: { A: 1 } },
  });
  t.deepEqual(appChanges(before, after), [
    { key: 'env.A', from: undefined, to: '1' },
    { key: 'watch', from: undefined, to: true },
  ]);
  const fromFile = appSpec({ ...before, env: { FROM_FILE: 'new' } });
  t.deepEqual(appChanges(before, fromFile), [{ key: 'env.FROM_FILE', from: undefined, to: 'new' }], 'an env file change is shown variable by variable');
});

test('bookkeeping is no change: where a variable came from, or that an app was added at run time', (t) => {
  const before = appSpec({ name: 'api', env: { A: '1' }, envSources: { A: { kind: 'env' } } });
  const moved = appSpec({ ...before, envSources: { A: { kind: 'env_file', file: '/srv/.env' } } });
  t.deepEqual(diffApps([before], [moved]).unchanged, ['api'], 'the same value from another place');
  t.is(reloadAction(before, moved), 'unchanged');
  t.is(reloadAction(before, { ...moved, adhoc: true }), 'unchanged');
  const changed = appSpec({ ...moved, env: { A: '2' } });
  t.deepEqual(diffApps([before], [changed]).changed, [{ app: 'api', changes: [{ key: 'env.A', from: '1', to: '2' }], action: 'restart' }]);
});
