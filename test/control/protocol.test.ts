import test from 'ava';
import { LineReader, type LineEvent } from '../../src/control/lines.js';
import { controlSocketPath, MAX_SOCKET_PATH_BYTES } from '../../src/control/paths.js';
import { encode, MAX_MESSAGE_BYTES, PROTOCOL_VERSION } from '../../src/control/protocol.js';
import { decodeResult, decodeServerMessage } from '../../src/control/reply-decode.js';
import { decode } from '../../src/control/request-decode.js';

const BAD_INPUTS: readonly (readonly [string, unknown, string])[] = [
  ['not JSON', '{"v":1,', 'bad_json'],
  ['empty string', '', 'bad_json'],
  ['a number', 42, 'not_an_object'],
  ['null', null, 'not_an_object'],
  ['an array', '[1,2]', 'not_an_object'],
  ['a JSON string', '"list"', 'not_an_object'],
  ['no version', { id: 1, type: 'list' }, 'unsupported_version'],
  ['a future version', { v: 2, id: 1, type: 'list' }, 'unsupported_version'],
  ['version as a string', { v: '1', id: 1, type: 'list' }, 'unsupported_version'],
  ['no id', { v: 1, type: 'list' }, 'invalid_field'],
  ['negative id', { v: 1, id: -1, type: 'list' }, 'invalid_field'],
  ['fractional id', { v: 1, id: 1.5, type: 'list' }, 'invalid_field'],
  ['unknown type', { v: 1, id: 1, type: 'explode' }, 'unknown_type'],
  ['inherited name as type', { v: 1, id: 1, type: 'toString' }, 'unknown_type'],
  ['type missing', { v: 1, id: 1 }, 'unknown_type'],
  ['restart without target', { v: 1, id: 1, type: 'restart' }, 'invalid_field'],
  ['restart with empty target', { v: 1, id: 1, type: 'restart', target: '  ' }, 'invalid_field'],
  ['restart with a numeric target', { v: 1, id: 1, type: 'restart', target: 3 }, 'invalid_field'],
  ['reload without planOnly', { v: 1, id: 1, type: 'reload' }, 'invalid_field'],
  ['signal that does not exist', { v: 1, id: 1, type: 'signal', signal: 'SIGNOPE', target: 'api' }, 'invalid_field'],
  ['logs with a negative count', { v: 1, id: 1, type: 'logs', lines: -5 }, 'invalid_field'],
  ['logs with a huge count', { v: 1, id: 1, type: 'logs', lines: 10_000_000 }, 'invalid_field'],
  ['logs with a bad stream', { v: 1, id: 1, type: 'logs', lines: 5, streams: ['out', 'both'] }, 'invalid_field'],
  ['subscribe without logs', { v: 1, id: 1, type: 'subscribe' }, 'invalid_field'],
  ['subscribe with metrics as a word', { v: 1, id: 1, type: 'subscribe', logs: 'all', metrics: 'yes' }, 'invalid_field'],
  ['unsubscribe with a string id', { v: 1, id: 1, type: 'unsubscribe', subscription: '1' }, 'invalid_field'],
  ['shutdown with a numeric reason', { v: 1, id: 1, type: 'shutdown', reason: 5 }, 'invalid_field'],
  ['hello with min over max', { v: 1, id: 1, type: 'hello', min: 3, max: 2 }, 'invalid_field'],
  ['hello with a version zero', { v: 1, id: 1, type: 'hello', min: 0, max: 1 }, 'invalid_field'],
  ['hello in no version at all', { v: 'x', id: 1, type: 'hello' }, 'unsupported_version'],
  ['a future version of anything but hello', { v: 2, id: 1, type: 'ping' }, 'unsupported_version'],
  ['plugin without a method', { v: 1, id: 1, type: 'plugin', plugin: 'federation' }, 'invalid_field'],
  ['plugin with a blank name', { v: 1, id: 1, type: 'plugin', plugin: ' ', method: 'nodes' }, 'invalid_field'],
  ['restart with updateEnv as a word', { v: 1, id: 1, type: 'restart', target: 'api', updateEnv: 'yes' }, 'invalid_field'],
  ['add without an app', { v: 1, id: 1, type: 'add', cwd: '/tmp' }, 'invalid_field'],
  ['add with an app array', { v: 1, id: 1, type: 'add', app: [], cwd: '/tmp' }, 'invalid_field'],
  ['add with a relative cwd', { v: 1, id: 1, type: 'add', app: { script: 'a.js' }, cwd: 'tmp' }, 'invalid_field'],
  ['delete without a target', { v: 1, id: 1, type: 'delete' }, 'invalid_field'],
  ['scale without a change', { v: 1, id: 1, type: 'scale', app: 'api' }, 'invalid_field'],
  ['scale to a fraction', { v: 1, id: 1, type: 'scale', app: 'api', change: { kind: 'to', count: 1.5 } }, 'invalid_field'],
  ['scale by a word', { v: 1, id: 1, type: 'scale', app: 'api', change: { kind: 'by', delta: 'two' } }, 'invalid_field'],
  ['reset with an empty target', { v: 1, id: 1, type: 'reset', target: '' }, 'invalid_field'],
  ['subscribe with a throttle of 0 lines', { v: 1, id: 1, type: 'subscribe', logs: 'all', throttle: { ms: 100, lines: 0 } }, 'invalid_field'],
  ['subscribe with a throttle in words', { v: 1, id: 1, type: 'subscribe', logs: 'all', throttle: 'fast' }, 'invalid_field'],
  ['panel without a width', { v: 1, id: 1, type: 'panel', plugin: 'disk', panel: 'free' }, 'invalid_field'],
  ['panel of width 0', { v: 1, id: 1, type: 'panel', plugin: 'disk', panel: 'free', width: 0 }, 'invalid_field'],
  ['panel wider than any terminal', { v: 1, id: 1, type: 'panel', plugin: 'disk', panel: 'free', width: 100_000 }, 'invalid_field'],
  ['panel without a plugin', { v: 1, id: 1, type: 'panel', panel: 'free', width: 80 }, 'invalid_field'],
];

