import { createRequire } from 'node:module';
import path from 'node:path';
import vm from 'node:vm';

/**
 * pm2's own format (`module.exports = { apps }` in .js or .cjs) evaluated by Node itself: no transpiler
 * is loaded, so a supervisor that reads a pm2 file stays small and starts sooner. Returns undefined when
 * the source is not CommonJS (ESM syntax, top-level await): the caller hands it to the transpiler.
 */
export function evaluateCommonJs(file: string, source: string, ownModules: Readonly<Record<string, string>>): { readonly value: unknown } | undefined {
  let body: (...args: unknown[]) => unknown;
  try {
    body = vm.compileFunction(source, ['exports', 'require', 'module', '__filename', '__dirname'], { filename: file }) as (...args: unknown[]) => unknown;
  } catch (error) {
    if (error instanceof SyntaxError) return undefined;
    throw error;
  }
  const nodeRequire = createRequire(file);
  const cached = new Set(Object.keys(nodeRequire.cache));
  // node-unit's own modules come from this installation when the config's folder has none (a global install).
  const own = (id: string): string | undefined => (Object.hasOwn(ownModules, id) && !resolvable(nodeRequire, id) ? ownModules[id] : undefined);
  const requireFromConfig = Object.assign((id: string): unknown => nodeRequire(own(id) ?? id), nodeRequire);
  const module = { exports: {} as unknown };
  try {
    body(module.exports, requireFromConfig, module, file, path.dirname(file));
  } finally {
    // Files the config required are read afresh at the next reload, as the config itself is.
    for (const key of Object.keys(nodeRequire.cache)) if (!cached.has(key)) delete nodeRequire.cache[key];
  }
  return { value: module.exports };
}

function resolvable(nodeRequire: NodeJS.Require, id: string): boolean {
  try {
    nodeRequire.resolve(id);
    return true;
  } catch {
    return false;
  }
}
