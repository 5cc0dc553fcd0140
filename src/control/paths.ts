import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { writableFolderProblem } from '../util/writable-folder.js';
import { ControlError } from './errors.js';

/** sun_path holds 108 bytes with the terminating NUL; a longer path would be silently cut. */
export const MAX_SOCKET_PATH_BYTES = 107;
const SOCKET_NAME = 'node-unit.sock';

function fallbackFolder(env: NodeJS.ProcessEnv): string {
  const runtime = env.XDG_RUNTIME_DIR;
  if (runtime && path.isAbsolute(runtime)) return path.join(runtime, 'node-unit');
  return path.join(os.tmpdir(), `node-unit-${process.getuid?.() ?? 'user'}`);
}

/**
 * Where the supervisor of a state folder listens: `<stateDir>/control/node-unit.sock`, or, when that is too
 * long for a unix socket, a short path named by a hash of the state folder, so client and server agree.
 */
export function controlSocketPath(stateDir: string, env: NodeJS.ProcessEnv = process.env): string {
  const full = path.resolve(stateDir);
  const preferred = path.join(full, 'control', SOCKET_NAME);
  if (Buffer.byteLength(preferred) <= MAX_SOCKET_PATH_BYTES) return preferred;
  const hash = crypto.createHash('sha256').update(full).digest('hex').slice(0, 16);
  const short = path.join(fallbackFolder(env), `${hash}.sock`);
  if (Buffer.byteLength(short) <= MAX_SOCKET_PATH_BYTES) return short;
  return path.join('/tmp', `node-unit-${process.getuid?.() ?? 'user'}`, `${hash}.sock`);
}

/** Creates the socket's folder with mode 0700; refuses one that cannot be written, someone else owns or others can enter. */
export function prepareSocketFolder(socketPath: string): void {
  const folder = path.dirname(socketPath);
  const problem = writableFolderProblem(folder, 0o700);
  if (problem !== undefined) throw new ControlError('unwritable', `cannot create the control socket in ${folder}: ${problem}; use --state-dir (or NODE_UNIT_STATE_DIR) with a writable folder`);
  const stat = fs.lstatSync(folder);
  const uid = process.getuid?.();
  if (!stat.isDirectory() || (uid !== undefined && stat.uid !== uid)) {
    throw new ControlError('unsafe_path', `${folder} is not a folder owned by this user; remove it or use --state-dir`);
  }
  if ((stat.mode & 0o077) !== 0) fs.chmodSync(folder, 0o700);
}