for (const [name, input, code] of BAD_INPUTS) {
  test(`decode: ${name} → ${code}`, (t) => {
    const decoded = decode(input);
    t.false(decoded.ok);
    if (!decoded.ok) {
      t.is(decoded.error.code as string, code);
      t.true(decoded.error.message.length > 0);
    }
  });
}

test('decode: nesting too deep to describe is an error reply, not a thrown RangeError', (t) => {
  const deep = `${'['.repeat(20_000)}${']'.repeat(20_000)}`;
  t.like(decode(deep), { ok: false, error: { code: 'not_an_object', message: 'expected a JSON object, got […] (array)' } });
  t.like(decode(`{"v":1,"id":3,"type":"restart","target":${deep}}`), { ok: false, id: 3, error: { code: 'invalid_field' } });
});

test('decode keeps the request id for errors found after it was read', (t) => {
  const decoded = decode({ v: 1, id: 7, type: 'restart' });
  t.deepEqual(decoded, { ok: false, id: 7, error: { code: 'invalid_field', message: 'restart: target: expected a non-empty string, got nothing' } });
});

test('decode accepts every request type and drops fields it does not know', (t) => {
  const good: readonly Record<string, unknown>[] = [
    { type: 'hello' },
    { type: 'list' },
    { type: 'describe', target: 'api' },
    { type: 'start', target: 'all' },
    { type: 'stop', target: 'web' },
    { type: 'restart', target: 'api:1' },
    { type: 'reload', planOnly: true },
    { type: 'reload', target: 'api', planOnly: false },
    { type: 'signal', signal: 'SIGUSR2', target: 'api' },
    { type: 'flush' },
    { type: 'logs', lines: 10, streams: ['err'] },
    { type: 'subscribe', logs: 'none' },
    { type: 'subscribe', logs: 'all', metrics: false },
    { type: 'subscribe', logs: 'all', throttle: { ms: 100, lines: 300 } },
    { type: 'unsubscribe', subscription: 3 },
    { type: 'shutdown', reason: 'down' },
    { type: 'hello', min: 1, max: 3 },
    { type: 'ping' },
    { type: 'plugin', plugin: 'federation', method: 'nodes', params: { all: true } },
    { type: 'plugin', plugin: 'federation', method: 'nodes' },
    { type: 'restart', target: 'api', updateEnv: true },
    { type: 'add', app: { script: 'worker.js', instances: 2 }, cwd: '/srv/app' },
    { type: 'delete', target: 'worker' },
    { type: 'scale', app: 'api', change: { kind: 'to', count: 4 } },
    { type: 'scale', app: 'api', change: { kind: 'by', delta: -1 } },
    { type: 'reset', target: 'all' },
    { type: 'views' },
    { type: 'panel', plugin: 'disk', panel: 'free', width: 80 },
  ];
  for (const body of good) {
    const decoded = decode(JSON.stringify({ v: PROTOCOL_VERSION, id: 1, extra: 'ignored', ...body }));
    t.true(decoded.ok, JSON.stringify(body));
    if (decoded.ok) t.false('extra' in decoded.message);
  }
});

test('hello is read in any version, so that a client of another version learns which versions this side speaks', (t) => {
  t.like(decode({ v: 7, id: 1, type: 'hello', min: 7, max: 9 }), { ok: true, message: { type: 'hello', min: 7, max: 9 } });
});

