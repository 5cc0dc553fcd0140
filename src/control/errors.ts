export type ControlErrorCode = 'not_running' | 'already_running' | 'closed' | 'protocol' | 'unsafe_path';

/** A control socket problem the CLI turns into a message and an exit code. */
export class ControlError extends Error {
  override readonly name = 'ControlError';
  constructor(
    readonly code: ControlErrorCode,
    message: string,
    /** The running supervisor's pid, for already_running. */
    readonly pid?: number,
  ) {
    super(message);
  }
}
