import test from 'ava';
import { waitFor } from '../helpers/wait.js';
import type { InstanceInfo } from '../../src/model/events.js';
import { VIEW_KEYS, type PanelResult, type PluginViews } from '../../src/model/plugin.js';
import { layoutColumns } from '../../src/tui/columns.js';
import { handleKey, type KeyContext } from '../../src/tui/keys.js';
import { LogStore } from '../../src/tui/log-store.js';
import { INITIAL_UI } from '../../src/tui/ui-state.js';
import { FakeController, info, online } from './fake-controller.js';
import { KEY, renderSized } from './harness.js';

const VIEWS: PluginViews = {
  columns: [
    { plugin: 'disk', id: 'free', header: 'FREE', width: 6, align: 'right' },
    { plugin: 'disk', id: 'path', header: 'PATH', width: 8, align: 'left' },
  ],
  panels: [
    { plugin: 'disk', id: 'usage', title: 'Usage', key: 'U' },
    { plugin: 'disk', id: 'quiet', title: 'Quiet' },
  ],
};

const withColumns = (base: InstanceInfo, free: string, path: string): InstanceInfo => ({ ...base, columns: { 'disk/free': free, 'disk/path': path } });

/** The fake supervisor with plugin views: panels answer with how often they were asked. */
class ViewsController extends FakeController {
  panelCalls: string[] = [];
  constructor(instances: readonly InstanceInfo[]) {
    super(instances);
  }
  async views(): Promise<PluginViews> {
    return VIEWS;
  }
  async panel(plugin: string, id: string, width: number): Promise<PanelResult> {
    this.panelCalls.push(`${plugin}/${id}@${width}`);
    if (id === 'quiet') return { ok: false, message: 'plugin "disk": panel "quiet" threw: no disk' };
    return { ok: true, lines: [`usage line ${this.panelCalls.length}`, `a very long line ${'x'.repeat(300)}`] };
  }
}

function controller(): ViewsController {
  return new ViewsController([withColumns(info('api', online(101)), '12G', '/srv/api/data/very/long'), withColumns(info('web', online(102)), '3G', '/srv/web')]);
}

test.serial('plugin columns show in the table after the built-in ones, cells cut to their width', async (t) => {
  const fake = controller();
  const app = renderSized(t, fake, 140, 24);
  const frame = await app.waitFrame((f) => f.includes('FREE') && f.includes('12G'), 'the plugin column and its values');
  const header = frame.split('\n').find((line) => line.includes('FREE')) ?? '';
  t.true(header.indexOf('↺') < header.indexOf('FREE') && header.indexOf('FREE') < header.indexOf('PATH') && header.indexOf('PATH') < header.indexOf('INFO'), header);
  const api = frame.split('\n').find((line) => line.includes('api')) ?? '';
  t.regex(api, / {3}12G \/srv\/ap… /);
  fake.setState(withColumns(info('api', online(101)), '11G', '/srv/api'));
  await app.waitFrame((f) => /11G \/srv\/api/.test(f), 'the new value');
  t.pass();
});

test.serial('a narrow terminal drops plugin columns before any built-in one', (t) => {
  const keys = (width: number) => layoutColumns(width, 8, undefined, VIEWS.columns).map((column) => column.title);
  t.deepEqual(keys(140), ['NAME', '#', 'STATUS', 'PID', 'CPU', 'MEM', 'UPTIME', '↺', 'FREE', 'PATH', 'INFO']);
  t.deepEqual(keys(100), ['NAME', '#', 'STATUS', 'PID', 'CPU', 'MEM', 'UPTIME', '↺', 'FREE', 'INFO']);
  t.deepEqual(keys(90), ['NAME', '#', 'STATUS', 'PID', 'CPU', 'MEM', 'UPTIME', '↺', 'INFO']);
});

test.serial("a panel opens with its key in place of the logs, is polled only while open, and closes with its key", async (t) => {
  const fake = controller();
  const app = renderSized(t, fake, 100, 24, { panelPollMs: 20 });
  await app.waitFrame((f) => f.includes('FREE'), 'the table');
  t.deepEqual(fake.panelCalls, [], 'nothing is asked while the panel is closed');
  app.press('U');
  const open = await app.waitFrame((f) => f.includes('USAGE') && /usage line [2-9]/.test(f), 'the panel, drawn again');
  t.true(open.split('\n').every((line) => line.length <= 100), 'lines are cut to the width');
  t.regex(fake.panelCalls[0] ?? '', /^disk\/usage@100$/);
  app.press('U');
  await app.waitFrame((f) => !f.includes('USAGE') && f.includes('LOGS'), 'the logs again');
  const asked = fake.panelCalls.length;
  // A timer of the poll's period, in the same event loop, firing 15 times: an open panel would have been
  // asked about as often. One request may have been on its way as it closed.
  let fired = 0;
  const beside = setInterval(() => fired++, 20);
  try {
    await waitFor(() => fired >= 15, { timeoutMs: 10_000, what: 'fifteen poll periods' });
  } finally {
    clearInterval(beside);
  }
  t.true(fake.panelCalls.length <= asked + 1, `a closed panel is not asked for (${fake.panelCalls.length - asked} more calls)`);
});

test.serial('a panel without a key opens from the help by its number; its failure shows in the panel', async (t) => {
  const fake = controller();
  const app = renderSized(t, fake, 100, 40);
  await app.waitFrame((f) => f.includes('FREE'), 'the table');
  app.press('?');
  const help = await app.waitFrame((f) => f.includes('Keys'), 'the help');
  t.regex(help, /U\s+panel Usage \(plugin disk\)/);
  t.regex(help, /1\s+panel Quiet \(plugin disk\), esc closes: press the number here/);
  app.press('1');
  await app.waitFrame((f) => f.includes('QUIET') && f.includes('! plugin "disk": panel "quiet" threw: no disk'), 'the failing panel');
  app.press(KEY.escape);
  await app.waitFrame((f) => !f.includes('QUIET') && f.includes('LOGS'), 'closed by esc');
  t.pass();
});

test('VIEW_KEYS names every key the table uses: any other printable key does nothing there', (t) => {
  const instances = [info('api', online(101))];
  const ctx: KeyContext = { instances, all: instances, view: new LogStore().view('all'), pageSize: 10, mode: 'up', table: { firstRow: 2, rows: 5, firstIndex: 0 }, logRow: 8, confirmQuit: true, now: 0 };
  const busy: string[] = [];
  for (let code = 0x21; code <= 0x7e; code++) {
    const char = String.fromCharCode(code);
    const result = handleKey(INITIAL_UI, { kind: 'char', char }, ctx);
    const used = result.effect !== undefined || result.state !== INITIAL_UI;
    if (used !== VIEW_KEYS.includes(char)) busy.push(char);
  }
  t.deepEqual(busy, [], 'keys used but not in VIEW_KEYS, or listed but unused');
});
