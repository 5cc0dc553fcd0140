import { VIEW_KEYS, type Plugin } from '../model/plugin.js';
import { formatPath, type Segment } from './check.js';
import { describeValue, type Diagnostic } from './errors.js';

/** Plugin names double as folder names in the state folder; these are node-unit's own. */
const RESERVED_NAMES: ReadonlySet<string> = new Set(['logs', 'plugins']);
export const PLUGIN_NAME = /^[a-z][a-z0-9-]{0,39}$/;
const COMMAND_NAME = /^[a-z][a-z0-9-]{0,39}$/;
const HOOKS = ['configResolved', 'started', 'close'] as const;

type Fields = Readonly<Record<string, unknown>>;
type Report = (at: readonly Segment[], message: string, hint?: string) => void;

function isObject(value: unknown): value is Fields {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function checkText(value: unknown, at: readonly Segment[], report: Report): void {
  if (typeof value !== 'string' || value.trim() === '') report(at, `expected a non-empty string, got ${describeValue(value)}`);
}

function checkList(value: unknown, at: readonly Segment[], report: Report, each: (item: Fields, at: readonly Segment[]) => void): void {
  if (value === undefined) return;
  if (!Array.isArray(value)) return report(at, `expected an array, got ${describeValue(value)}`);
  value.forEach((item: unknown, index) => (isObject(item) ? each(item, [...at, index]) : report([...at, index], `expected an object, got ${describeValue(item)}`)));
}

function checkCommand(command: Fields, at: readonly Segment[], report: Report): void {
  if (typeof command.name !== 'string' || !COMMAND_NAME.test(command.name)) report([...at, 'name'], `expected a command name (lower-case letters, digits, dashes), got ${describeValue(command.name)}`);
  checkText(command.description, [...at, 'description'], report);
  if (typeof command.run !== 'function') report([...at, 'run'], `expected a function, got ${describeValue(command.run)}`);
  checkList(command.options, [...at, 'options'], report, (option, where) => {
    if (typeof option.flags !== 'string' || !/(^|[\s,])--?[A-Za-z]/.test(option.flags)) report([...where, 'flags'], `expected flags such as "--name <name>", got ${describeValue(option.flags)}`);
    checkText(option.description, [...where, 'description'], report);
  });
  checkList(command.arguments, [...at, 'arguments'], report, (argument, where) => {
    if (typeof argument.name !== 'string' || !/^[A-Za-z][\w-]*$/.test(argument.name)) report([...where, 'name'], `expected an argument name, got ${describeValue(argument.name)}`);
    checkText(argument.description, [...where, 'description'], report);
  });
}

function checkPlugin(plugin: Fields, at: readonly Segment[], report: Report): void {
  const name = plugin.name;
  if (typeof name !== 'string' || !PLUGIN_NAME.test(name)) report([...at, 'name'], `expected a plugin name (lower-case letters, digits, dashes; at most 40), got ${describeValue(name)}`);
  else if (RESERVED_NAMES.has(name)) report([...at, 'name'], `"${name}" is a folder of node-unit's own in the state folder`, 'choose another name');
  for (const hook of HOOKS) {
    if (plugin[hook] !== undefined && typeof plugin[hook] !== 'function') report([...at, hook], `expected a function, got ${describeValue(plugin[hook])}`);
  }
  checkList(plugin.commands, [...at, 'commands'], report, (command, where) => checkCommand(command, where, report));
  checkList(plugin.columns, [...at, 'columns'], report, (column, where) => checkView(column, where, report, 'header', 'value'));
  checkList(plugin.panels, [...at, 'panels'], report, (panel, where) => checkView(panel, where, report, 'title', 'lines'));
  if (plugin.keepsUp !== undefined && typeof plugin.keepsUp !== 'boolean') report([...at, 'keepsUp'], `expected true or false, got ${describeValue(plugin.keepsUp)}`);
}

/** Wider than this a plugin column would push the built-in ones off any terminal. */
export const MAX_COLUMN_WIDTH = 40;
const VIEW_ID = /^[A-Za-z0-9][\w.-]{0,39}$/;

/** A TUI column (`header`, `value`) or panel (`title`, `lines`): an id, a text, and a function. */
function checkView(view: Fields, at: readonly Segment[], report: Report, label: 'header' | 'title', draw: 'value' | 'lines'): void {
  if (typeof view.id !== 'string' || !VIEW_ID.test(view.id)) report([...at, 'id'], `expected an id (letters, digits, _ . -; at most 40), got ${describeValue(view.id)}`);
  checkText(view[label], [...at, label], report);
  if (typeof view[draw] !== 'function') report([...at, draw], `expected a function, got ${describeValue(view[draw])}`);
  if (label === 'header') checkColumn(view, at, report);
  else checkPanelKey(view.key, [...at, 'key'], report);
}

function checkColumn(column: Fields, at: readonly Segment[], report: Report): void {
  const width = column.width;
  if (typeof width !== 'number' || !Number.isInteger(width) || width < 1 || width > MAX_COLUMN_WIDTH) report([...at, 'width'], `expected a positive integer up to ${MAX_COLUMN_WIDTH}, got ${describeValue(width)}`);
  if (column.align !== undefined && column.align !== 'left' && column.align !== 'right') report([...at, 'align'], `expected "left" or "right", got ${describeValue(column.align)}`);
}

function checkPanelKey(key: unknown, at: readonly Segment[], report: Report): void {
  if (key === undefined) return;
  if (typeof key !== 'string' || [...key].length !== 1 || !/^[\x21-\x7e]$/.test(key)) return report(at, `expected one printable character such as "P", got ${describeValue(key)}`);
  if (VIEW_KEYS.includes(key)) report(at, `"${key}" is a key of the view's own (keys taken: ${[...VIEW_KEYS.trim()].join(' ')})`, 'choose another key, or leave key out: the panel is then opened from the help (?)');
}

/** One id twice in a plugin's columns (or panels), or one panel key twice, cannot both be told apart. */
function checkViewsUnique(plugins: readonly Fields[], report: Report): void {
  const keys = new Map<unknown, string>();
  plugins.forEach((plugin, index) => {
    for (const list of ['columns', 'panels'] as const) {
      const ids = new Set<unknown>();
      const items: unknown = plugin[list];
      if (!Array.isArray(items)) continue;
      items.forEach((item: unknown, i) => {
        if (!isObject(item)) return;
        if (ids.has(item.id)) report(['plugins', index, list, i, 'id'], `duplicate ${list === 'columns' ? 'column' : 'panel'} id "${String(item.id)}"`);
        ids.add(item.id);
        if (list !== 'panels' || typeof item.key !== 'string') return;
        const owner = keys.get(item.key);
        if (owner !== undefined) report(['plugins', index, list, i, 'key'], `key "${item.key}" also opens panel ${owner}`, 'give each panel its own key');
        else keys.set(item.key, `"${String(item.id)}" of plugin "${String(plugin.name)}"`);
      });
    }
  });
}

/** Two plugins with one name, or one command name from two plugins, cannot both be served. */
function checkUnique(plugins: readonly Fields[], report: Report): void {
  checkViewsUnique(plugins, report);
  const names = new Map<unknown, number>();
  const commands = new Map<unknown, string>();
  plugins.forEach((plugin, index) => {
    const first = names.get(plugin.name);
    if (first !== undefined) report(['plugins', index, 'name'], `duplicate plugin "${String(plugin.name)}" (also plugins[${first}])`);
    else names.set(plugin.name, index);
    if (!Array.isArray(plugin.commands)) return;
    plugin.commands.forEach((command: unknown, c) => {
      if (!isObject(command) || typeof command.name !== 'string') return;
      const owner = commands.get(command.name);
      if (owner !== undefined && owner !== plugin.name) report(['plugins', index, 'commands', c, 'name'], `command "${command.name}" is also a command of plugin "${owner}"`);
      else commands.set(command.name, String(plugin.name));
    });
  });
}

/** Validates `plugins`; a JSON config cannot hold one (plugins are code). */
export function checkPlugins(raw: unknown, diagnostics: Diagnostic[], options: { readonly json: boolean }): readonly Plugin[] {
  if (raw === undefined) return [];
  const report: Report = (at, message, hint) => diagnostics.push({ severity: 'error', path: formatPath(at), message, ...(hint ? { hint } : {}) });
  if (options.json) {
    if (Array.isArray(raw) && raw.length === 0) return [];
    report(['plugins'], 'a JSON config cannot hold plugins: a plugin is code', 'move the config to ecosystem.config.js or .ts and import the plugin there');
    return [];
  }
  if (!Array.isArray(raw)) {
    report(['plugins'], `expected an array of plugins, got ${describeValue(raw)}`, 'plugins: [federation({ … })]');
    return [];
  }
  const before = diagnostics.length;
  const objects: Fields[] = [];
  raw.forEach((plugin: unknown, index) => {
    if (isObject(plugin)) {
      objects.push(plugin);
      return checkPlugin(plugin, ['plugins', index], report);
    }
    const hint = typeof plugin === 'function' ? 'call the plugin factory: federation({ … }), not federation' : 'use a plugin factory such as federation({ … }), or definePlugin({ name, started(ctx) { … } })';
    report(['plugins', index], `expected a plugin (an object with a name), got ${describeValue(plugin)}`, hint);
  });
  checkUnique(objects, report);
  // Every hook and command was checked to be a function above: only then is the value a Plugin.
  return diagnostics.length === before ? (objects as unknown as readonly Plugin[]) : [];
}
