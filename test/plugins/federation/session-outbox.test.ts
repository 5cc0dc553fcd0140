import test from 'ava';
import { MAX_SEALED_BYTES, TAG_BYTES } from '../../../plugins/federation/frames.js';
import { encodeMessage } from '../../../plugins/federation/messages.js';
import { splitText } from '../../../plugins/federation/session-outbox.js';

/** A control message longer than a frame goes in parts, each of which fits a sealed frame however it escapes. */

const fits = (text: string): boolean => encodeMessage({ v: 1, type: 'reply', text, more: true }).length + TAG_BYTES <= MAX_SEALED_BYTES;

test('parts join back to the message and each fits one frame: plain, escaped, and surrogate pairs', (t) => {
  const messages = ['', 'short', 'a'.repeat(300_000), '\u0001"\\'.repeat(40_000), '😀'.repeat(50_000), `${'x'.repeat(16_383)}😀${'y'.repeat(20_000)}`];
  for (const message of messages) {
    const parts = splitText(message);
    t.is(parts.join(''), message);
    t.true(parts.every(fits), `every part of a ${message.length}-character message fits`);
    t.false(parts.some((part) => /[\ud800-\udbff]$/.test(part)), 'no part ends inside a surrogate pair');
  }
  t.is(splitText('a'.repeat(300_000)).length, Math.ceil(300_000 / (64 * 1024 - 256)));
});
