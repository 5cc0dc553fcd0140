import test from 'ava';
import { connectControl } from '../../src/control/client.js';
import { ControlError } from '../../src/control/errors.js';
import { PROTOCOL_VERSION } from '../../src/control/protocol.js';
import type { SupervisorEvent } from '../../src/model/events.js';
import { waitFor } from '../helpers/wait.js';
import { GOOD_HELLO, rawServer } from './raw-server.js';

const online = { status: 'online', pid: 100, since: 1, restarts: 0 };
const info = (overrides: Record<string, unknown> = {}): Record<string, unknown> => ({ id: 'api:0', app: 'api', index: 0, namespace: 'default', state: online, ...overrides });
const line = (seq: unknown): Record<string, unknown> => ({ seq, id: 'api:0', app: 'api', stream: 'out', time: 1, line: `line ${String(seq)}` });

async function rejection(t: import('ava').ExecutionContext, promise: Promise<unknown>): Promise<ControlError> {
  const error = await t.throwsAsync(promise);
  if (!(error instanceof ControlError)) throw new Error(`expected a ControlError, got ${String(error)}`);
  return error;
}

const BAD_RESULTS: readonly (readonly [string, 'list' | 'describe' | 'restart' | 'logs' | 'reload', unknown, string])[] = [
  ['a state that does not exist', 'list', [info(), info({ id: 'api:1', index: 1, state: { status: 'zombie', restarts: 0 } })], 'result[1].state.status: expected one of pending, starting, online, stopping, backoff, exited, errored, stopped, got "zombie" (string)'],
  ['a pid as text', 'list', [info({ state: { ...online, pid: '100' } })], 'result[0].state.pid: expected an integer, got "100" (string)'],
  ['an instance id without an index', 'list', [info({ id: 'api' })], 'result[0].id: expected an instance id such as "api:0", got "api" (string)'],
  ['a node that is not a name', 'list', [info({ node: 5 })], 'result[0].node: expected a string, got 5 (number)'],
  ['not a list', 'list', { instances: [] }, 'result: expected an array, got {"instances":[]} (object)'],
  ['an env value that is not a string', 'describe', { ok: true, instances: [{ info: info(), pid: 100, spec: { name: 'api' } }] }, 'result.instances[0].spec.namespace: expected a string, got nothing'],
  ['an action result without ok', 'restart', { instances: ['api:0'] }, 'result.ok: expected one of true, false, got nothing'],
  ['an error code nobody knows', 'restart', { ok: false, code: 'exploded', message: 'x' }, 'result.code: expected one of "unknown_target", "shutting_down", "failed", "bad_request", got "exploded" (string)'],
  ['a log line with a text seq', 'logs', { ok: true, lines: [line(1), line('2')] }, 'result.lines[1].seq: expected a non-negative integer, got "2" (string)'],
  ['a reload of an unknown kind', 'reload', { ok: true, kind: 'magic' }, 'result.kind: expected one of config, rolling, got "magic" (string)'],
];

for (const [name, type, result, message] of BAD_RESULTS) {
  test(`a reply with ${name} fails that call with bad_reply naming the field; the connection goes on`, async (t) => {
    const { socketPath, peer } = await rawServer(t);
    const client = await connectControl(socketPath);
    t.teardown(() => client.close());
    const { nextRequest, reply } = await peer;
    const call = type === 'list' ? client.list() : type === 'describe' ? client.describe('api') : type === 'restart' ? client.restart('api') : type === 'logs' ? client.logs('api', { lines: 5 }) : client.reload(undefined, { planOnly: true });
    const request = await nextRequest();
    t.is(request.type, type);
    reply(request.id, result);
    const error = await rejection(t, call);
    t.is(error.code, 'bad_reply');
    t.is(error.message, `the supervisor's reply to ${type} is malformed: ${message}`);
    const next = client.list();
    reply((await nextRequest()).id, [info()]);
    t.is((await next)[0]?.id, 'api:0');
  });
}

test('a malformed event is reported and dropped; the events around it reach the viewer and calls still work', async (t) => {
  const { socketPath, peer } = await rawServer(t);
  const problems: string[] = [];
  const client = await connectControl(socketPath, { onProblem: (message) => problems.push(message) });
  t.teardown(() => client.close());
  const { nextRequest, send, reply } = await peer;
  const events: SupervisorEvent[] = [];
  const unsubscribe = client.subscribe((event) => events.push(event));
  const subscribe = await nextRequest();
  reply(subscribe.id, { subscription: subscribe.id });
  const event = (body: unknown): void => send({ v: PROTOCOL_VERSION, type: 'event', subscription: subscribe.id, event: body });
  event({ type: 'snapshot', instances: [info()] });
  event({ type: 'log', lines: [line(1), line('two')] });
  event({ type: 'state', instance: info({ state: { status: 'stopped', restarts: 0, since: 2 } }) });
  event({ type: 'teleport' });
  event({ type: 'log', lines: [line(3)] });
  await waitFor(() => events.length === 3, { what: `the three good events (have ${JSON.stringify(events)}; problems ${JSON.stringify(problems)})`, timeoutMs: 3000 });
  t.deepEqual(events.map((e) => e.type), ['snapshot', 'state', 'log']);
  t.deepEqual(problems, [
    'the supervisor sent a malformed event, dropped: event.lines[1].seq: expected a non-negative integer, got "two" (string)',
    'the supervisor sent a malformed event, dropped: event.type: expected one of snapshot, state, log, metrics, config, shutdown, got "teleport" (string)',
  ]);
  const listed = client.list();
  reply((await nextRequest()).id, []);
  t.deepEqual(await listed, []);
  t.is(client.closeReason, undefined);
  unsubscribe();
  t.like(await nextRequest(), { type: 'unsubscribe', subscription: subscribe.id });
});

test('a server whose protocol versions do not meet the client\'s fails every call with an error naming both', async (t) => {
  const { socketPath } = await rawServer(t, { hello: { ...GOOD_HELLO, protocol: 5, protocols: { min: 5, max: 6 } } });
  const client = await connectControl(socketPath);
  const error = await rejection(t, client.list());
  t.is(error.code, 'version');
  t.is(error.message, `the supervisor (node-unit 0.0.0-test, pid 4242) speaks protocol versions 5–6; this client speaks version ${PROTOCOL_VERSION}: use the same node-unit on both sides`);
  await client.closed;
  t.is(client.closeReason?.code, 'version');
});

test('a server that refuses the client\'s versions in hello: every call fails with its message', async (t) => {
  const { socketPath, peer } = await rawServer(t, { hello: undefined });
  const client = await connectControl(socketPath);
  const { nextRequest, send } = await peer;
  const listed = client.list();
  const hello = await nextRequest();
  t.like(hello, { type: 'hello', min: 1, max: 1 });
  send({ v: PROTOCOL_VERSION, type: 'reply', id: hello.id, ok: false, error: { code: 'unsupported_version', message: 'this client speaks protocol version 1; the supervisor speaks versions 2–3' } });
  const error = await rejection(t, listed);
  t.is(error.code, 'version');
  t.regex(error.message, /version 1.*versions 2–3/);
});

test('an envelope the client cannot read ends the connection and says why', async (t) => {
  const { socketPath, peer } = await rawServer(t);
  const client = await connectControl(socketPath);
  const { nextRequest, send } = await peer;
  const listed = client.list();
  await nextRequest();
  send({ v: PROTOCOL_VERSION, type: 'gossip' });
  const error = await rejection(t, listed);
  t.is(error.code, 'protocol');
  t.regex(error.message, /unknown message type "gossip"/);
  await client.closed;
});
