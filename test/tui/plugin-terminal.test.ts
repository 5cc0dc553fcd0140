import path from 'node:path';
import test from 'ava';
import { runCli } from '../helpers/cli.js';
import { PROCS, upInTerminal } from './up-terminal.js';

/** An ecosystem file with a tiny plugin: a column of each instance's status in capitals, and a panel counting instances. */
function configWithPlugin(): string {
  const apps = [
    { name: 'api', script: path.join(PROCS, 'forever.js') },
    { name: 'worker', script: path.join(PROCS, 'forever.js') },
  ];
  return `module.exports = {
  apps: ${JSON.stringify(apps)},
  plugins: [{
    name: 'shout',
    columns: [{ id: 'loud', header: 'LOUD', width: 7, value: (info) => info.state.status.toUpperCase() + '!' }],
    panels: [{ id: 'tally', title: 'Tally', key: 'T', lines: (instances, width) => ['instances: ' + instances.length, 'width: ' + width] }],
  }],
};
`;
}

test('up in a real terminal: a plugin column is on screen, its panel opens with its key, and ls shows the column too', async (t) => {
  t.timeout(90_000);
  const up = await upInTerminal(t, [], { columns: 120, rows: 30 }, configWithPlugin());
  await up.allOnline(2);
  const table = await up.tmux.waitScreen((s) => /LOUD/.test(s) && /api .*ONLINE!/.test(s) && /worker .*ONLINE!/.test(s), 'the plugin column with its values');
  t.log(`the table:\n${table}`);
  up.tmux.keys('T');
  const panel = await up.tmux.waitScreen((s) => /TALLY/.test(s) && /instances: 2/.test(s) && /width: 120/.test(s), 'the plugin panel');
  t.log(`the panel:\n${panel}`);
  up.tmux.keys('T');
  await up.tmux.waitScreen((s) => !/TALLY/.test(s) && /LOGS all apps/.test(s), 'the logs again');
  const ls = await runCli(['ls'], { cwd: up.dir });
  t.regex(ls.stdout, /LOUD/);
  t.regex(ls.stdout, /api:0 .*ONLINE!/);
  const json = await runCli(['ls', '--json'], { cwd: up.dir });
  const rows = JSON.parse(json.stdout) as readonly { readonly id: string; readonly columns?: Readonly<Record<string, string>> }[];
  t.deepEqual(rows.map((row) => [row.id, row.columns]), [['api:0', { 'shout/loud': 'ONLINE!' }], ['worker:0', { 'shout/loud': 'ONLINE!' }]]);
});
