import test from 'ava';
import nacl from 'tweetnacl';
import { createInvite, parseInvite } from '../../../plugins/federation/invite.js';

test('an invite round-trips: master key, seed that derives I, expiry, address', (t) => {
  const master = nacl.sign.keyPair();
  const made = createInvite(master.publicKey, '127.0.0.1:7420', 1_900_000_000);
  t.regex(made.token, /^nu1\.[A-Za-z0-9_-]+$/);
  const parsed = parseInvite(`  ${made.token}\n`);
  if (!parsed.ok) return t.fail(parsed.message);
  t.deepEqual(parsed.invite.masterKey, master.publicKey);
  t.is(parsed.invite.expiresAt, 1_900_000_000);
  t.is(parsed.invite.address, '127.0.0.1:7420');
  t.deepEqual(nacl.sign.keyPair.fromSeed(parsed.invite.seed).publicKey, made.inviteKey);
});

test('the byte layout is exactly 0x01 ‖ S_m ‖ seed ‖ expiry ‖ host:port ‖ H[0..4]', (t) => {
  const master = nacl.sign.keyPair();
  const made = createInvite(master.publicKey, 'h:1', 0x01020304);
  const bytes = Buffer.from(made.token.slice(4), 'base64url');
  t.is(bytes.length, 1 + 32 + 32 + 4 + 3 + 4);
  t.is(bytes[0], 1);
  t.deepEqual(new Uint8Array(bytes.subarray(1, 33)), master.publicKey);
  t.is(bytes.readUInt32BE(65), 0x01020304);
  t.is(bytes.subarray(69, 72).toString(), 'h:1');
  t.deepEqual(new Uint8Array(bytes.subarray(72)), nacl.hash(new Uint8Array(bytes.subarray(0, 72))).subarray(0, 4));
});

test('a damaged, truncated or foreign token is refused with a reason that does not echo it', (t) => {
  const made = createInvite(nacl.sign.keyPair().publicKey, '127.0.0.1:7420', 1_900_000_000);
  const flipped = made.token.slice(0, 20) + (made.token[20] === 'A' ? 'B' : 'A') + made.token.slice(21);
  for (const bad of [flipped, made.token.slice(0, 40), 'nu2.abc', 'nu1.a b', '']) {
    const parsed = parseInvite(bad);
    t.false(parsed.ok);
    if (!parsed.ok && bad.length > 8) t.false(parsed.message.includes(bad.slice(4, 20)));
  }
});

test('an invite naming a small-order master key is refused', (t) => {
  const made = createInvite(new Uint8Array(32), '127.0.0.1:7420', 1_900_000_000);
  const parsed = parseInvite(made.token);
  t.false(parsed.ok);
});

test('an address that is not host:port ASCII is refused when making the invite', (t) => {
  const key = nacl.sign.keyPair().publicKey;
  t.throws(() => createInvite(key, 'no-port', 1), { message: /host:port/ });
  t.throws(() => createInvite(key, 'hôte:1', 1), { message: /host:port/ });
});
