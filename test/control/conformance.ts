import path from 'node:path';
import test, { type ExecutionContext } from 'ava';
import type { Controller } from '../../src/model/controller.js';
import type { InstanceInfo, SupervisorEvent } from '../../src/model/events.js';
import type { ProcessStatus } from '../../src/model/state.js';
import { FIXTURES } from '../helpers/tmp.js';
import { waitFor } from '../helpers/wait.js';

/**
 * One behaviour for every Controller: the in-process Supervisor, the ControlClient over the unix socket,
 * and a node reached over the mesh. A test file calls `controllerConformance(name, factory)`; the factory
 * runs CONFORMANCE_APPS (pm2-style keys, as an ecosystem file would hold them) on real processes.
 */

export interface ConformanceApp {
  readonly name: string;
  readonly script: string;
  readonly instances?: number;
  readonly autostart?: boolean;
  readonly kill_timeout?: number;
}

export interface ConformanceSubject {
  readonly controller: Controller;
  /** Makes the config say `apps` from now on (a reload reads it); what runs is not touched. */
  readonly setApps: (apps: readonly ConformanceApp[]) => Promise<void>;
  /** Stops everything the factory started. */
  readonly dispose: () => Promise<void>;
}

export type ConformanceFactory = (apps: readonly ConformanceApp[]) => Promise<ConformanceSubject>;

const procs = (name: string): string => path.join(FIXTURES, 'procs', name);

export const CONFORMANCE_APPS: readonly ConformanceApp[] = [
  { name: 'alpha', script: procs('forever.js'), instances: 2 },
  { name: 'stubborn', script: procs('ignore-term.js'), kill_timeout: 300 },
  { name: 'idle', script: procs('forever.js'), autostart: false },
];

const ALL_IDS = ['alpha:0', 'alpha:1', 'idle:0', 'stubborn:0'];

const pidOf = (info: InstanceInfo | undefined): number | undefined => (info && 'pid' in info.state ? info.state.pid : undefined);

async function find(controller: Controller, id: string): Promise<InstanceInfo | undefined> {
  return (await controller.list()).find((info) => info.id === id);
}

function until(controller: Controller, id: string, status: ProcessStatus, also: (info: InstanceInfo) => boolean = () => true): Promise<InstanceInfo> {
  return waitFor(async () => {
    const info = await find(controller, id);
    return info?.state.status === status && also(info) ? info : undefined;
  }, { timeoutMs: 15_000, what: `${id} to be ${status}` });
}

