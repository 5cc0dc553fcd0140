import test from 'ava';
import nacl from 'tweetnacl';
import { concat, countedOps, nodeCryptoOps } from '../../../plugins/federation/crypto.js';
import { clientStep, startClient, type ClientParams } from '../../../plugins/federation/handshake-client.js';
import { initialServerState, serverStep, type InviteState, type PinState, type RateBucket, type Refusal, type ServerPolicy, type ServerStep } from '../../../plugins/federation/handshake-server.js';
import { HELLO_JOIN_BYTES, HELLO_SESSION_BYTES, LABEL_SERVER, PROOF_JOIN_BYTES, PROOF_SESSION_BYTES, WELCOME_BYTES, encodeWelcomeUnsigned, transcript } from '../../../plugins/federation/handshake-wire.js';

const random = (n: number): Uint8Array => nacl.randomBytes(n);
const hexKey = (k: Uint8Array): string => Buffer.from(k).toString('hex');

function policy(master: nacl.SignKeyPair, options: { pins?: Record<string, PinState>; invites?: Record<string, InviteState>; deny?: RateBucket } = {}): ServerPolicy & { claimed: string[] } {
  const claimed: string[] = [];
  return {
    claimed,
    publicKey: master.publicKey,
    secretKey: master.secretKey,
    pin: (key) => options.pins?.[hexKey(key)],
    invite: (key) => options.invites?.[hexKey(key)],
    allow: (bucket) => bucket !== options.deny,
    claimInvite: (invite, client) => {
      if (options.invites?.[hexKey(invite)] !== 'open') return false;
      options.invites[hexKey(invite)] = 'used';
      claimed.push(hexKey(client));
      return true;
    },
  };
}

function run(params: ClientParams, server: ServerPolicy, tamper: { m2?: (b: Uint8Array) => Uint8Array; m3?: (b: Uint8Array) => Uint8Array } = {}): { first: ServerStep; client?: ReturnType<typeof clientStep>; last?: ServerStep } {
  const client = startClient(params, random);
  const first = serverStep(initialServerState, client.m1, server, nodeCryptoOps, random);
  if (first.kind !== 'send') return { first };
  const reply = clientStep(client, tamper.m2 ? tamper.m2(first.bytes) : first.bytes, nodeCryptoOps);
  if (reply.kind !== 'proof') return { first, client: reply };
  return { first, client: reply, last: serverStep(first.next, tamper.m3 ? tamper.m3(reply.bytes) : reply.bytes, server, nodeCryptoOps, random) };
}

test('a session handshake: exact lengths, one key per direction, the same keys and sid on both sides', (t) => {
  const master = nacl.sign.keyPair();
  const worker = nacl.sign.keyPair();
  const client = startClient({ ...worker, masterKey: master.publicKey }, random);
  t.is(client.m1.length, HELLO_SESSION_BYTES);
  const server = policy(master, { pins: { [hexKey(worker.publicKey)]: 'active' } });
  const m2 = serverStep(initialServerState, client.m1, server, nodeCryptoOps, random);
  if (m2.kind !== 'send') return t.fail(m2.kind);
  t.is(m2.bytes.length, WELCOME_BYTES);
  const m3 = clientStep(client, m2.bytes, nodeCryptoOps);
  if (m3.kind !== 'proof') return t.fail(m3.detail);
  t.is(m3.bytes.length, PROOF_SESSION_BYTES);
  const done = serverStep(m2.next, m3.bytes, server, nodeCryptoOps, random);
  if (done.kind !== 'established') return t.fail(done.kind);
  t.deepEqual(done.keys.clientToServer, m3.keys.clientToServer);
  t.deepEqual(done.keys.serverToClient, m3.keys.serverToClient);
  t.notDeepEqual(done.keys.clientToServer, done.keys.serverToClient);
  t.is(done.keys.sid, m3.keys.sid);
  t.regex(done.keys.sid, /^[0-9a-f]{32}$/);
  t.deepEqual(done.peerKey, worker.publicKey);
  t.is(client.ephemeralSecret.every((b) => b === 0), true, 'the ephemeral secret is zeroed after use');
});

