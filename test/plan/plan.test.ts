import test from 'ava';
import { expandInstances, matchTarget, startOrder, stopLevels } from '../../src/plan/plan.js';
import { appSpec } from '../helpers/app.js';

const apps = [
  appSpec({ name: 'worker', dependsOn: [{ app: 'api', condition: 'ready' }], namespace: 'jobs' }),
  appSpec({ name: 'api', instances: 2, dependsOn: [{ app: 'db', condition: 'started' }] }),
  appSpec({ name: 'db' }),
  appSpec({ name: 'cron', namespace: 'jobs' }),
];

test('instances expand to app:index, dependencies first', (t) => {
  t.deepEqual(startOrder(apps).map((a) => a.name), ['db', 'cron', 'api', 'worker']);
  t.deepEqual(expandInstances(apps).map((i) => i.id), ['db:0', 'cron:0', 'api:0', 'api:1', 'worker:0']);
});

test('stop levels put dependents before what they depend on', (t) => {
  const levels = stopLevels(apps).map((level) => level.map((a) => a.name).sort());
  t.deepEqual(levels, [['worker'], ['api'], ['cron', 'db']]);
});

test('targets: all, app, app:index, namespace', (t) => {
  const instances = expandInstances(apps);
  t.is((matchTarget('all', instances) as { ids: readonly string[] }).ids.length, 5);
  t.deepEqual(matchTarget('api', instances), { ok: true, ids: ['api:0', 'api:1'] });
  t.deepEqual(matchTarget('api:1', instances), { ok: true, ids: ['api:1'] });
  t.deepEqual(matchTarget('jobs', instances), { ok: true, ids: ['cron:0', 'worker:0'] });
});

test('unknown targets say what exists', (t) => {
  const instances = expandInstances(apps);
  t.deepEqual(matchTarget('api:5', instances), { ok: false, message: 'api has 2 instances (0-1); there is no api:5' });
  t.deepEqual(matchTarget('wroker', instances), { ok: false, message: 'no app, instance or namespace named "wroker" — did you mean "worker"?' });
  t.deepEqual(matchTarget('zzz', instances), { ok: false, message: 'no app, instance or namespace named "zzz"' });
});
