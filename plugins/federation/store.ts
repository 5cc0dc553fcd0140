import fs from 'node:fs';
import path from 'node:path';
import { bytesEqual } from './crypto.js';
import { FederationFileError, readJson, withFileLock, writeAtomic } from './files.js';
import { fingerprint, keyFromText, keyToText, parseFingerprint } from './fingerprint.js';

/** peers.json and invites.json: the master's pins and open invites (public keys only, nothing secret). */

export type Labels = Readonly<Record<string, string>>;

export interface Peer {
  readonly key: Uint8Array;
  readonly name: string;
  readonly labels: Labels;
  readonly role: 'worker';
  readonly added: string;
  readonly revoked?: string;
}

export interface Invite {
  readonly key: Uint8Array;
  readonly name: string;
  readonly labels: Labels;
  /** Seconds since the epoch. */
  readonly expires: number;
  /** The fingerprint of the only worker key that may use this invite (`invite --key`). */
  readonly forKey?: string;
  readonly used?: { readonly at: string; readonly by: string };
}

type Fields = Readonly<Record<string, unknown>>;
const isObject = (v: unknown): v is Fields => typeof v === 'object' && v !== null && !Array.isArray(v);
export const NAME = /^[a-z0-9][a-z0-9_.-]{0,62}$/i;

export function parseLabels(value: unknown): Labels | undefined {
  if (!isObject(value)) return undefined;
  const entries = Object.entries(value);
  return entries.every(([k, v]) => NAME.test(k) && typeof v === 'string' && v.length <= 256) ? (value as Labels) : undefined;
}

function list(file: string, field: string, raw: unknown): readonly Fields[] {
  if (raw === undefined) return [];
  if (!isObject(raw) || raw.v !== 1 || !Array.isArray(raw[field])) throw new FederationFileError(file, `expected {"v": 1, "${field}": [...]}`);
  const items = raw[field] as unknown[];
  return items.map((item, i) => {
    if (!isObject(item)) throw new FederationFileError(file, `${field}[${i}]: expected an object`);
    return item;
  });
}

function need<T>(file: string, where: string, value: T | undefined): T {
  if (value === undefined) throw new FederationFileError(file, `${where}: missing or malformed`);
  return value;
}

const isTime = (v: unknown): v is string => typeof v === 'string' && !Number.isNaN(Date.parse(v));

function readPeers(file: string): Peer[] {
  return list(file, 'peers', readJson(file)).map((p, i) => {
    const at = `peers[${i}]`;
    const peer: Peer = {
      key: need(file, `${at}.key`, keyFromText(p.key)),
      name: need(file, `${at}.name`, typeof p.name === 'string' && NAME.test(p.name) ? p.name : undefined),
      labels: need(file, `${at}.labels`, parseLabels(p.labels)),
      role: need(file, `${at}.role`, p.role === 'worker' ? 'worker' : undefined),
      added: need(file, `${at}.added`, isTime(p.added) ? p.added : undefined),
    };
    if (p.revoked === undefined) return peer;
    return { ...peer, revoked: need(file, `${at}.revoked`, isTime(p.revoked) ? p.revoked : undefined) };
  });
}

function readInvites(file: string): Invite[] {
  return list(file, 'invites', readJson(file)).map((p, i) => {
    const at = `invites[${i}]`;
    const invite: Invite = {
      key: need(file, `${at}.key`, keyFromText(p.key)),
      name: need(file, `${at}.name`, typeof p.name === 'string' && NAME.test(p.name) ? p.name : undefined),
      labels: need(file, `${at}.labels`, parseLabels(p.labels)),
      expires: need(file, `${at}.expires`, Number.isSafeInteger(p.expires) ? (p.expires as number) : undefined),
      ...(p.forKey === undefined ? {} : { forKey: need(file, `${at}.forKey`, parseFingerprint(p.forKey)) }),
    };
    if (p.used === undefined) return invite;
    const used = isObject(p.used) && isTime(p.used.at) && typeof p.used.by === 'string' ? { at: p.used.at, by: p.used.by } : undefined;
    return { ...invite, used: need(file, `${at}.used`, used) };
  });
}

const peerJson = (p: Peer): object => ({ key: keyToText(p.key), fingerprint: fingerprint(p.key), name: p.name, labels: p.labels, role: p.role, added: p.added, ...(p.revoked ? { revoked: p.revoked } : {}) });
const inviteJson = (i: Invite): object => ({ key: keyToText(i.key), name: i.name, labels: i.labels, expires: i.expires, ...(i.forKey ? { forKey: i.forKey } : {}), ...(i.used ? { used: i.used } : {}) });