test('a join handshake: 132 / 162 / 129 bytes, the invite is claimed once, its secret zeroed', (t) => {
  const master = nacl.sign.keyPair();
  const worker = nacl.sign.keyPair();
  const invite = nacl.sign.keyPair();
  const server = policy(master, { invites: { [hexKey(invite.publicKey)]: 'open' } });
  const client = startClient({ ...worker, masterKey: master.publicKey, invite }, random);
  t.is(client.m1.length, HELLO_JOIN_BYTES);
  const m2 = serverStep(initialServerState, client.m1, server, nodeCryptoOps, random);
  if (m2.kind !== 'send') return t.fail(m2.kind);
  const m3 = clientStep(client, m2.bytes, nodeCryptoOps);
  if (m3.kind !== 'proof') return t.fail(m3.detail);
  t.is(m3.bytes.length, PROOF_JOIN_BYTES);
  t.true(invite.secretKey.every((b) => b === 0));
  const done = serverStep(m2.next, m3.bytes, server, nodeCryptoOps, random);
  t.is(done.kind, 'established');
  t.deepEqual(server.claimed, [hexKey(worker.publicKey)]);
});

test('HELLO from an unknown key costs zero signatures, verifications and DH', (t) => {
  const master = nacl.sign.keyPair();
  const { ops, counts } = countedOps(nodeCryptoOps);
  const server = policy(master);
  for (let i = 0; i < 50; i++) {
    const stranger = nacl.sign.keyPair();
    const client = startClient({ ...stranger, masterKey: master.publicKey }, random);
    const step = serverStep(initialServerState, client.m1, server, ops, random);
    t.is(step.kind === 'refuse' && step.refusal, 'unknown_key');
  }
  t.deepEqual({ ...counts }, { sign: 0, verify: 0, scalarMult: 0 });
});

test('every cheap refusal comes before any crypto, in the documented order', (t) => {
  const master = nacl.sign.keyPair();
  const worker = nacl.sign.keyPair();
  const invite = nacl.sign.keyPair();
  const { ops, counts } = countedOps(nodeCryptoOps);
  const cases: [ServerPolicy, ClientParams, Refusal][] = [
    [policy(master, { pins: { [hexKey(worker.publicKey)]: 'revoked' } }), { ...worker, masterKey: master.publicKey }, 'revoked_key'],
    [policy(master, { deny: 'address' }), { ...worker, masterKey: master.publicKey }, 'rate_limited'],
    [policy(master, { invites: { [hexKey(invite.publicKey)]: 'open' }, deny: 'address' }), { ...worker, masterKey: master.publicKey, invite }, 'rate_limited'],
    [policy(master, { pins: { [hexKey(worker.publicKey)]: 'active' }, deny: 'key' }), { ...worker, masterKey: master.publicKey }, 'rate_limited'],
    [policy(master, { pins: { [hexKey(worker.publicKey)]: 'active' }, deny: 'signatures' }), { ...worker, masterKey: master.publicKey }, 'rate_limited'],
    [policy(master), { ...master, masterKey: master.publicKey }, 'own_key'],
    [policy(master, { invites: { [hexKey(invite.publicKey)]: 'used' } }), { ...worker, masterKey: master.publicKey, invite }, 'invite_used'],
    [policy(master, { invites: { [hexKey(invite.publicKey)]: 'expired' } }), { ...worker, masterKey: master.publicKey, invite }, 'invite_expired'],
    [policy(master, { invites: {} }), { ...worker, masterKey: master.publicKey, invite }, 'unknown_invite'],
    [policy(master, { invites: { [hexKey(invite.publicKey)]: 'open' }, pins: { [hexKey(worker.publicKey)]: 'revoked' } }), { ...worker, masterKey: master.publicKey, invite }, 'already_pinned'],
    [policy(master, { invites: { [hexKey(invite.publicKey)]: 'open' } }), { publicKey: new Uint8Array(32), secretKey: worker.secretKey, masterKey: master.publicKey, invite }, 'small_order_key'],
  ];
  for (const [server, params, refusal] of cases) {
    const step = serverStep(initialServerState, startClient(params, random).m1, server, ops, random);
    t.is(step.kind === 'refuse' ? step.refusal : step.kind, refusal);
  }
  t.deepEqual({ ...counts }, { sign: 0, verify: 0, scalarMult: 0 });
});

