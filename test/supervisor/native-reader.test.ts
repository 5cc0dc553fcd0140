import test from 'ava';
import { runJsonFixture } from '../helpers/fixture.js';

const FIXTURE = 'test/fixtures/procs/native-reader.js';

const run = (env: NodeJS.ProcessEnv = {}): Promise<Record<string, unknown>> => runJsonFixture(FIXTURE, env);

test('the native reader hands each chunk with its newline count and last newline, at the offset the output had modulo 64; pause holds, resume goes on, the end closes the fd; an fd it cannot poll ends the output with one line', async (t) => {
  const seen = await run();
  t.true(seen.loaded, 'npm install builds native/ with node-gyp; see README');
  t.like(seen, {
    alignedLength: 3 * 4096,
    alignedBad: 'TypeError: alignedBuffer(size: number)',
    watchBad: 'TypeError: watchPipe(fd: number, buffer: Buffer of 4096 bytes or more, onChunk: function)',
    smallBuffer: 'TypeError: watchPipe(fd: number, buffer: Buffer of 4096 bytes or more, onChunk: function)',
    wrongThis: 'TypeError: call pause, resume and close on the object watchPipe returned',
    first: { start: 0, bytes: 8, newlines: 2, last: 5, text: 'ab\ncd\nef' },
    second: { start: 8, bytes: 2, newlines: 1, last: 1, text: 'g\n' },
    third: { start: 10, bytes: 60, newlines: 1, last: 59, text: `${'x'.repeat(59)}\n` },
    fourth: { start: 6, bytes: 10, newlines: 0, last: -1, text: 'no newline' },
    whilePaused: 4,
    afterResume: 'held\n',
    uncaught: 'thrown by onChunk',
    callsAfterThrow: 2,
    end: { end: 0 },
    readEndOpenAfterEnd: false,
    readEndOpenAfterClose: false,
    lateWrite: 'EPIPE',
    callsAfterClose: 0,
    unpollable: { ended: 1, released: 1, fdOpen: false, said: "[node-unit] cannot read an app's output: watchPipe: the fd cannot be polled" },
  });
});

test('NODE_UNIT_NATIVE=0 turns the reader off with the rest of the helper', async (t) => {
  t.deepEqual(await run({ NODE_UNIT_NATIVE: '0' }), { loaded: false });
});
