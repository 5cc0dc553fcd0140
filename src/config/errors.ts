export type Severity = 'error' | 'warning';

/** One finding about a config: where, what, and how to fix it. */
export interface Diagnostic {
  readonly severity: Severity;
  /** Where in the config: `apps[2].max_restarts`, or '' for the file as a whole. */
  readonly path: string;
  readonly message: string;
  readonly hint?: string;
}

export function formatDiagnostic(d: Diagnostic): string {
  const where = d.path === '' ? '' : `${d.path}: `;
  return `${where}${d.message}${d.hint ? ` — ${d.hint}` : ''}`;
}

/** A config that cannot be used. Carries every problem found, not just the first. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(
    readonly file: string | undefined,
    readonly issues: readonly Diagnostic[],
  ) {
    super(
      [
        `${file ?? 'config'}: ${issues.length === 1 ? '1 problem' : `${issues.length} problems`}`,
        ...issues.map((issue) => `  ${formatDiagnostic(issue)}`),
      ].join('\n'),
    );
  }
}

export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (Array.isArray(value)) return value.length === 0 ? 'an empty array' : `an array of ${value.length}`;
  switch (typeof value) {
    case 'string': {
      const shown = value.length > 40 ? `${value.slice(0, 37)}...` : value;
      return `${JSON.stringify(shown)} (string)`;
    }
    case 'number':
      return `${String(value)} (number)`;
    case 'boolean':
      return `${String(value)} (boolean)`;
    case 'function':
      return 'a function';
    case 'bigint':
      return `${String(value)}n (bigint)`;
    case 'symbol':
      return 'a symbol';
    default:
      return value instanceof RegExp ? `a RegExp ${String(value)}` : 'an object';
  }
}
