import { paint, type Ansi16 } from './sgr.js';

/**
 * The JSON-line pretty view (key J): a log line that is one JSON object (pino, bunyan, winston's json format)
 * is shown as `LEVEL message key=value …`, in one row like any other line. Display only: search and copy
 * keep the line as the app wrote it, and the file has it unchanged.
 */

const LEVEL_KEYS = ['level', 'lvl', 'severity'] as const;
const MESSAGE_KEYS = ['msg', 'message'] as const;
/** pino's and bunyan's numbers. */
const LEVEL_NAMES: Readonly<Record<number, string>> = { 10: 'trace', 20: 'debug', 30: 'info', 40: 'warn', 50: 'error', 60: 'fatal' };
const LEVEL_COLORS: Readonly<Record<string, Ansi16>> = { trace: 'gray', debug: 'gray', info: 'green', warn: 'yellow', warning: 'yellow', error: 'red', fatal: 'red', critical: 'red' };
/** Longer lines are left as they are: parsing them for every frame is not worth a prettier row. */
const MAX_PARSED = 16_384;

const pretty = new WeakMap<object, string | null>();

/** The pretty form of `plain`, or undefined when it is not one JSON object. Cached per line object. */
export function prettyJson(line: { readonly plain: string }): string | undefined {
  const cached = pretty.get(line);
  if (cached !== undefined) return cached ?? undefined;
  const made = format(line.plain);
  pretty.set(line, made ?? null);
  return made;
}

function parseObject(text: string): Readonly<Record<string, unknown>> | undefined {
  const trimmed = text.trim();
  if (trimmed.length > MAX_PARSED || !trimmed.startsWith('{') || !trimmed.endsWith('}')) return undefined;
  try {
    const value: unknown = JSON.parse(trimmed);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? { ...value } : undefined;
  } catch {
    return undefined;
  }
}

function format(text: string): string | undefined {
  const fields = parseObject(text);
  if (!fields) return undefined;
  const levelKey = LEVEL_KEYS.find((key) => key in fields);
  const messageKey = MESSAGE_KEYS.find((key) => typeof fields[key] === 'string');
  const parts: string[] = [];
  if (levelKey !== undefined) parts.push(levelText(fields[levelKey]));
  if (messageKey !== undefined) parts.push(String(fields[messageKey]));
  for (const [key, value] of Object.entries(fields)) {
    if (key === levelKey || key === messageKey) continue;
    parts.push(`${paint(`${key}=`, { dim: true })}${typeof value === 'string' ? value : JSON.stringify(value)}`);
  }
  return parts.join(' ');
}

function levelText(level: unknown): string {
  const name = typeof level === 'number' ? (LEVEL_NAMES[level] ?? String(level)) : String(level);
  const color = LEVEL_COLORS[name.toLowerCase()];
  return paint(name.toUpperCase().padEnd(5), { color, bold: color === 'red' });
}
