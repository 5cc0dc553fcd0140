/**
 * How `up` and its view process talk besides the control socket: the options go in through the
 * environment, the user's choice comes back as the exit code. Any other way out is a crash of the view,
 * which never stops an app.
 */
export const VIEW_ENV = 'NODE_UNIT_VIEW';

export interface ViewOptions {
  readonly socketPath: string;
  readonly project: string;
  readonly startedAt: number;
  /** `--yes`: q stops everything without asking. */
  readonly confirmQuit: boolean;
  readonly stateDir: string;
}

/** The view's exit codes: the user asked to stop everything, to detach, or the supervisor went away. */
export const VIEW_EXIT = { stop: 0, detach: 64, gone: 65, signal: 66 } as const;

export type ViewExit = { readonly kind: 'stop' | 'detach' | 'gone' | 'signal' } | { readonly kind: 'crash'; readonly why: string };

export function viewExitOf(code: number | null, signal: NodeJS.Signals | null): ViewExit {
  switch (code) {
    case VIEW_EXIT.stop:
      return { kind: 'stop' };
    case VIEW_EXIT.detach:
      return { kind: 'detach' };
    case VIEW_EXIT.gone:
      return { kind: 'gone' };
    case VIEW_EXIT.signal:
      return { kind: 'signal' };
    default:
      return { kind: 'crash', why: signal ? `killed by ${signal}` : `exit code ${code ?? '?'}` };
  }
}

export function encodeViewOptions(options: ViewOptions): string {
  return JSON.stringify(options);
}

/** The options `up` passed; an error names what was wrong (the variable is ours, but is still input). */
export function decodeViewOptions(raw: string | undefined): ViewOptions | string {
  if (raw === undefined) return `${VIEW_ENV} is not set: this program is started by 'node-unit up'`;
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch (error) {
    return `${VIEW_ENV}: expected JSON, got ${raw.slice(0, 80)} (${error instanceof Error ? error.message : String(error)})`;
  }
  if (typeof value !== 'object' || value === null) return `${VIEW_ENV}: expected an object, got ${typeof value}`;
  const record: Record<string, unknown> = { ...value };
  const { socketPath, project, startedAt, confirmQuit, stateDir } = record;
  if (typeof socketPath !== 'string' || typeof project !== 'string' || typeof stateDir !== 'string') return `${VIEW_ENV}: socketPath, project and stateDir must be strings`;
  if (typeof startedAt !== 'number' || typeof confirmQuit !== 'boolean') return `${VIEW_ENV}: startedAt must be a number and confirmQuit a boolean`;
  return { socketPath, project, startedAt, confirmQuit, stateDir };
}