test('pinned workers reconnecting from one address are charged to their own keys, not to the address', (t) => {
  const master = nacl.sign.keyPair();
  const workers = Array.from({ length: 50 }, () => nacl.sign.keyPair());
  const charged: RateBucket[] = [];
  let addressTokens = 1;
  const keyTokens = new Map<string, number>();
  let lastKey = '';
  const server: ServerPolicy = {
    ...policy(master, { pins: Object.fromEntries(workers.map((w) => [hexKey(w.publicKey), 'active' as const])) }),
    pin: (key) => ((lastKey = hexKey(key)), workers.some((w) => hexKey(w.publicKey) === lastKey) ? 'active' : undefined),
    allow: (bucket) => {
      charged.push(bucket);
      if (bucket === 'address') return addressTokens-- > 0;
      if (bucket === 'key') {
        const left = keyTokens.get(lastKey) ?? 1;
        keyTokens.set(lastKey, left - 1);
        return left > 0;
      }
      return true;
    },
  };
  const step = (params: ClientParams): ServerStep => serverStep(initialServerState, startClient(params, random).m1, server, nodeCryptoOps, random);
  for (const worker of workers) t.is(step({ ...worker, masterKey: master.publicKey }).kind, 'send');
  t.false(charged.includes('address'));
  const stranger = nacl.sign.keyPair();
  const first = step({ ...stranger, masterKey: master.publicKey });
  t.true(first.kind === 'refuse' && first.refusal === 'unknown_key');
  // The address's one token went to the stranger's refusal; a replayed pinned key, its own bucket empty, now meets the empty address bucket.
  const replayed = step({ ...(workers[0] ?? master), masterKey: master.publicKey });
  t.true(replayed.kind === 'refuse' && replayed.refusal === 'rate_limited' && /address/.test(replayed.detail));
  const another = step({ ...stranger, masterKey: master.publicKey });
  t.true(another.kind === 'refuse' && another.refusal === 'rate_limited');
});

test('malformed HELLOs are refused by layout', (t) => {
  const server = policy(nacl.sign.keyPair());
  const good = startClient({ ...nacl.sign.keyPair(), masterKey: server.publicKey }, random).m1;
  const variants = [good.subarray(0, 99), new Uint8Array(101), Uint8Array.from(good, (b, i) => (i === 0 ? 9 : b)), Uint8Array.from(good, (b, i) => (i === 3 ? 1 : b)), Uint8Array.from(good, (b, i) => (i === 1 ? 5 : b))];
  for (const bytes of variants) {
    const step = serverStep(initialServerState, bytes, server, nodeCryptoOps, random);
    t.true(step.kind === 'refuse' && step.refusal === 'bad_layout', String(bytes.length));
  }
  const future = Uint8Array.from(good, (b, i) => (i === 1 || i === 2 ? 7 : b));
  const step = serverStep(initialServerState, future, server, nodeCryptoOps, random);
  t.true(step.kind === 'refuse' && step.refusal === 'bad_version');
});

test('the client refuses a forged server signature, a changed master key and a reflected ephemeral', (t) => {
  const master = nacl.sign.keyPair();
  const worker = nacl.sign.keyPair();
  const server = policy(master, { pins: { [hexKey(worker.publicKey)]: 'active' } });
  const params = { ...worker, masterKey: master.publicKey };
  const forged = run(params, server, { m2: (b) => Uint8Array.from(b, (x, i) => (i === 150 ? x ^ 1 : x)) });
  t.is(forged.client?.kind === 'refuse' && forged.client.refusal, 'bad_signature');
  const impostor = nacl.sign.keyPair();
  const changed = run(params, policy(impostor, { pins: { [hexKey(worker.publicKey)]: 'active' } }));
  t.is(changed.client?.kind === 'refuse' && changed.client.refusal, 'master_key_changed');
  t.regex(changed.client?.kind === 'refuse' ? changed.client.detail : '', /master key changed/);
  const client = startClient(params, random);
  const m2 = serverStep(initialServerState, client.m1, server, nodeCryptoOps, random);
  if (m2.kind !== 'send') return t.fail();
  const reflected = Uint8Array.from(m2.bytes);
  reflected.set(client.ephemeral, 34);
  const step = clientStep(client, reflected, nodeCryptoOps);
  t.is(step.kind === 'refuse' && step.refusal, 'reflected_ephemeral');
});

