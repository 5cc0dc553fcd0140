/** A directed graph as adjacency: node → the nodes it depends on. */
export type DependencyGraph = ReadonlyMap<string, readonly string[]>;

/** Every distinct cycle's path, e.g. ['a', 'b', 'a']. Empty when the graph is acyclic. */
export function findCycles(graph: DependencyGraph): readonly (readonly string[])[] {
  const cycles: string[][] = [];
  const seen = new Set<string>();
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: string[] = [];
  const visit = (node: string): void => {
    state.set(node, 'visiting');
    stack.push(node);
    for (const next of graph.get(node) ?? []) {
      if (!graph.has(next)) continue;
      const nextState = state.get(next);
      if (nextState === 'visiting') {
        const cycle = [...stack.slice(stack.indexOf(next)), next];
        const key = [...cycle.slice(0, -1)].sort().join('\0');
        if (!seen.has(key)) {
          seen.add(key);
          cycles.push(cycle);
        }
      } else if (nextState === undefined) visit(next);
    }
    stack.pop();
    state.set(node, 'done');
  };
  for (const node of graph.keys()) if (!state.has(node)) visit(node);
  return cycles;
}

/** Dependencies before dependents, stable in insertion order. Nodes in cycles come last, in insertion order. */
export function topologicalOrder(graph: DependencyGraph): readonly string[] {
  const order: string[] = [];
  const placed = new Set<string>();
  const remaining = new Set(graph.keys());
  let progressed = true;
  while (remaining.size > 0 && progressed) {
    progressed = false;
    for (const node of remaining) {
      const deps = (graph.get(node) ?? []).filter((dep) => graph.has(dep));
      if (deps.every((dep) => placed.has(dep))) {
        order.push(node);
        placed.add(node);
        remaining.delete(node);
        progressed = true;
      }
    }
  }
  return [...order, ...remaining];
}
