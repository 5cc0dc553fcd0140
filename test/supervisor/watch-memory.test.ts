import fs from 'node:fs';
import path from 'node:path';
import test from 'ava';
import { appSpec, procScript } from '../helpers/app.js';
import { harness } from '../helpers/supervisor.js';
import { tempDir } from '../helpers/tmp.js';
import { waitFor } from '../helpers/wait.js';

test('watch: a burst of changes restarts the app once', async (t) => {
  const dir = tempDir();
  fs.writeFileSync(path.join(dir, 'a.js'), '1');
  const h = await harness(t, [appSpec({ name: 'w', cwd: dir, script: procScript('forever.js'), watch: { paths: [dir], ignore: ['**/*.log'], delayMs: 200 } })]);
  await h.waitStatus('w:0', 'online');
  for (let i = 0; i < 5; i++) fs.writeFileSync(path.join(dir, `f${i}.js`), String(i));
  fs.writeFileSync(path.join(dir, 'ignored.log'), 'x');
  await waitFor(() => h.info('w:0')?.state.restarts === 1 && h.info('w:0')?.state.status === 'online', { what: 'one restart' });
  await waitFor(() => h.lines('w:0').some((l) => l.startsWith('[node-unit] change in')), { what: 'the change line' });
  t.is(h.statuses('w:0').filter((s) => s === 'stopping').length, 1);
});

test('max_memory_restart restarts an instance whose tree grows past the limit', async (t) => {
  const h = await harness(t, [appSpec({ name: 'hog', script: procScript('memory-hog.js'), args: ['150'], maxMemoryBytes: 80 * 1024 * 1024 })], { metricsIntervalMs: 200 });
  await waitFor(() => (h.info('hog:0')?.state.restarts ?? 0) >= 1, { what: 'a memory restart', timeoutMs: 15_000 });
  await waitFor(() => /^restarted: memory .* over max_memory_restart 80.0 MiB$/.test(h.info('hog:0')?.note ?? ''), { what: 'the note' });
  t.pass();
});

test('metrics events carry CPU and memory of each running instance', async (t) => {
  const h = await harness(t, [appSpec({ name: 'm' })], { metricsIntervalMs: 100 });
  await h.waitStatus('m:0', 'online');
  const sample = await waitFor(() => {
    for (const e of h.events) if (e.type === 'metrics') return e.samples.find((s) => s.id === 'm:0');
    return undefined;
  }, { what: 'a metrics event' });
  t.true(sample.memory > 1024 * 1024);
  t.true(sample.cpu >= 0);
});

test('cron_restart restarts a running instance on schedule', async (t) => {
  const h = await harness(t, [appSpec({ name: 'c', cronRestart: '* * * * * *' })]);
  await waitFor(() => (h.info('c:0')?.state.restarts ?? 0) >= 1, { what: 'a cron restart', timeoutMs: 5000 });
  // The reason shows as a memory restart's does (the note of the new run).
  await waitFor(() => h.info('c:0')?.note === 'restarted: cron_restart "* * * * * *"', { what: `the note, got ${h.info('c:0')?.note ?? 'none'}` });
  t.pass();
});
