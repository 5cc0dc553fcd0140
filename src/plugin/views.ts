import type { InstanceInfo } from '../model/events.js';
import { columnKey, type PanelResult, type Plugin, type PluginColumn, type PluginPanel, type PluginViews } from '../model/plugin.js';
import { describeValue } from '../config/errors.js';
import { runAsPlugin } from './async-guard.js';
import { PluginError, type PluginFailure } from './errors.js';

/** What a cell shows when its plugin's function failed: the failure itself is reported once. */
export const FAILED_CELL = '!';
/** A value longer than any column is cut before it crosses the socket. */
const MAX_CELL_CHARS = 256;
/** A panel's lines, bounded in count and length whatever the plugin returns. */
const MAX_PANEL_LINES = 500;
const MAX_LINE_CHARS = 2048;

// Control characters (a newline, a cursor move) would break the viewer's rows; SGR colour codes are kept.
// eslint-disable-next-line no-control-regex
const UNSAFE = /\x1b(?!\[[0-9;]*m)|[\x00-\x08\x0a-\x1a\x1c-\x1f\x7f]/g;

function clean(text: string, max: number): string {
  return text.slice(0, max).replace(/\t/g, ' ').replace(UNSAFE, '');
}

interface Owned<T> {
  readonly plugin: string;
  readonly item: T;
  readonly key: string;
}

/**
 * The plugins' columns and panels, evaluated in the supervisor: a function that throws or returns what it
 * must not shows `!` (columns) or one error line (panels) and is reported once as a PluginError, so a value
 * evaluated on every state change cannot flood the log.
 */
export class PluginViewsHost {
  private readonly columns: readonly Owned<PluginColumn>[];
  private readonly panels: readonly Owned<PluginPanel>[];
  private readonly reported = new Set<string>();
  /** Values of the InstanceInfo objects the supervisor hands every subscriber alike: evaluated once each. */
  private readonly cache = new WeakMap<InstanceInfo, Readonly<Record<string, string>>>();

  constructor(plugins: readonly Plugin[], private readonly report: (error: PluginError) => void) {
    this.columns = plugins.flatMap((plugin) => (plugin.columns ?? []).map((item) => ({ plugin: plugin.name, item, key: columnKey(plugin.name, item.id) })));
    this.panels = plugins.flatMap((plugin) => (plugin.panels ?? []).map((item) => ({ plugin: plugin.name, item, key: columnKey(plugin.name, item.id) })));
  }

  get hasColumns(): boolean {
    return this.columns.length > 0;
  }

  get isEmpty(): boolean {
    return this.columns.length === 0 && this.panels.length === 0;
  }

  definitions(): PluginViews {
    return {
      columns: this.columns.map(({ plugin, item }) => ({ plugin, id: item.id, header: item.header, width: item.width, align: item.align ?? 'left' })),
      panels: this.panels.map(({ plugin, item }) => ({ plugin, id: item.id, title: item.title, ...(item.key === undefined ? {} : { key: item.key }) })),
    };
  }

  /** The instance with its column values; the same object when no plugin declares a column. */
  withColumns(info: InstanceInfo): InstanceInfo {
    if (!this.hasColumns) return info;
    let values = this.cache.get(info);
    if (!values) {
      values = this.valuesOf(info);
      this.cache.set(info, values);
    }
    return { ...info, columns: values };
  }

  valuesOf(info: InstanceInfo): Readonly<Record<string, string>> {
    const values: Record<string, string> = {};
    for (const { plugin, item, key } of this.columns) values[key] = this.cell(plugin, item, key, info);
    return values;
  }

  panel(plugin: string, id: string, width: number, instances: readonly InstanceInfo[]): PanelResult {
    const found = this.panels.find((entry) => entry.plugin === plugin && entry.item.id === id);
    if (!found) return { ok: false, message: `no panel "${id}" in plugin "${plugin}" (panels: ${this.panels.map((entry) => entry.key).join(', ') || 'none'})` };
    const outcome = this.evaluate(plugin, 'panel', found.key, id, () => found.item.lines(instances, width));
    if (!outcome.ok) return { ok: false, message: outcome.message };
    const lines = outcome.value;
    if (!Array.isArray(lines) || !lines.every((line): line is string => typeof line === 'string')) {
      const reason = `returned ${describeValue(lines)}; expected an array of strings`;
      return { ok: false, message: this.fail(plugin, 'panel', found.key, id, { kind: 'invalid', reason }) };
    }
    return { ok: true, lines: lines.slice(0, MAX_PANEL_LINES).map((line) => clean(line, MAX_LINE_CHARS)) };
  }

  private cell(plugin: string, column: PluginColumn, key: string, info: InstanceInfo): string {
    const outcome = this.evaluate(plugin, 'column', key, column.id, () => column.value(info));
    if (!outcome.ok) return FAILED_CELL;
    if (typeof outcome.value === 'string') return clean(outcome.value, MAX_CELL_CHARS);
    this.fail(plugin, 'column', key, column.id, { kind: 'invalid', reason: `returned ${describeValue(outcome.value)} for ${info.id}; expected a string` });
    return FAILED_CELL;
  }

  private evaluate(plugin: string, hook: 'column' | 'panel', key: string, id: string, call: () => unknown): { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly message: string } {
    try {
      return { ok: true, value: runAsPlugin(plugin, call) };
    } catch (cause) {
      return { ok: false, message: this.fail(plugin, hook, key, id, { kind: 'threw', cause }) };
    }
  }

  /** Reports the first failure of each column or panel; returns the message for the viewer. */
  private fail(plugin: string, hook: 'column' | 'panel', key: string, id: string, failure: PluginFailure): string {
    const error = new PluginError(plugin, hook, failure, id);
    const once = `${hook}:${key}`;
    if (!this.reported.has(once)) {
      this.reported.add(once);
      this.report(error);
    }
    return error.message;
  }
}
