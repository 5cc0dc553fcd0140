import test from 'ava';
import { nodeMatches, parseTarget, resolveNodeSelector, selectInstances, type TargetInstance } from '../../src/index.js';
import { closest } from '../../src/util/suggest.js';

const parsed = (text: string, node?: string) => {
  const result = parseTarget(text, node);
  return result.ok ? result.target : result.message;
};

test('a target without a node part means this supervisor', (t) => {
  t.deepEqual(parsed('api'), { selector: 'api', node: { kind: 'here' } });
  t.deepEqual(parsed(' api:1 '), { selector: 'api:1', node: { kind: 'here' } });
  t.deepEqual(parsed('all'), { selector: 'all', node: { kind: 'here' } });
});

test('@node names a node, its id, or all; the last @ splits, so @scope/app keeps its own', (t) => {
  t.deepEqual(parsed('api@nas'), { selector: 'api', node: { kind: 'named', name: 'nas' } });
  t.deepEqual(parsed('api:0@nas'), { selector: 'api:0', node: { kind: 'named', name: 'nas' } });
  t.deepEqual(parsed('all@all'), { selector: 'all', node: { kind: 'all' } });
  t.deepEqual(parsed('web@ABCD234-EFGH567'), { selector: 'web', node: { kind: 'named', name: 'ABCD234-EFGH567' } });
  t.deepEqual(parsed('@scope/app'), { selector: '@scope/app', node: { kind: 'here' } });
  t.deepEqual(parsed('@scope/app@pi'), { selector: '@scope/app', node: { kind: 'named', name: 'pi' } });
});

test('--node combines with the target; two different nodes, a bad name or an empty target are errors that say so', (t) => {
  t.deepEqual(parsed('api', 'nas'), { selector: 'api', node: { kind: 'named', name: 'nas' } });
  t.deepEqual(parsed('api@nas', 'nas'), { selector: 'api', node: { kind: 'named', name: 'nas' } });
  t.deepEqual(parsed('all', 'all'), { selector: 'all', node: { kind: 'all' } });
  t.is(parsed('api@nas', 'pi'), '"api@nas" and --node pi name different nodes; give the node once');
  t.is(parsed('api@'), '"api@": expected a node name, a node id or "all", got ""');
  t.is(parsed('api@no spaces'), '"api@no spaces": expected a node name, a node id or "all", got "no spaces"');
  t.is(parsed('api', 'a/b'), '--node: expected a node name, a node id or "all", got "a/b"');
  t.is(parsed('  '), 'empty target: expected an app, app:N, a namespace or all');
});

const info = (node: string | undefined, app: string, index: number, namespace = 'default'): TargetInstance => ({ id: `${app}:${index}`, app, index, namespace, ...(node === undefined ? {} : { node }) });
const mesh: readonly TargetInstance[] = [info(undefined, 'api', 0), info(undefined, 'api', 1), info(undefined, 'db', 0, 'data'), info('nas', 'api', 0), info('nas', 'backup', 0, 'data'), info('pi', 'api', 0)];
const pick = (text: string, node?: string, self?: { name?: string; id?: string }) => {
  const target = parseTarget(text, node);
  if (!target.ok) return target.message;
  const match = selectInstances(target.target, mesh, { self, suggest: closest });
  return match.ok ? match.instances.map((i) => `${i.node ?? 'here'}/${i.id}`) : match.message;
};

test('matching over InstanceInfo routes local and remote targets with one rule', (t) => {
  t.deepEqual(pick('api'), ['here/api:0', 'here/api:1']);
  t.deepEqual(pick('api@nas'), ['nas/api:0']);
  t.deepEqual(pick('api@all'), ['here/api:0', 'here/api:1', 'nas/api:0', 'pi/api:0']);
  t.deepEqual(pick('api:0', 'all'), ['here/api:0', 'nas/api:0', 'pi/api:0']);
  t.deepEqual(pick('data@all'), ['here/db:0', 'nas/backup:0']);
  t.deepEqual(pick('all@pi'), ['pi/api:0']);
  t.deepEqual(pick('all'), ['here/api:0', 'here/api:1', 'here/db:0']);
});

test("this supervisor answers to its own name and id; misses say which node and suggest a name", (t) => {
  t.deepEqual(pick('db@master', undefined, { name: 'master' }), ['here/db:0']);
  t.deepEqual(pick('db@K3Y1D', undefined, { name: 'master', id: 'K3Y1D' }), ['here/db:0']);
  t.is(pick('api:3@nas'), 'api has 1 instance (0-0) on node "nas"; there is no api:3');
  t.is(pick('backupp@nas'), 'no app, instance or namespace named "backupp" on node "nas" — did you mean "backup"?');
  t.is(pick('api@tv'), 'no instances on node "tv"');
  t.is(pick('backup'), 'no app, instance or namespace named "backup"');
});

test('nodeMatches and resolveNodeSelector are the pieces a transport routes with', (t) => {
  t.true(nodeMatches({ kind: 'here' }, undefined));
  t.false(nodeMatches({ kind: 'here' }, 'nas'));
  t.true(nodeMatches({ kind: 'here' }, 'master', { name: 'master' }));
  t.true(nodeMatches({ kind: 'all' }, 'nas'));
  t.false(nodeMatches({ kind: 'named', name: 'nas' }, 'pi'));
  t.deepEqual(resolveNodeSelector({ kind: 'named', name: 'ID-OF-NAS' }, [{ name: 'nas', id: 'ID-OF-NAS' }]), { kind: 'named', name: 'nas' });
  t.deepEqual(resolveNodeSelector({ kind: 'named', name: 'pi' }, [{ name: 'nas', id: 'ID-OF-NAS' }]), { kind: 'named', name: 'pi' });
});
