import test, { type ExecutionContext } from 'ava';

// Serial: a dozen Ink apps rendering at once in one worker slow each other down past the deadlines.
import { KEY, renderApp, renderSized } from './harness.js';
import { demoController } from './demo.js';

const ready = (frame: string): boolean => frame.includes('worker') && frame.includes('queue emails is slow');

async function start(t: ExecutionContext, mode: 'up' | 'attach' = 'up') {
  const controller = demoController();
  const app = renderApp(t, controller, { mode });
  await app.waitFrame(ready, 'the first frame with logs');
  return { controller, app };
}

const selectedRow = (frame: string): string => frame.split('\n').find((line) => line.startsWith('›')) ?? '';

test.serial('↓ / ↑ and j / k move the selection, from the first key on', async (t) => {
  const { app } = await start(t);
  t.regex(selectedRow(app.frame()), /api/);
  app.press(KEY.down);
  await app.waitFrame((f) => /worker/.test(selectedRow(f)), 'worker selected');
  app.press('j', 'j');
  await app.waitFrame((f) => /flaky/.test(selectedRow(f)), 'flaky selected');
  app.press('k', KEY.up);
  await app.waitFrame((f) => /worker/.test(selectedRow(f)), 'worker selected again');
  t.pass();
});

test.serial('Enter shows the selected app logs and focuses them; Tab goes back to the table; a toggles all apps', async (t) => {
  const { app } = await start(t);
  t.regex(app.frame(), /LOGS all apps/);
  app.press(KEY.down, KEY.enter);
  const own = await app.waitFrame((f) => /LOGS worker:0/.test(f), 'the worker logs');
  t.notRegex(own, /GET \/health/);
  t.regex(own, /↑↓ scroll/);
  app.press(KEY.tab);
  await app.waitFrame((f) => /↑↓ select/.test(f), 'focus back on the table');
  app.press('a');
  const all = await app.waitFrame((f) => /LOGS all apps/.test(f), 'all apps again');
  t.regex(all, /api\s+│ GET \/health/);
});

test.serial('r restarts the selected app; s stops a running one and starts a stopped one', async (t) => {
  const { controller, app } = await start(t);
  app.press('r');
  await app.waitFrame((f) => /restarted api/.test(f), 'the restart result');
  app.press('j', 'j', 's');
  await app.waitFrame((f) => /started seed/.test(f), 'seed started');
  app.press('k', 's');
  await app.waitFrame((f) => /stopped worker/.test(f), 'worker stopped');
  app.press('j', 'j', 'j', 'r');
  await app.waitFrame((f) => /restarted ticker:0/.test(f), 'one ticker instance restarted');
  t.deepEqual(controller.actions(), ['restart api', 'start seed', 'stop worker', 'restart ticker:0']);
});

test.serial('R and S act on all after a confirmation; any other key cancels', async (t) => {
  const { controller, app } = await start(t);
  app.press('R');
  await app.waitFrame((f) => /Restart ALL processes\? y/.test(f), 'the confirmation');
  app.press('x');
  await app.waitFrame((f) => /restart all: cancelled/.test(f), 'cancelled');
  t.deepEqual(controller.actions(), []);
  app.press('R');
  await app.waitFrame((f) => /Restart ALL/.test(f), 'the confirmation');
  app.press('y');
  await app.waitFrame((f) => /restarted all/.test(f), 'restarted');
  app.press('S');
  await app.waitFrame((f) => /Stop ALL/.test(f), 'stop confirmation');
  app.press('y');
  await app.waitFrame((f) => /stopped all/.test(f), 'stopped');
  t.deepEqual(controller.actions(), ['restart all', 'stop all']);
});


