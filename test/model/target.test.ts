import test from 'ava';
import { nodeMatches, parseNodeSelector, parseTarget, resolveNodeSelector, selectInstances, selectNodes, type NodeRef, type TargetInstance } from '../../src/index.js';
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
  t.is(parsed('api@'), '"api@": expected a node name, a node id, label=value or "all", got ""');
  t.is(parsed('api@no spaces'), '"api@no spaces": expected a node name, a node id, label=value or "all", got "no spaces"');
  t.is(parsed('api', 'a/b'), '--node: expected a node name, a node id, label=value or "all", got "a/b"');
  t.is(parsed('api@disk=big', 'disk=small'), '"api@disk=big" and --node disk=small name different nodes; give the node once');
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

test('label=value is the same grammar in a target and in --node: split at the first "=", key and value checked', (t) => {
  t.deepEqual(parsed('api@disk=big'), { selector: 'api', node: { kind: 'labelled', key: 'disk', value: 'big' } });
  t.deepEqual(parsed('all', ' zone=a=b '), { selector: 'all', node: { kind: 'labelled', key: 'zone', value: 'a=b' } });
  t.deepEqual(parsed('api@disk=big', 'disk=big'), { selector: 'api', node: { kind: 'labelled', key: 'disk', value: 'big' } });
  t.is(parseNodeSelector('=big'), '--node: a label\'s key is letters, digits, ".", "_" or "-", got "" in "=big"');
  t.is(parseNodeSelector('dis k=big'), '--node: a label\'s key is letters, digits, ".", "_" or "-", got "dis k" in "dis k=big"');
  t.is(parseNodeSelector('disk='), '--node: expected label=value with a value of 1–256 characters, got "disk="');
  t.is(parseNodeSelector(`disk=${'x'.repeat(257)}`, 'f'), `f: expected label=value with a value of 1–256 characters, got "disk=${'x'.repeat(75)}"`);
});

const NODES: readonly NodeRef[] = [
  { name: 'nas', id: 'ID-NAS', labels: { disk: 'big' } },
  { name: 'pi', id: 'ID-PI', labels: { disk: 'small' } },
  { name: 'box', id: 'ID-BOX', labels: { disk: 'big', zone: 'attic' } },
];
const SELF = { name: 'hub', id: 'ID-HUB', labels: { zone: 'attic' } };
const chosen = (text: string): readonly string[] | string => {
  const selector = parseNodeSelector(text);
  if (typeof selector === 'string') return selector;
  const selection = selectNodes(selector, SELF, NODES);
  return typeof selection === 'string' ? selection : [...(selection.self ? ['hub'] : []), ...selection.nodes.map((n) => n.name)];
};

test('selectNodes: one rule for a mesh\'s node list, this node answering to its name, id and labels', (t) => {
  t.deepEqual(chosen('all'), ['hub', 'nas', 'pi', 'box']);
  t.deepEqual(chosen('ID-PI'), ['pi']);
  t.deepEqual(chosen('hub'), ['hub']);
  t.deepEqual(chosen('ID-HUB'), ['hub']);
  t.deepEqual(chosen('disk=big'), ['nas', 'box']);
  t.deepEqual(chosen('zone=attic'), ['hub', 'box']);
  t.is(chosen('disk=huge'), 'no node has the label disk=huge; see node-unit nodes');
  t.is(chosen('tv'), 'no node named "tv" (nor with that id); see node-unit nodes');
  t.deepEqual(selectNodes({ kind: 'here' }, SELF, NODES), { self: true, nodes: [] });
});

test('instances on labelled nodes: remote ones by their node\'s labels, local ones by this node\'s', (t) => {
  const pickLabelled = (text: string, self?: { name?: string; labels?: Record<string, string> }) => {
    const target = parseTarget(text);
    if (!target.ok) return target.message;
    const match = selectInstances(target.target, mesh, { self, nodes: NODES, suggest: closest });
    return match.ok ? match.instances.map((i) => `${i.node ?? 'here'}/${i.id}`) : match.message;
  };
  t.deepEqual(pickLabelled('api@disk=big'), ['nas/api:0']);
  t.deepEqual(pickLabelled('all@disk=small'), ['pi/api:0']);
  t.deepEqual(pickLabelled('db@zone=attic', { name: 'hub', labels: { zone: 'attic' } }), ['here/db:0']);
  t.is(pickLabelled('api@zone=attic'), 'no instances on nodes labelled zone=attic');
  t.is(pickLabelled('web@disk=big'), 'no app, instance or namespace named "web" on nodes labelled disk=big');
  t.true(nodeMatches({ kind: 'labelled', key: 'disk', value: 'big' }, 'box', {}, NODES));
  t.false(nodeMatches({ kind: 'labelled', key: 'disk', value: 'big' }, 'pi', {}, NODES));
  t.false(nodeMatches({ kind: 'labelled', key: 'constructor', value: 'x' }, undefined, { labels: {} }));
});
