import test from 'ava';
import type { NodeView } from '../../../plugins/federation/master.js';
import { decodeMessage, encodeMessage } from '../../../plugins/federation/messages.js';
import { decodeRoute, selectNodes } from '../../../plugins/federation/route.js';

/** Which nodes a --node selector names, the RPC's params, and the control envelopes: pure, no sockets. */

const view = (name: string, labels: Record<string, string>, state: NodeView['state'] = 'online'): NodeView => ({ name, id: `ID-${name.toUpperCase()}`, labels, address: undefined, state, seen: undefined, rttMs: undefined, apps: undefined, version: undefined, sid: undefined });
const VIEWS = [view('nas', { disk: 'big' }), view('pi', { disk: 'small' }, 'offline'), view('box', { disk: 'big', zone: 'attic' })];
const SELF = { name: 'hub', id: 'ID-HUB' };
const names = (selected: ReturnType<typeof selectNodes>): readonly string[] | string => (typeof selected === 'string' ? selected : [...(selected.self ? ['hub'] : []), ...selected.nodes.map((n) => n.name)]);

test('--node all names this node and every pinned node, offline ones too (they are reported unreachable)', (t) => {
  t.deepEqual(names(selectNodes('all', SELF, VIEWS)), ['hub', 'nas', 'pi', 'box']);
});

test('--node by name or id, this node included; an unknown one is an error naming it', (t) => {
  t.deepEqual(names(selectNodes('pi', SELF, VIEWS)), ['pi']);
  t.deepEqual(names(selectNodes('ID-BOX', SELF, VIEWS)), ['box']);
  t.deepEqual(names(selectNodes('hub', SELF, VIEWS)), ['hub']);
  t.deepEqual(names(selectNodes('ID-HUB', SELF, VIEWS)), ['hub']);
  t.is(names(selectNodes('nope', SELF, VIEWS)), 'no node named "nope" (nor with that id); see node-unit nodes');
});

test('--node label=value names the workers pinned with that label (values may hold "=")', (t) => {
  t.deepEqual(names(selectNodes('disk=big', SELF, VIEWS)), ['nas', 'box']);
  t.deepEqual(names(selectNodes('zone=attic', SELF, VIEWS)), ['box']);
  t.is(names(selectNodes('disk=huge', SELF, VIEWS)), 'no node has the label disk=huge; see node-unit nodes');
  t.deepEqual(names(selectNodes('k=a=b', SELF, [view('x', { k: 'a=b' })])), ['x']);
  t.is(names(selectNodes('disk=', SELF, VIEWS)), '--node: expected label=value with a value of 1–256 characters, got "disk="');
  t.is(names(selectNodes('a b', SELF, VIEWS)), '--node: expected a node name, a node id, label=value or "all", got "a b"');
});

test('the RPC params are decoded, never thrown: node, command and command id each named when wrong', (t) => {
  t.like(decodeRoute({ node: 'nas', command: { verb: 'restart', target: 'api' }, commandId: 'deploy-1' }), { node: 'nas', command: { verb: 'restart', target: 'api' }, commandId: 'deploy-1' });
  const drawn = decodeRoute({ node: 'all', command: { verb: 'ls' } });
  t.true(typeof drawn !== 'string' && drawn.commandId.length > 0, 'a command id is drawn when none is given');
  t.regex(decodeRoute({ command: { verb: 'ls' } }) as string, /^--node: expected/);
  t.regex(decodeRoute({ node: 'nas', command: { verb: 'shutdown' } }) as string, /^verb: expected one of ls, describe/);
  t.regex(decodeRoute({ node: 'nas', command: { verb: 'ls' }, commandId: 'has space' }) as string, /^--command-id: expected/);
  t.regex(decodeRoute(null) as string, /^--node/);
});

test('control envelopes: request and reply carry text; a bad part is named, a reply carries no command id', (t) => {
  const request = { v: 1, type: 'request', text: '{"v":1,"id":1,"type":"list"}', command: 'c-1' } as const;
  t.deepEqual(decodeMessage(encodeMessage(request)), { ok: true, message: request });
  const part = { v: 1, type: 'reply', text: '{"v":1', more: true } as const;
  t.deepEqual(decodeMessage(encodeMessage(part)), { ok: true, message: part });
  const bad = (value: object): string => {
    const decoded = decodeMessage(new Uint8Array(Buffer.from(JSON.stringify(value))));
    return decoded.ok ? '' : decoded.error;
  };
  t.regex(bad({ v: 1, type: 'request', text: 7 }), /request: expected text/);
  t.regex(bad({ v: 1, type: 'reply', text: '', more: 'yes' }), /reply: more: expected true/);
  t.regex(bad({ v: 1, type: 'reply', text: '', command: 'c-1' }), /a reply carries no command id/);
  t.regex(bad({ v: 1, type: 'request', text: '', command: 'a b' }), /request: command: expected/);
});

test('an envelope travels as its header, a newline, then its text unescaped; the plain JSON form still decodes', (t) => {
  const text = '{"v":1,"type":"event","line":"a \\"quoted\\" é"}\n{"v":1,"id":2}';
  const reply = { v: 1, type: 'reply', text, more: true } as const;
  const encoded = Buffer.from(encodeMessage(reply));
  t.is(encoded.toString('utf8'), `{"v":1,"type":"reply","more":true}\n${text}`);
  t.deepEqual(decodeMessage(encoded), { ok: true, message: reply });
  t.deepEqual(decodeMessage(Buffer.from(JSON.stringify(reply))), { ok: true, message: reply });
  const raw = (header: string): string => {
    const decoded = decodeMessage(Buffer.from(header));
    return decoded.ok ? '' : decoded.error;
  };
  t.regex(raw('{"v":1,"type":"ping","seq":1}\nx'), /only a request or reply header/);
  t.regex(raw('{"v":1,"type":"reply","text":"a"}\nb'), /header without text/);
  t.regex(raw('{"v":1,"type":"reply"\n}'), /header before the first newline is not valid JSON/);
  t.deepEqual(decodeMessage(Buffer.from('{"v":1,"type":"request"}\n')), { ok: true, message: { v: 1, type: 'request', text: '' } });
});
