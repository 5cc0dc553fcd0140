export type ControlErrorCode =
  | 'not_running'
  | 'already_running'
  | 'closed'
  | 'protocol'
  | 'unsafe_path'
  /** The socket's folder cannot be created or written (a read-only file system, no permission); the message says which. */
  | 'unwritable'
  /** The two ends share no protocol version; the message names both. */
  | 'version'
  /** A reply did not have the shape its request is answered with; the message names the field. */
  | 'bad_reply'
  /** The server stopped answering heartbeats while its connection stayed open (stopped, hung). */
  | 'unresponsive'
  | 'unknown_plugin'
  | 'unknown_method'
  | 'plugin_failed'
  /** The server's policy refused the request; the message names the node and the rule. */
  | 'refused';

/** A control connection problem the CLI turns into a message and an exit code. */
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
