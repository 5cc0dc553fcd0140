import crypto from 'node:crypto';
import test from 'ava';
import { COUNTER_LIMIT, FrameOpener, FrameSealer, MAX_SEALED_BYTES, MIN_SEALED_BYTES } from '../../../plugins/federation/frames.js';

const key = (): Uint8Array => new Uint8Array(crypto.randomBytes(32));
const text = (bytes: Uint8Array): string => Buffer.from(bytes).toString();

test('a frame is ChaCha20-Poly1305 with nonce 4 zero bytes ‖ u64 BE counter, ciphertext then tag', (t) => {
  const k = key();
  const sealer = new FrameSealer(new Uint8Array(k));
  sealer.seal(Buffer.from('first'));
  const frame = sealer.seal(Buffer.from('second')) ?? new Uint8Array();
  t.is(frame.length, 'second'.length + 16);
  const nonce = Buffer.from('000000000000000000000001', 'hex');
  const decipher = crypto.createDecipheriv('chacha20-poly1305', k, nonce, { authTagLength: 16 });
  decipher.setAuthTag(frame.subarray(frame.length - 16));
  t.is(Buffer.concat([decipher.update(frame.subarray(0, frame.length - 16)), decipher.final()]).toString(), 'second');
});

test('frames open in order; a replayed, reordered, tampered or foreign frame does not', (t) => {
  const k = key();
  const sealer = new FrameSealer(new Uint8Array(k));
  const frames = ['a', 'b', 'c'].map((s) => sealer.seal(Buffer.from(s)) ?? new Uint8Array());
  const opener = new FrameOpener(new Uint8Array(k));
  const first = opener.open(frames[0] ?? new Uint8Array());
  t.true(first.ok && text(first.payload) === 'a');
  t.deepEqual(opener.open(frames[0] ?? new Uint8Array()), { ok: false, reason: 'auth' }, 'replay');
  t.deepEqual(opener.open(frames[2] ?? new Uint8Array()), { ok: false, reason: 'auth' }, 'reorder');
  const tampered = new Uint8Array(frames[1] ?? new Uint8Array());
  for (let i = 0; i < tampered.length; i++) {
    tampered[i] = (tampered[i] ?? 0) ^ 1;
    t.deepEqual(opener.open(tampered), { ok: false, reason: 'auth' }, `bit flipped in byte ${i}`);
    tampered[i] = (tampered[i] ?? 0) ^ 1;
  }
  t.deepEqual(new FrameOpener(key()).open(frames[0] ?? new Uint8Array()), { ok: false, reason: 'auth' }, 'another session key');
  const second = opener.open(frames[1] ?? new Uint8Array());
  t.true(second.ok && text(second.payload) === 'b', 'failed opens do not advance the counter');
});

test('sizes: below a tag plus one byte or above 64 KiB + 16 are refused before any crypto; the limits themselves open', (t) => {
  const k = key();
  const sealer = new FrameSealer(new Uint8Array(k));
  const opener = new FrameOpener(new Uint8Array(k));
  t.deepEqual(opener.open(new Uint8Array(MIN_SEALED_BYTES - 1)), { ok: false, reason: 'size' });
  t.deepEqual(opener.open(new Uint8Array(MAX_SEALED_BYTES + 1)), { ok: false, reason: 'size' });
  t.true(opener.open(sealer.seal(new Uint8Array(1)) ?? new Uint8Array()).ok);
  const largest = sealer.seal(new Uint8Array(MAX_SEALED_BYTES - 16)) ?? new Uint8Array();
  t.is(largest.length, MAX_SEALED_BYTES);
  t.true(opener.open(largest).ok);
});

test('the counter limit is 2³² and dispose zeroes the key', (t) => {
  t.is(COUNTER_LIMIT, 2n ** 32n);
  const k = key();
  const sealer = new FrameSealer(k);
  sealer.dispose();
  t.true(k.every((byte) => byte === 0));
});
