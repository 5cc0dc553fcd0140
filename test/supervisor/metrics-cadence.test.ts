import test from 'ava';
import type { SupervisorEvent } from '../../src/model/events.js';
import { MetricsCadence } from '../../src/supervisor/metrics-cadence.js';
import { Supervisor } from '../../src/supervisor/supervisor.js';
import { appSpec } from '../helpers/app.js';
import { waitFor } from '../helpers/wait.js';

test('unwatched and without memory limits, a sample is due once per idle interval', (t) => {
  const cadence = new MetricsCadence(30_000);
  t.true(cadence.due(1_000, false), 'the first tick samples');
  t.false(cadence.due(3_000, false));
  t.false(cadence.due(30_999, false));
  t.true(cadence.due(31_000, false));
  t.false(cadence.due(33_000, false));
});

test('a viewer or a memory limit makes every tick a sample; the viewer leaving ends that', (t) => {
  const cadence = new MetricsCadence(30_000);
  t.true(cadence.due(0, false));
  t.true(cadence.due(2_000, true), 'a memory limit to check');
  const unwatch = cadence.watch();
  t.true(cadence.due(4_000, false));
  t.true(cadence.due(6_000, false));
  unwatch();
  unwatch();
  t.false(cadence.due(8_000, false), 'a second unwatch does not count twice');
  const again = cadence.watch();
  t.true(cadence.due(10_000, false));
  again();
});

test('a subscriber that wants metrics gets them at the fast interval, beside a log printer that does not', async (t) => {
  const supervisor = new Supervisor([appSpec({ name: 'idle' })], { metricsIntervalMs: 20, idleMetricsIntervalMs: 3_600_000 });
  const printed: SupervisorEvent[] = [];
  const stopPrinting = supervisor.subscribe((event) => printed.push(event), { metrics: false });
  t.teardown(async () => {
    stopPrinting();
    supervisor.killAll();
    await supervisor.shutdown('test over');
  });
  await supervisor.startAll();
  await waitFor(async () => (await supervisor.list()).every((info) => info.state.status === 'online'), { what: 'the app online' });
  // The idle cadence allows one sample an hour: once the first has been taken, a printer alone sees no more.
  await waitFor(() => printed.some((event) => event.type === 'metrics'), { what: 'the first sample' });
  const viewed: SupervisorEvent[] = [];
  const stopViewing = supervisor.subscribe((event) => viewed.push(event));
  await waitFor(() => viewed.filter((event) => event.type === 'metrics').length >= 3, { what: 'three samples for the viewer' });
  stopViewing();
  const samplesWhileViewed = printed.filter((event) => event.type === 'metrics').length;
  t.true(samplesWhileViewed >= 4);
});