test.serial('/ searches case-smart with highlighted matches; n / N move between matches; Esc clears', async (t) => {
  const { app } = await start(t);
  app.press('/', 'J', 'O', 'B', ' ', '4');
  await app.waitFrame((f) => f.includes('/JOB 4'), 'the draft');
  app.press(KEY.backspace, KEY.backspace, KEY.backspace, KEY.backspace, KEY.backspace, 'j', 'o', 'b', ' ', '4', KEY.enter);
  const found = await app.waitFrame((f) => /\/job 4\//.test(f), 'the search in the title');
  t.regex(found, /job 40 on emails/);
  t.regex(found, /n\/N older\/newer match/);
  app.press('n');
  const older = await app.waitFrame((f) => /job 4 on emails/.test(f) && !/follow/.test(f.split('\n').find((l) => l.startsWith('LOGS')) ?? ''), 'the older match');
  t.regex(older, /paused/);
  app.press('n');
  await app.waitFrame((f) => /no older match/.test(f), 'no older match');
  app.press('N');
  await app.waitFrame((f) => /job 40 on emails/.test(f), 'back to the newer match');
  app.press(KEY.escape);
  await app.waitFrame((f) => !/\/job 4\//.test(f), 'search cleared');
  t.pass();
});

test.serial('an uppercase letter makes the search case-sensitive; a bad regex is searched literally', async (t) => {
  const { app } = await start(t);
  app.press('/', 'G', 'e', 't', KEY.enter);
  await app.waitFrame((f) => /no match for \/Get\//.test(f), 'no match: case-sensitive');
  app.press('/', 'j', 'o', 'b', ' ', '(', KEY.enter);
  await app.waitFrame((f) => /\(literal\)/.test(f), 'a literal search');
  t.pass();
});

test.serial('p pauses and resumes following; new lines appear only when following', async (t) => {
  const { controller, app } = await start(t);
  app.press('p');
  await app.waitFrame((f) => /paused/.test(f), 'paused');
  controller.log('api:0', 'fresh line while paused');
  await new Promise((resolve) => setTimeout(resolve, 50));
  t.notRegex(app.frame(), /fresh line while paused/);
  app.press('p');
  await app.waitFrame((f) => /fresh line while paused/.test(f) && /follow/.test(f), 'following again');
});

test.serial('w wraps long lines', async (t) => {
  const { controller, app } = await start(t);
  controller.log('api:0', `long ${'x'.repeat(150)} END`);
  await app.waitFrame((f) => /long x+/.test(f), 'the long line, cut');
  t.notRegex(app.frame(), /END/);
  app.press('w');
  await app.waitFrame((f) => /END/.test(f) && /· wrap/.test(f), 'the long line wrapped');
  t.pass();
});

test.serial('PgUp / PgDn, g / G scroll the logs when they have the focus; scrolling back to the bottom resumes following', async (t) => {
  const { app } = await start(t);
  app.press(KEY.tab, 'g');
  const top = await app.waitFrame((f) => /GET \/health 200 1ms/.test(f), 'the oldest line');
  t.regex(top, /paused/);
  app.press(KEY.pageDown);
  await app.waitFrame((f) => !/GET \/health 200 1ms/.test(f), 'a page down');
  app.press('G');
  await app.waitFrame((f) => /queue emails is slow/.test(f) && /follow/.test(f), 'the newest line');
  app.press(KEY.pageUp);
  await app.waitFrame((f) => /paused/.test(f), 'paused by page up');
  app.press(KEY.pageDown, KEY.pageDown, KEY.pageDown);
  await app.waitFrame((f) => /· follow/.test(f), 'following again at the bottom');
  t.pass();
});

test.serial('↑ / ↓ scroll the logs when they have the focus', async (t) => {
  const { app } = await start(t);
  app.press(KEY.tab, KEY.up);
  await app.waitFrame((f) => /paused/.test(f) && !/queue emails is slow/.test(f), 'one line up');
  app.press(KEY.down);
  await app.waitFrame((f) => /queue emails is slow/.test(f) && /· follow/.test(f), 'back at the bottom');
  t.pass();
});

test.serial('c copies the selected lines through OSC 52 and saveCopy', async (t) => {
  const saved: string[] = [];
  const controller = demoController();
  const app = renderApp(t, controller, { saveCopy: async (text) => (saved.push(text), '/tmp/copied.txt') });
  await app.waitFrame(ready, 'first frame');
  app.press('c');
  await app.waitFrame((f) => /COPY 1 line/.test(f), 'copy mode');
  app.press('k', KEY.up);
  await app.waitFrame((f) => /COPY 3 line/.test(f), 'three lines selected');
  app.press('y');
  await app.waitFrame((f) => /copied 3 lines \(OSC 52\) and saved to \/tmp\/copied.txt/.test(f), 'copied');
  t.is(saved.length, 1);
  t.regex(saved[0] ?? '', /^worker:0 \| done job 40 on emails\nticker:1 \| tick 40\nworker:0 \| warn: queue emails is slow$/);
  const osc = app.raw.find((data) => data.startsWith('\x1b]52;c;')) ?? '';
  t.is(Buffer.from(osc.slice(7, -1), 'base64').toString('utf8'), saved[0] ?? '');
});

test.serial('Esc leaves copy mode without copying', async (t) => {
  const { app } = await start(t);
  app.press('c');
  await app.waitFrame((f) => /COPY/.test(f), 'copy mode');
  app.press(KEY.escape);
  await app.waitFrame((f) => !/COPY/.test(f), 'out of copy mode');
  t.deepEqual(app.raw, []);
});

test.serial('? shows the help; any key closes it', async (t) => {
  const { app } = await start(t);
  app.press('?');
  const help = await app.waitFrame((f) => /Keys/.test(f) && /copy mode/.test(f), 'the help');
  t.regex(help, /asks: stop everything \/ detach \/ cancel/);
  app.press('x');
  await app.waitFrame((f) => !/copy mode:/.test(f) && /LOGS/.test(f), 'help closed');
  t.pass();
});

test.serial('q and Ctrl-C ask first: q again or s stops everything in up, d detaches, any other key cancels', async (t) => {
  const up = await start(t, 'up');
  up.app.press('q');
  await up.app.waitFrame((f) => /Quit\? s = stop everything \(or q\) · d = detach \(everything keeps running\) · any other key = cancel/.test(f), 'the question');
  up.app.press('x');
  await up.app.waitFrame((f) => /cancelled: still running/.test(f), 'cancelled');
  t.deepEqual(up.app.exits, []);
  up.app.press('q', 'q');
  await up.app.waitFrame(() => up.app.exits.length === 1, 'q q stops');
  up.app.press(KEY.ctrlC, 'd');
  await up.app.waitFrame(() => up.app.exits.length === 2, 'Ctrl-C d detaches');
  up.app.press(KEY.ctrlC, 's');
  await up.app.waitFrame(() => up.app.exits.length === 3, 'Ctrl-C s stops');
  t.deepEqual(up.app.exits, ['quit', 'detach', 'quit']);
  t.deepEqual(up.controller.actions(), []);
});

test.serial('attach asks with the same words, detach first; s there asks the supervisor to stop everything', async (t) => {
  const attach = await start(t, 'attach');
  t.regex(attach.app.frame(), /q detach/);
  attach.app.press('q');
  await attach.app.waitFrame((f) => /Leave\? d = detach \(everything keeps running\) \(or q\) · s = stop everything · any other key = cancel/.test(f), 'the question');
  attach.app.press('q');
  await attach.app.waitFrame(() => attach.app.exits.length === 1, 'q q detaches');
  t.deepEqual(attach.app.exits, ['detach']);
  attach.app.press('q', 's');
  await attach.app.waitFrame(() => attach.controller.calls.some((call) => call.method === 'shutdown'), 'shutdown asked');
  t.deepEqual(attach.app.exits, ['detach']);
});

test.serial('up --yes: q stops everything without asking', async (t) => {
  const controller = demoController();
  const app = renderApp(t, controller, { confirmQuit: false });
  await app.waitFrame(ready, 'the first frame');
  app.press('q');
  await app.waitFrame(() => app.exits.length === 1, 'one exit');
  t.deepEqual(app.exits, ['quit']);
});

test.serial('live events: state changes, metrics and new instances reach the table', async (t) => {
  const { controller, app } = await start(t);
  const flaky = (await controller.list())[3];
  if (!flaky) return t.fail();
  controller.setState({ ...flaky, state: { status: 'errored', reason: 'gave up after 5 restarts', restarts: 5, since: Date.now() } });
  await app.waitFrame((f) => /flaky\s+0 errored .*gave up after 5 restarts/.test(f), 'flaky errored');
  controller.emit({ type: 'metrics', samples: [{ id: 'api:0', cpu: 77.7, memory: 512 * 1024 * 1024 }] });
  await app.waitFrame((f) => /api .*77\.7% .*512 MiB/.test(f), 'new metrics');
  controller.emit({ type: 'shutdown', reason: 'SIGTERM' });
  await app.waitFrame((f) => /stopping everything \(SIGTERM\)/.test(f), 'shutdown shown');
  app.unmount();
  t.is(controller.subscribers, 0);
});

test.serial('keys typed faster than they are read (one chunk) each count', async (t) => {
  const { app } = await start(t);
  app.press('/job 40\r');
  await app.waitFrame((f) => /\/job 40\//.test(f), 'the search from one chunk');
  t.pass();
});

test.serial('search and copy see the whole of a line longer than the view displays', async (t) => {
  const saved: string[] = [];
  const controller = demoController();
  const app = renderApp(t, controller, { saveCopy: async (text) => (saved.push(text), '/tmp/copied.txt') });
  await app.waitFrame(ready, 'first frame');
  // 60 K characters, past the 16 K the view keeps for display; the word sought is near the end.
  const long = `${'a'.repeat(50_000)} needle ${'b'.repeat(10_000)}`;
  controller.log('worker:0', long);
  await app.waitFrame((f) => /worker\s+│ aaaa/.test(f), 'the long line');
  app.press('c');
  await app.waitFrame((f) => /COPY 1 line/.test(f), 'copy mode on the long line');
  app.press('y');
  await app.waitFrame((f) => /copied 1 line/.test(f), 'copied');
  t.is(saved[0], `worker:0 | ${long}`);
  app.press('/', 'n', 'e', 'e', 'd', 'l', 'e', KEY.enter);
  const found = await app.waitFrame((f) => /\/needle\//.test(f) && /…a+ needle b+/.test(f), 'the match brought into view');
  t.notRegex(found, /no match/);
  app.press('w');
  const wrapped = await app.waitFrame((f) => /· wrap/.test(f), 'wrapped');
  t.regex(wrapped, /a+ needle b+/, 'the match still in view');
});

test.serial('t shows a timestamp column; J shows JSON lines pretty, and search still sees them as written', async (t) => {
  const { controller, app } = await start(t);
  controller.log('api:0', '{"level":50,"msg":"db down","retry":3}');
  await app.waitFrame((f) => /api\s+│ \{"level":50/.test(f), 'the JSON line as written');
  app.press('t');
  const timed = await app.waitFrame((f) => /· time/.test(f), 'the timestamp column');
  t.regex(timed, /\d\d:\d\d:\d\d api\s+│ \{"level":50/);
  app.press('J');
  const pretty = await app.waitFrame((f) => /· json/.test(f) && /api\s+│ ERROR db down retry=3/.test(f), 'the JSON line pretty');
  t.regex(pretty, /\d\d:\d\d:\d\d api/);
  app.press('/', '"', 'l', 'e', 'v', 'e', 'l', '"', KEY.enter);
  const found = await app.waitFrame((f) => /\/"level"\//.test(f), 'searched');
  t.notRegex(found, /no match/);
  app.press('t', 'J');
  await app.waitFrame((f) => !/· time/.test(f) && !/· json/.test(f) && /api\s+│ \{"level":50/.test(f), 'both off again');
});

test.serial('help at 80×24 lists every key, t and J included', async (t) => {
  const controller = demoController();
  const app = renderSized(t, controller, 80, 24);
  await app.waitFrame(ready, 'first frame');
  app.press('?');
  const help = await app.waitFrame((f) => /Keys/.test(f), 'the help');
  t.regex(help, /w {2}t {2}J\s+wrap long lines · timestamps · JSON lines pretty/);
  t.notRegex(help, /more: a taller terminal/);
});