function fileStamp(file: string): string {
  try {
    const s = fs.statSync(file);
    return `${s.ino}:${s.size}:${s.mtimeMs}`;
  } catch {
    return 'none';
  }
}

/** An invite made for one worker key (`invite --key`) that another key presents. */
const boundElsewhere = (invite: Invite, clientKey: Uint8Array): boolean => invite.forKey !== undefined && invite.forKey !== fingerprint(clientKey);

export type InviteCheck = 'open' | 'used' | 'expired' | 'other_key' | undefined;

export class PeerStore {
  readonly peersFile: string;
  readonly invitesFile: string;
  #peers: Peer[] = [];
  #invites: Invite[] = [];
  #stamp = '';

  constructor(readonly dir: string) {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    this.peersFile = path.join(dir, 'peers.json');
    this.invitesFile = path.join(dir, 'invites.json');
    this.refresh();
  }

  /** Re-reads both files when either changed on disk (a CLI command wrote it); true when something changed. */
  refresh(): boolean {
    const stamp = `${fileStamp(this.peersFile)}|${fileStamp(this.invitesFile)}`;
    if (stamp === this.#stamp) return false;
    this.#peers = readPeers(this.peersFile);
    this.#invites = readInvites(this.invitesFile);
    this.#stamp = stamp;
    return true;
  }

  get peers(): readonly Peer[] {
    return this.#peers;
  }

  peerByKey(key: Uint8Array): Peer | undefined {
    return this.#peers.find((p) => bytesEqual(p.key, key));
  }

  invite(key: Uint8Array, nowSeconds: number, clientKey: Uint8Array): InviteCheck {
    const invite = this.#invites.find((i) => bytesEqual(i.key, key));
    if (!invite) return undefined;
    if (invite.used) return 'used';
    if (invite.expires <= nowSeconds) return 'expired';
    return boundElsewhere(invite, clientKey) ? 'other_key' : 'open';
  }

  /** Adds an invite; refuses a name an active peer already holds. */
  addInvite(invite: Invite): void {
    this.#locked(() => {
      if (this.#peers.some((p) => p.name === invite.name && !p.revoked)) throw new Error(`a node named "${invite.name}" is already joined; revoke it first or choose another name`);
      this.#invites.push(invite);
      this.#write();
    });
  }

  /** Re-checks the invite and marks it used, then pins the key, all under the lock and before anything else. */
  claimInvite(inviteKey: Uint8Array, clientKey: Uint8Array, now: Date): Peer | undefined {
    return this.#locked(() => {
      const index = this.#invites.findIndex((i) => bytesEqual(i.key, inviteKey));
      const invite = this.#invites[index];
      if (!invite || invite.used || invite.expires <= now.getTime() / 1000 || boundElsewhere(invite, clientKey) || this.peerByKey(clientKey)) return undefined;
      this.#invites[index] = { ...invite, used: { at: now.toISOString(), by: fingerprint(clientKey) } };
      const peer: Peer = { key: clientKey, name: invite.name, labels: invite.labels, role: 'worker', added: now.toISOString() };
      this.#peers = [...this.#peers.filter((p) => !(p.name === invite.name && p.revoked)), peer];
      this.#write();
      return peer;
    });
  }

  /** Marks a peer revoked for good (its key stays listed so it can never join again). */
  revoke(nameOrFingerprint: string, now: Date): Peer | undefined {
    return this.#locked(() => {
      const peer = this.#peers.find((p) => !p.revoked && (p.name === nameOrFingerprint || fingerprint(p.key).startsWith(nameOrFingerprint.toUpperCase())));
      if (!peer) return undefined;
      const revoked = { ...peer, revoked: now.toISOString() };
      this.#peers = this.#peers.map((p) => (p === peer ? revoked : p));
      this.#write();
      return revoked;
    });
  }

  #locked<T>(fn: () => T): T {
    return withFileLock(this.peersFile, () => {
      this.#stamp = '';
      this.refresh();
      return fn();
    });
  }

  #write(): void {
    writeAtomic(this.invitesFile, JSON.stringify({ v: 1, invites: this.#invites.map(inviteJson) }, null, 2));
    writeAtomic(this.peersFile, JSON.stringify({ v: 1, peers: this.#peers.map(peerJson) }, null, 2));
    this.#stamp = `${fileStamp(this.peersFile)}|${fileStamp(this.invitesFile)}`;
  }
}
