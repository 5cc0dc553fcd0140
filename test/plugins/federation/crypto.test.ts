import test from 'ava';
import nacl from 'tweetnacl';
import { countedOps, hash, isSmallOrder, nodeCryptoOps, x25519, x25519Base } from '../../../plugins/federation/crypto.js';

const hex = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'hex'));

/** RFC 8032, section 7.1, tests 1 to 3: seed, public key, message, signature. */
const RFC8032 = [
  ['9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60', 'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a', '', 'e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b'],
  ['4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb', '3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c', '72', '92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00'],
  ['c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7', 'fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025', 'af82', '6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac18ff9b538d16f290ae67f760984dc6594a7c15e9716ed28dc027beceea1ec40a'],
] as const;

test('RFC 8032 vectors: tweetnacl and node:crypto both sign and verify them byte for byte', (t) => {
  for (const [seed, pub, msg, sig] of RFC8032) {
    const pair = nacl.sign.keyPair.fromSeed(hex(seed));
    t.deepEqual(pair.publicKey, hex(pub));
    t.deepEqual(nacl.sign.detached(hex(msg), pair.secretKey), hex(sig));
    t.deepEqual(nodeCryptoOps.sign(pair.secretKey, hex(msg)), hex(sig));
    t.true(nacl.sign.detached.verify(hex(msg), hex(sig), hex(pub)));
    t.true(nodeCryptoOps.verify(hex(pub), hex(msg), hex(sig)));
    t.false(nodeCryptoOps.verify(hex(pub), hex(msg + '00'), hex(sig)));
  }
});

test('each implementation verifies the signatures of the other', (t) => {
  for (let i = 0; i < 20; i++) {
    const pair = nacl.sign.keyPair();
    const message = nacl.randomBytes(i * 7);
    t.true(nodeCryptoOps.verify(pair.publicKey, message, nacl.sign.detached(message, pair.secretKey)));
    t.true(nacl.sign.detached.verify(message, nodeCryptoOps.sign(pair.secretKey, message), pair.publicKey));
  }
});

const L = 2n ** 252n + 27742317777372353535851937790883648493n;

function addL(signature: Uint8Array): Uint8Array {
  const s = BigInt(`0x${Buffer.from(signature.subarray(32)).reverse().toString('hex')}`) + L;
  const bytes = Buffer.from(s.toString(16).padStart(64, '0'), 'hex').reverse();
  const out = new Uint8Array(signature);
  out.set(bytes, 32);
  return out;
}

test('a malleable signature (S + L) is accepted by tweetnacl and refused by the verifier the mesh uses', (t) => {
  const pair = nacl.sign.keyPair();
  const message = new Uint8Array(Buffer.from('nu-fed/1 client'));
  const malleable = addL(nacl.sign.detached(message, pair.secretKey));
  t.true(nacl.sign.detached.verify(message, malleable, pair.publicKey));
  t.false(nodeCryptoOps.verify(pair.publicKey, message, malleable));
});

test('verify refuses wrong lengths instead of throwing', (t) => {
  t.false(nodeCryptoOps.verify(new Uint8Array(31), new Uint8Array(1), new Uint8Array(64)));
  t.false(nodeCryptoOps.verify(new Uint8Array(32), new Uint8Array(1), new Uint8Array(63)));
});

test('hash is nacl.hash (SHA-512)', (t) => {
  const a = nacl.randomBytes(10);
  const b = nacl.randomBytes(100);
  const joined = new Uint8Array([...a, ...b]);
  t.deepEqual(hash(a, b), nacl.hash(joined));
});

test('the small-order list holds every listed encoding, with or without the top bit', (t) => {
  const zero = new Uint8Array(32);
  t.true(isSmallOrder(zero));
  const top = new Uint8Array(32);
  top[31] = 0x80;
  t.true(isSmallOrder(top));
  t.true(isSmallOrder(hex('26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05')));
  t.true(isSmallOrder(hex('c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac03fa')));
  t.true(isSmallOrder(hex('ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff')));
  t.false(isSmallOrder(nacl.sign.keyPair().publicKey));
});

test('countedOps counts every operation', (t) => {
  const { ops, counts } = countedOps(nodeCryptoOps);
  const pair = nacl.sign.keyPair();
  const sig = ops.sign(pair.secretKey, new Uint8Array(1));
  ops.verify(pair.publicKey, new Uint8Array(1), sig);
  ops.scalarMult(nacl.randomBytes(32), nacl.scalarMult.base(nacl.randomBytes(32)));
  t.deepEqual({ ...counts }, { sign: 1, verify: 1, scalarMult: 1 });
});

test('x25519 through node:crypto is byte-identical to tweetnacl, RFC 7748 vector included', (t) => {
  // RFC 7748 section 6.1: Alice's secret, Bob's public key, the shared secret.
  const alice = hex('77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a');
  const bobPublic = hex('de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f');
  t.deepEqual(x25519(alice, bobPublic), hex('4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742'));
  t.deepEqual(x25519Base(alice), hex('8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a'));
  for (let i = 0; i < 20; i++) {
    const [a, b] = [nacl.randomBytes(32), nacl.randomBytes(32)];
    t.deepEqual(x25519Base(a), nacl.scalarMult.base(a));
    t.deepEqual(x25519(a, x25519Base(b)), nacl.scalarMult(a, nacl.scalarMult.base(b)));
  }
});

test('x25519 with a small-order share gives all zeros, as tweetnacl does, so the handshake refuses it either way', (t) => {
  const secret = nacl.randomBytes(32);
  for (const share of [new Uint8Array(32), hex('0100000000000000000000000000000000000000000000000000000000000000')]) {
    t.deepEqual(x25519(secret, share), new Uint8Array(32));
    t.deepEqual(nacl.scalarMult(secret, share), new Uint8Array(32));
  }
  t.deepEqual(x25519(new Uint8Array(3), new Uint8Array(32)), new Uint8Array(32));
});
