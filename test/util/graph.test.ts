import test from 'ava';
import { findCycles, topologicalOrder } from '../../src/util/graph.js';

const graph = (edges: Readonly<Record<string, readonly string[]>>): ReadonlyMap<string, readonly string[]> => new Map(Object.entries(edges));

test('an acyclic graph has no cycles', (t) => {
  t.deepEqual(findCycles(graph({ api: ['db'], worker: ['api', 'db'], db: [] })), []);
});

test('a two-node cycle is reported once, as a path back to its start', (t) => {
  t.deepEqual(findCycles(graph({ a: ['b'], b: ['a'] })), [['a', 'b', 'a']]);
});

test('a self-loop is a cycle', (t) => {
  t.deepEqual(findCycles(graph({ a: ['a'] })), [['a', 'a']]);
});

test('separate cycles are all reported', (t) => {
  t.deepEqual(findCycles(graph({ a: ['b'], b: ['c'], c: ['a'], x: ['y'], y: ['x'], z: ['a'] })), [
    ['a', 'b', 'c', 'a'],
    ['x', 'y', 'x'],
  ]);
});

test('edges to unknown nodes are ignored', (t) => {
  t.deepEqual(findCycles(graph({ a: ['missing'] })), []);
  t.deepEqual(topologicalOrder(graph({ a: ['missing'], b: ['a'] })), ['a', 'b']);
});

test('topological order puts dependencies first, in waves, each wave in insertion order', (t) => {
  t.deepEqual(topologicalOrder(graph({ web: ['api'], api: ['db', 'cache'], worker: ['db'], db: [], cache: [] })), ['db', 'cache', 'api', 'worker', 'web']);
  t.deepEqual(topologicalOrder(graph({ c: [], b: [], a: [] })), ['c', 'b', 'a']);
});

test('nodes in cycles come last, in insertion order', (t) => {
  t.deepEqual(topologicalOrder(graph({ a: ['b'], b: ['a'], c: [] })), ['c', 'a', 'b']);
});
