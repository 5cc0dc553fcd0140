import test from 'ava';
import { planConfigReload, resized, withFreshEnv } from '../../src/plan/reload.js';
import { appSpec } from '../helpers/app.js';

test('a config reload leaves apps added at run time alone, unless the config takes their name', (t) => {
  const current = [appSpec({ name: 'api', instances: 2 }), appSpec({ name: 'jobs', adhoc: true }), appSpec({ name: 'extra', adhoc: true })];
  const loaded = [appSpec({ name: 'api', instances: 3 }), appSpec({ name: 'jobs' })];
  const reload = planConfigReload(current, loaded);
  t.deepEqual(reload.plan.added, ['jobs'], 'the added app is not in the config apps it is compared with');
  t.deepEqual(reload.plan.removed, []);
  t.deepEqual(reload.next.map((app) => `${app.name}${app.adhoc ? '*' : ''}:${app.instances}`), ['api:3', 'jobs:1', 'extra*:1']);
  t.deepEqual([...reload.actions], [['api', 'scale'], ['jobs', 'replace']]);
  t.deepEqual(reload.warnings, [`the config file's app "jobs" takes the place of the "jobs" started with 'node-unit start'`]);
});

test('scale: to a count or by a change, within 1 and the limit; the written count follows', (t) => {
  const app = appSpec({ name: 'api', instances: 2, written: { script: 'a.js', instances: 2 } });
  const up = resized(app, { kind: 'by', delta: 2 });
  t.like(up, { ok: true, spec: { instances: 4, written: { script: 'a.js', instances: 4 } } });
  t.like(resized(app, { kind: 'to', count: 1 }), { ok: true, spec: { instances: 1 } });
  t.like(resized(app, { kind: 'by', delta: -2 }), { ok: false });
  t.like(resized(app, { kind: 'to', count: 5000 }), { ok: false });
});

test('--update-env takes the config env of the named apps only; apps the config does not have keep theirs', (t) => {
  const current = [appSpec({ name: 'api', env: { A: '1' } }), appSpec({ name: 'web', env: { B: '1' } }), appSpec({ name: 'jobs', env: { C: '1' }, adhoc: true })];
  const loaded = [appSpec({ name: 'api', env: { A: '2' } }), appSpec({ name: 'web', env: { B: '2' } }), appSpec({ name: 'jobs', env: { C: '2' } })];
  const { apps, missing } = withFreshEnv(current, loaded, new Set(['api', 'jobs']));
  t.deepEqual(apps.map((app) => app.env), [{ A: '2' }, { B: '1' }, { C: '1' }]);
  t.deepEqual(missing, ['jobs']);
});