test('decodeServerMessage checks envelopes', (t) => {
  t.true(decodeServerMessage(encode({ v: 1, type: 'reply', id: 1, ok: true, result: [] })).ok);
  t.true(decodeServerMessage(encode({ v: 1, type: 'reply', id: null, ok: false, error: { code: 'too_large', message: 'x' } })).ok);
  t.true(decodeServerMessage(encode({ v: 1, type: 'event', subscription: 2, event: { type: 'shutdown', reason: 'x' } })).ok);
  const bad = [{ v: 1, type: 'reply', id: 1 }, { v: 1, type: 'reply', ok: false, error: { code: 'nope', message: 'x' } }, { v: 1, type: 'event', subscription: 1 }, { v: 1, type: 'other' }, { v: 3, type: 'reply' }];
  t.deepEqual(bad.map((raw) => decodeServerMessage(raw).ok), [false, false, false, false, false]);
});

function collect(reader: LineReader, chunks: readonly Buffer[]): LineEvent[] {
  const events: LineEvent[] = [];
  for (const chunk of chunks) reader.push(chunk, (event) => events.push(event));
  return events;
}

test('the line reader joins split lines, splits joined ones and skips blank ones', (t) => {
  const events = collect(new LineReader(100), [Buffer.from('{"a":'), Buffer.from('1}\n\n{"b":2}\n{"c"'), Buffer.from(':3}\n')]);
  t.deepEqual(events, [
    { kind: 'line', text: '{"a":1}' },
    { kind: 'line', text: '{"b":2}' },
    { kind: 'line', text: '{"c":3}' },
  ]);
});

test('a line over the limit is reported once, as soon as it passes the limit, and the rest of it is skipped', (t) => {
  const reader = new LineReader(10);
  t.deepEqual(collect(reader, [Buffer.from('12345'), Buffer.from('6789012')]), [{ kind: 'too_large', limit: 10 }]);
  t.is(reader.pending, 0);
  t.deepEqual(collect(reader, [Buffer.from('x'.repeat(1000)), Buffer.from('yyy\nok\n')]), [{ kind: 'line', text: 'ok' }]);
  t.deepEqual(collect(reader, [Buffer.from('0123456789\n01234567890\nfine\n')]), [{ kind: 'line', text: '0123456789' }, { kind: 'too_large', limit: 10 }, { kind: 'line', text: 'fine' }]);
});

test('the protocol limit is 1 MiB', (t) => {
  t.is(MAX_MESSAGE_BYTES, 1024 * 1024);
});

test('the socket lives in the state folder unless that path is too long for a unix socket', (t) => {
  t.is(controlSocketPath('/srv/app/.node-unit'), '/srv/app/.node-unit/control/node-unit.sock');
  const long = `/tmp/${'x'.repeat(120)}/.node-unit`;
  const env = { XDG_RUNTIME_DIR: '/run/user/1000' };
  const short = controlSocketPath(long, env);
  t.regex(short, /^\/run\/user\/1000\/node-unit\/[0-9a-f]{16}\.sock$/);
  t.is(controlSocketPath(long, env), short, 'client and server compute the same path');
  t.not(controlSocketPath(`${long}2`, env), short);
  t.true(Buffer.byteLength(controlSocketPath(long, {})) <= MAX_SOCKET_PATH_BYTES);
  t.regex(controlSocketPath(long, {}), /\/node-unit-\d+\/[0-9a-f]{16}\.sock$/);
});

test('plugin views on the way in: views and panel results, and column values on instances, are checked', (t) => {
  const views = { columns: [{ plugin: 'disk', id: 'free', header: 'FREE', width: 6, align: 'right' }], panels: [{ plugin: 'disk', id: 'usage', title: 'Usage', key: 'U' }] };
  t.true(decodeResult('views', views).ok);
  t.like(decodeResult('views', { ...views, columns: [{ ...views.columns[0], align: 'center' }] }), { ok: false, error: 'result.columns[0].align: expected one of "left", "right", got "center" (string)' });
  t.true(decodeResult('panel', { ok: true, lines: ['a', 'b'] }).ok);
  t.true(decodeResult('panel', { ok: false, message: 'no panel' }).ok);
  t.like(decodeResult('panel', { ok: true, lines: ['a', 2] }), { ok: false, error: 'result.lines[1]: expected a string, got 2 (number)' });
  const instance = { id: 'api:0', app: 'api', index: 0, namespace: 'default', state: { status: 'stopped', restarts: 0, since: 0 } };
  t.true(decodeResult('list', [{ ...instance, columns: { 'disk/free': '3G' } }]).ok);
  t.like(decodeResult('list', [{ ...instance, columns: { 'disk/free': 3 } }]), { ok: false, error: 'result[0].columns.disk/free: expected a string, got 3 (number)' });
  const metrics = { type: 'metrics', samples: [{ id: 'api:0', cpu: 1, memory: 2, columns: { 'disk/free': null } }] };
  t.false(decodeServerMessage({ v: 1, type: 'event', subscription: 1, event: metrics }).ok);
});
