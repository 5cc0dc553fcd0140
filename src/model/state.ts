/**
 * The life of one instance. A crash is data, not an exception. `since`: in starting, online and stopping,
 * when the process started (uptime counts from it); in the others, when the state began.
 */
export type ProcessState =
  | { readonly status: 'pending'; readonly reason: string; readonly restarts: number }
  | { readonly status: 'starting'; readonly pid: number | undefined; readonly since: number; readonly restarts: number }
  | { readonly status: 'online'; readonly pid: number; readonly since: number; readonly restarts: number }
  | { readonly status: 'stopping'; readonly pid: number; readonly since: number; readonly restarts: number; readonly forced: boolean }
  | {
      readonly status: 'backoff';
      readonly retryAt: number;
      readonly restarts: number;
      readonly code: number | null;
      readonly signal: NodeJS.Signals | null;
    }
  | { readonly status: 'exited'; readonly code: number | null; readonly signal: NodeJS.Signals | null; readonly restarts: number; readonly since: number }
  | { readonly status: 'errored'; readonly reason: string; readonly restarts: number; readonly since: number }
  | { readonly status: 'stopped'; readonly restarts: number; readonly since: number };

export type ProcessStatus = ProcessState['status'];

export const PROCESS_STATUSES: readonly ProcessStatus[] = [
  'pending',
  'starting',
  'online',
  'stopping',
  'backoff',
  'exited',
  'errored',
  'stopped',
];