/** Registers the suite's tests, serially, on one subject made once for them all. */
export function controllerConformance(name: string, factory: ConformanceFactory): void {
  let subject: ConformanceSubject | undefined;
  const current = (): ConformanceSubject => {
    if (!subject) throw new Error(`${name}: the factory did not run`);
    return subject;
  };
  test.before(async () => {
    subject = await factory(CONFORMANCE_APPS);
    const c = subject.controller;
    for (const id of ['alpha:0', 'alpha:1', 'stubborn:0']) await until(c, id, 'online');
  });
  test.after.always(async () => {
    await subject?.dispose();
  });
  const serial = (title: string, body: (t: ExecutionContext, c: Controller) => Promise<void>): void => {
    test.serial(`${name}: ${title}`, (t) => body(t, current().controller));
  };

  serial('list gives every instance with its app, index, namespace and state', async (t) => {
    const list = await current().controller.list();
    t.deepEqual(list.map((info) => info.id).sort(), ALL_IDS);
    const alpha1 = list.find((info) => info.id === 'alpha:1');
    t.like(alpha1, { app: 'alpha', index: 1, namespace: 'default', state: { status: 'online' } });
    t.true(typeof pidOf(alpha1) === 'number');
    t.not(list.find((info) => info.id === 'idle:0')?.state.status, 'online', 'an app without autostart is not started');
  });

  serial('describe gives the spec and pid of an instance, or of every instance of an app', async (t, c) => {
    const one = await c.describe('alpha:1');
    if (!one.ok) return t.fail(one.message);
    t.is(one.instances.length, 1);
    t.like(one.instances[0], { info: { id: 'alpha:1' }, spec: { name: 'alpha', instances: 2, script: procs('forever.js') } });
    t.is(one.instances[0]?.pid, pidOf(await find(c, 'alpha:1')));
    const app = await c.describe('alpha');
    t.deepEqual(app.ok ? app.instances.map((detail) => detail.info.id) : [], ['alpha:0', 'alpha:1']);
  });

  serial('start and stop an app; each replies with the instances it touched, once done', async (t, c) => {
    t.like(await c.start('idle'), { ok: true, instances: ['idle:0'] });
    await until(c, 'idle:0', 'online');
    t.like(await c.stop('idle'), { ok: true, instances: ['idle:0'] });
    t.is((await find(c, 'idle:0'))?.state.status, 'stopped');
  });

  serial('restart replaces the process: a new pid, one more restart counted, online when it replies', async (t, c) => {
    const before = await find(c, 'alpha:1');
    t.like(await c.restart('alpha:1'), { ok: true, instances: ['alpha:1'] });
    const after = await until(c, 'alpha:1', 'online', (info) => pidOf(info) !== pidOf(before));
    t.not(pidOf(after), pidOf(before));
    t.is(after.state.restarts, (before?.state.restarts ?? 0) + 1);
  });

  serial('signal reaches the process without stopping it', async (t, c) => {
    const before = await find(c, 'stubborn:0');
    // Online means spawned; the signal must wait until the script has set up its handlers.
    await waitFor(async () => {
      const tail = await c.logs('stubborn', { lines: 50 });
      return tail.ok && tail.lines.some((line) => line.line === `ignore-term started pid=${pidOf(before)}`);
    }, { what: 'stubborn to be ready for signals' });
    t.like(await c.signal('SIGTERM', 'stubborn'), { ok: true, instances: ['stubborn:0'] });
    await waitFor(async () => {
      const tail = await c.logs('stubborn', { lines: 50 });
      return tail.ok && tail.lines.some((line) => line.line === 'ignoring SIGTERM');
    }, { what: 'stubborn to log the signal' });
    t.is(pidOf(await find(c, 'stubborn:0')), pidOf(before));
  });

  serial('logs gives recent lines of the target in arrival order, filtered by stream', async (t, c) => {
    const pids = (await c.list()).filter((info) => info.app === 'alpha').map(pidOf);
    const started = pids.map((pid) => `forever started pid=${pid}`);
    const tail = await waitFor(async () => {
      const result = await c.logs('alpha', { lines: 50 });
      return result.ok && started.every((text) => result.lines.some((line) => line.line.startsWith(text))) ? result : undefined;
    }, { what: `both alpha instances to have printed (${started.join(', ')})` });
    t.true(tail.lines.every((line) => line.app === 'alpha' && line.stream === 'out'));
    const seqs = tail.lines.map((line) => line.seq);
    t.deepEqual(seqs, [...seqs].sort((a, b) => a - b));
    t.like(await c.logs('alpha', { lines: 50, streams: ['err'] }), { ok: true, lines: [] });
    const one = await c.logs(undefined, { lines: 1 });
    t.is(one.ok ? one.lines.length : -1, 1);
  });

  serial('subscribe: a snapshot of every instance first, then live state and log events of the chosen target', async (t, c) => {
    const events: SupervisorEvent[] = [];
    const quiet: SupervisorEvent[] = [];
    const unsubscribe = c.subscribe((event) => events.push(event), { logs: 'alpha', metrics: false });
    const unsubscribeQuiet = c.subscribe((event) => quiet.push(event), { logs: 'none', metrics: false });
    await waitFor(() => events.length > 0 && quiet.length > 0, { what: 'the snapshots' });
    const [first] = events;
    t.is(first?.type, 'snapshot');
    t.deepEqual(first?.type === 'snapshot' ? first.instances.map((info) => info.id).sort() : [], ALL_IDS);
    const before = pidOf(await find(c, 'alpha:0'));
    await c.restart('alpha:0');
    const online = await waitFor(() => events.find((e) => e.type === 'state' && e.instance.id === 'alpha:0' && e.instance.state.status === 'online'), { what: 'alpha:0 online again' });
    const pid = online.type === 'state' ? pidOf(online.instance) : undefined;
    t.not(pid, before);
    await waitFor(() => events.some((e) => e.type === 'log' && e.lines.some((line) => line.line.startsWith(`forever started pid=${pid}`))), { what: 'the new process to be heard' });
    await c.signal('SIGTERM', 'stubborn');
    await waitFor(async () => {
      const tail = await c.logs('stubborn', { lines: 50 });
      return tail.ok && tail.lines.filter((line) => line.line === 'ignoring SIGTERM').length >= 2;
    }, { what: 'stubborn to log a second signal' });
    t.true(events.filter((e) => e.type === 'log').every((e) => e.type === 'log' && e.lines.every((line) => line.app === 'alpha')), 'only the chosen target');
    t.is(quiet[0]?.type, 'snapshot');
    t.false(quiet.some((e) => e.type === 'log'), 'logs: none hears no lines');
    t.true(quiet.some((e) => e.type === 'state' && e.instance.id === 'alpha:0'), 'but every state change');
    unsubscribe();
    unsubscribeQuiet();
    const heard = events.length;
    await c.restart('alpha:0');
    t.is(events.length, heard, 'nothing after unsubscribe');
  });

  serial('reload with planOnly reports the difference to the config and applies nothing', async (t, c) => {
    const next = [...CONFORMANCE_APPS.filter((app) => app.name !== 'idle'), { name: 'gamma', script: procs('forever.js') }];
    await current().setApps(next);
    const plan = await c.reload(undefined, { planOnly: true });
    t.like(plan, { ok: true, kind: 'config', applied: false, plan: { added: ['gamma'], removed: ['idle'], changed: [] } });
    t.deepEqual(plan.ok && plan.kind === 'config' ? [...plan.plan.unchanged].sort() : [], ['alpha', 'stubborn']);
    t.deepEqual((await c.list()).map((info) => info.id).sort(), ALL_IDS);
    await current().setApps(CONFORMANCE_APPS);
  });

  serial('an unknown target is an error result naming it, from every verb', async (t, c) => {
    const results = await Promise.all([
      c.describe('nope'),
      c.start('nope'),
      c.stop('nope'),
      c.restart('nope'),
      c.signal('SIGUSR2', 'nope'),
      c.logs('nope', { lines: 1 }),
      c.reload('nope', { planOnly: false }),
    ]);
    for (const result of results) {
      t.like(result, { ok: false, code: 'unknown_target' });
      t.regex(result.ok ? '' : result.message, /nope/);
    }
  });

  const subjectOf = (): ConformanceSubject => {
    if (!subject) throw new Error(`${name}: the factory did not run`);
    return subject;
  };
}
