import test from 'ava';
import { diffApps } from '../../src/plan/diff.js';
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
