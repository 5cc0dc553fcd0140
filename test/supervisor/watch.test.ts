import test from 'ava';
import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import type { WatchSpec } from '../../src/model/app.js';
import { watchFiles, type AppWatcher } from '../../src/supervisor/watch.js';
import { ignoreMatcher } from '../../src/supervisor/watch-ignore.js';
import { tempDir, writeFiles } from '../helpers/tmp.js';
import { waitFor } from '../helpers/wait.js';

const DEFAULT_IGNORES = ['**/node_modules/**', '**/.git/**', '**/.node-unit/**', '**/*.log'];

interface Recorder {
  readonly calls: (readonly string[])[];
  readonly onChange: (changed: readonly string[]) => void;
}

function recorder(): Recorder {
  const calls: (readonly string[])[] = [];
  return { calls, onChange: (changed) => calls.push([...changed].sort()) };
}

async function start(t: { teardown(fn: () => Promise<void>): void }, spec: WatchSpec, cwd: string, rec: Recorder): Promise<AppWatcher> {
  const watcher = await watchFiles(spec, cwd, rec.onChange);
  t.teardown(() => watcher.close());
  return watcher;
}

function folder(): string {
  // chokidar reports real paths; tmpdir may be a symlink.
  return fs.realpathSync(tempDir('nu-watch-'));
}

test('ignoreMatcher: relative, absolute and slash-less (any segment) patterns', (t) => {
  const cwd = '/srv/app';
  const ignored = ignoreMatcher([...DEFAULT_IGNORES, 'tmp', '*.pid', 'build/**', '/srv/app/secret/**'], cwd);
  for (const file of ['/srv/app/node_modules', '/srv/app/node_modules/x/index.js', '/srv/app/a/.git/HEAD', '/srv/app/out.log', '/srv/app/.hidden/x.log', '/srv/app/tmp', '/srv/app/src/tmp/a.js', '/srv/app/run/app.pid', '/srv/app/build/a.js', '/srv/app/secret/key', 'node_modules/y.js']) {
    t.true(ignored(file), file);
  }
  for (const file of ['/srv/app', '/srv/app/src/index.js', '/srv/app/src/build.js', '/srv/app/logs.txt', '/srv/app/.env', '/srv/other/app.js']) {
    t.false(ignored(file), file);
  }
});

test('ignoreMatcher: paths outside cwd are matched by their segments and absolute path', (t) => {
  const ignored = ignoreMatcher(['node_modules', '/opt/shared/cache/**'], '/srv/app');
  t.true(ignored('/opt/lib/node_modules/a.js'));
  t.true(ignored('/opt/shared/cache/x'));
  t.false(ignored('/opt/shared/lib/x'));
});

test('a burst of changes gives exactly one callback with every changed path', async (t) => {
  const dir = folder();
  writeFiles(dir, { 'existing.js': 'old' });
  const rec = recorder();
  await start(t, { paths: [dir], ignore: DEFAULT_IGNORES, delayMs: 1000 }, dir, rec);
  writeFiles(dir, { 'a.js': '1', 'b.js': '2', 'sub/c.js': '3', 'existing.js': 'new' });
  await waitFor(() => rec.calls.length >= 1, { timeoutMs: 5000, what: 'the first callback' });
  t.deepEqual(rec.calls[0], [path.join(dir, 'a.js'), path.join(dir, 'b.js'), path.join(dir, 'existing.js'), path.join(dir, 'sub'), path.join(dir, 'sub/c.js')]);
  // A second burst is a second callback with only its own paths: nothing of the first burst leaked into it.
  writeFiles(dir, { 'd.js': '4' });
  await waitFor(() => rec.calls.length >= 2, { timeoutMs: 5000, what: 'the second callback' });
  t.deepEqual(rec.calls[1], [path.join(dir, 'd.js')]);
  t.is(rec.calls.length, 2);
});

test('changes spread over time but closer than the delay are one burst', async (t) => {
  const dir = folder();
  const rec = recorder();
  // The delay is generous against the spacing: on a loaded machine chokidar's stat of a new file can lag.
  await start(t, { paths: [dir], ignore: [], delayMs: 1500 }, dir, rec);
  for (let i = 0; i < 5; i++) {
    writeFiles(dir, { [`f${i}.js`]: String(i) });
    await delay(60); // spacing the writes is the scenario under test, not a wait for a condition
  }
  await waitFor(() => rec.calls.length >= 1, { timeoutMs: 5000, what: 'the callback' });
  t.is(rec.calls.length, 1);
  t.is(rec.calls[0]?.length, 5);
});

test('ignored paths do not trigger; pm2-style names and globs both work', async (t) => {
  const dir = folder();
  const rec = recorder();
  await start(t, { paths: [dir], ignore: [...DEFAULT_IGNORES, 'dist', '*.tmp', 'data/**'], delayMs: 150 }, dir, rec);
  writeFiles(dir, {
    'node_modules/pkg/index.js': 'x',
    '.git/HEAD': 'x',
    'server.log': 'x',
    'dist/app.js': 'x',
    'notes.tmp': 'x',
    'data/db.json': 'x',
  });
  // Written last: the callback for it proves the ignored writes above were seen and dropped.
  writeFiles(dir, { 'app.js': 'changed' });
  await waitFor(() => rec.calls.length >= 1, { timeoutMs: 5000, what: 'the callback' });
  t.deepEqual(rec.calls, [[path.join(dir, 'app.js')]]);
});

test('only the given paths are watched', async (t) => {
  const dir = folder();
  writeFiles(dir, { 'src/a.js': '1', 'other/b.js': '1' });
  const rec = recorder();
  const control = recorder();
  await start(t, { paths: [path.join(dir, 'src')], ignore: [], delayMs: 100 }, dir, rec);
  await start(t, { paths: [dir], ignore: [], delayMs: 100 }, dir, control);
  writeFiles(dir, { 'other/b.js': '2' });
  await waitFor(() => control.calls.length >= 1, { timeoutMs: 5000, what: 'the control watcher' });
  writeFiles(dir, { 'src/a.js': '2' });
  await waitFor(() => rec.calls.length >= 1, { timeoutMs: 5000, what: 'the callback' });
  t.deepEqual(rec.calls, [[path.join(dir, 'src/a.js')]]);
});

test('close stops callbacks, including a burst still waiting for its delay', async (t) => {
  const dir = folder();
  const rec = recorder();
  const quick = recorder();
  const slow = recorder();
  const watcher = await watchFiles({ paths: [dir], ignore: [], delayMs: 300 }, dir, rec.onChange);
  await start(t, { paths: [dir], ignore: [], delayMs: 30 }, dir, quick);
  await start(t, { paths: [dir], ignore: [], delayMs: 300 }, dir, slow);
  writeFiles(dir, { 'a.js': '1' });
  // Once the quick watcher reported a.js, the change is pending in the 300 ms delay of the one we close.
  await waitFor(() => quick.calls.length >= 1, { timeoutMs: 5000, what: 'the quick watcher' });
  await watcher.close();
  writeFiles(dir, { 'b.js': '1' });
  // The slow watcher has the same delay and saw b.js later: once it reports, the closed one would have fired.
  await waitFor(() => slow.calls.flat().includes(path.join(dir, 'b.js')), { timeoutMs: 5000, what: 'the slow watcher' });
  t.deepEqual(rec.calls, []);
});