test('the server refuses a forged client or invite signature before any DH', (t) => {
  const master = nacl.sign.keyPair();
  const worker = nacl.sign.keyPair();
  const invite = nacl.sign.keyPair();
  const flip = (at: number) => (b: Uint8Array) => Uint8Array.from(b, (x, i) => (i === at ? x ^ 1 : x));
  const session = run({ ...worker, masterKey: master.publicKey }, policy(master, { pins: { [hexKey(worker.publicKey)]: 'active' } }), { m3: flip(10) });
  t.is(session.last?.kind === 'refuse' && session.last.refusal, 'bad_signature');
  const server = policy(master, { invites: { [hexKey(invite.publicKey)]: 'open' } });
  const join = run({ ...worker, masterKey: master.publicKey, invite }, server, { m3: flip(100) });
  t.is(join.last?.kind === 'refuse' && join.last.refusal, 'bad_invite_signature');
  t.deepEqual(server.claimed, []);
});

test('an all-zero DH share is refused on both sides', (t) => {
  const master = nacl.sign.keyPair();
  const worker = nacl.sign.keyPair();
  const server = policy(master, { pins: { [hexKey(worker.publicKey)]: 'active' } });
  // A client whose ephemeral is a small-order point: the server's DH is all zeros.
  const client = startClient({ ...worker, masterKey: master.publicKey }, random);
  const m1 = Uint8Array.from(client.m1);
  m1.set(new Uint8Array(32), 36);
  const m2 = serverStep(initialServerState, m1, server, nodeCryptoOps, random);
  if (m2.kind !== 'send') return t.fail();
  // The client signs the transcript of the M1 the server saw, so the server reaches its DH check.
  const honest = { ...client, m1 };
  const m3 = clientStep(honest, m2.bytes, { ...nodeCryptoOps, scalarMult: () => new Uint8Array(32).fill(1) });
  if (m3.kind !== 'proof') return t.fail(m3.detail);
  const done = serverStep(m2.next, m3.bytes, server, nodeCryptoOps, random);
  t.is(done.kind === 'refuse' && done.refusal, 'zero_dh');
  // A master that signs a small-order ephemeral is refused by the client's all-zero check.
  const c2 = startClient({ ...worker, masterKey: master.publicKey }, random);
  const unsigned = encodeWelcomeUnsigned(1, master.publicKey, new Uint8Array(32), random(32));
  const signature = nodeCryptoOps.sign(master.secretKey, concat(LABEL_SERVER, transcript(c2.m1, unsigned)));
  const step = clientStep(c2, concat(unsigned, signature), nodeCryptoOps);
  t.is(step.kind === 'refuse' && step.refusal, 'zero_dh');
});

test('a replayed M3 against a fresh M2 is refused: the transcript differs', (t) => {
  const master = nacl.sign.keyPair();
  const worker = nacl.sign.keyPair();
  const server = policy(master, { pins: { [hexKey(worker.publicKey)]: 'active' } });
  const client = startClient({ ...worker, masterKey: master.publicKey }, random);
  const first = serverStep(initialServerState, client.m1, server, nodeCryptoOps, random);
  if (first.kind !== 'send') return t.fail();
  const m3 = clientStep(client, first.bytes, nodeCryptoOps);
  if (m3.kind !== 'proof') return t.fail();
  const replay = serverStep(initialServerState, client.m1, server, nodeCryptoOps, random);
  if (replay.kind !== 'send') return t.fail();
  const step = serverStep(replay.next, m3.bytes, server, nodeCryptoOps, random);
  t.is(step.kind === 'refuse' && step.refusal, 'bad_signature');
});
