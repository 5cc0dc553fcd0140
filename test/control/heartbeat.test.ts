import { spawn } from 'node:child_process';
import path from 'node:path';
import test from 'ava';
import { CLI } from '../helpers/cli.js';
import { connectControl } from '../../src/control/client.js';
import { ControlError } from '../../src/control/errors.js';
import type { SupervisorEvent } from '../../src/model/events.js';
import { cjsConfig, upProject } from '../helpers/control.js';
import { FIXTURES } from '../helpers/tmp.js';
import { waitFor } from '../helpers/wait.js';
import { rawServer } from './raw-server.js';

const heartbeat = { intervalMs: 200, timeoutMs: 1000 };

test('a server that answers pings keeps an idle connection up; once it falls silent the client gives it up', async (t) => {
  const { socketPath, peer } = await rawServer(t);
  const client = await connectControl(socketPath, { heartbeat });
  t.teardown(() => client.close());
  const { nextRequest, reply } = await peer;
  let answering = true;
  let pings = 0;
  void (async () => {
    for (;;) {
      const request = await nextRequest();
      if (request.type === 'ping' && answering) {
        pings++;
        reply(request.id, { pong: true });
      }
    }
  })();
  // Eight pings answered: the connection lived through more than the timeout while idle.
  await waitFor(() => pings >= 8, { timeoutMs: 10_000, what: 'eight pings' });
  t.is(client.closeReason, undefined);
  t.true((client.rtt ?? -1) >= 0);
  answering = false;
  await client.closed;
  t.is(client.closeReason?.code, 'unresponsive');
});

test('a stopped supervisor (SIGSTOP) whose socket stays open is noticed by a caller and by a viewer, and reported', async (t) => {
  const p = await upProject(t, { 'ecosystem.config.cjs': cjsConfig([{ name: 'solo', script: path.join(FIXTURES, 'procs', 'forever.js') }]) });
  await p.status('solo:0', 'online');
  const viewer = await connectControl(p.socketPath, { heartbeat });
  const events: SupervisorEvent[] = [];
  viewer.subscribe((event) => events.push(event), { logs: 'none', metrics: false });
  await waitFor(() => events.some((event) => event.type === 'snapshot'), { what: 'the snapshot' });
  const caller = await connectControl(p.socketPath, { heartbeat });
  await caller.hello();
  const pid = p.up.child.pid ?? 0;
  process.kill(pid, 'SIGSTOP');
  t.teardown(() => process.kill(pid, 'SIGCONT'));
  const stoppedAt = performance.now();
  const error = await t.throwsAsync(caller.list());
  t.true(error instanceof ControlError && error.code === 'unresponsive', String(error));
  t.regex(error?.message ?? '', /has not answered for \d+\.\d s although its connection is open/);
  await viewer.closed;
  t.is(viewer.closeReason?.code, 'unresponsive');
  const noticedAfter = performance.now() - stoppedAt;
  t.true(noticedAfter >= heartbeat.timeoutMs * 0.9, `not before the timeout (${noticedAfter} ms)`);
  process.kill(pid, 'SIGCONT');
  const again = await connectControl(p.socketPath);
  t.teardown(() => again.close());
  t.deepEqual((await again.list()).map((info) => info.id), ['solo:0'], 'the supervisor serves again once continued');
});

test('logs -f against a supervisor that stops answering says so and exits 1 instead of following forever', async (t) => {
  const p = await upProject(t, { 'ecosystem.config.cjs': cjsConfig([{ name: 'solo', script: path.join(FIXTURES, 'procs', 'forever.js') }]) });
  await p.status('solo:0', 'online');
  const follower = spawn(process.execPath, [CLI, 'logs', '-f'], { cwd: p.dir, env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
  t.teardown(() => follower.kill('SIGKILL'));
  let stdout = '';
  let stderr = '';
  follower.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  follower.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise<number | null>((resolve) => follower.once('exit', (code) => resolve(code)));
  await waitFor(() => stdout.includes('forever started'), { what: 'the follower to print the tail' });
  const pid = p.up.child.pid ?? 0;
  process.kill(pid, 'SIGSTOP');
  t.teardown(() => process.kill(pid, 'SIGCONT'));
  // The CLI's own heartbeat: a ping after 5 s of silence, given up after 15 s.
  t.is(await exited, 1);
  t.regex(stderr, /the supervisor has not answered for \d+\.\d s although its connection is open/);
});
