/** Faults in the config's values: wrong types, unknown keys, a missing script, cycles, bad cron, bad sizes. */
import { formatFor, valueConfig, type BadConfig } from './bad-config-kit.js';

type App = Readonly<Record<string, unknown>>;

const good = (i: number): App => ({ name: `app${i}`, script: 'app.js' });

/** Three apps, the one at `at` (0-2) with `fault` merged in (a key set to undefined is removed). */
function threeApps(at: number, fault: App): { apps: App[] } {
  return { apps: [0, 1, 2].map((i) => (i === at ? Object.fromEntries(Object.entries({ ...good(i), ...fault }).filter(([, v]) => v !== undefined)) : good(i))) };
}

/**
 * [key, wrong values]: each pair is one config, the fault placed in a different app each time. '', false and
 * null are "not set" where pm2 reads them so (README), so blank text stands for the empty value here.
 */
const WRONG_TYPES: readonly (readonly [string, readonly unknown[]])[] = [
  ['max_restarts', ['ten', -1, 1.5, true]],
  ['min_uptime', ['soon', -5, {}, [1]]],
  ['kill_timeout', ['forever', -1, true]],
  ['restart_delay', ['later', true, -10]],
  ['exp_backoff_restart_delay', ['fast', -1]],
  ['listen_timeout', [true, 'eventually']],
  ['watch_delay', ['a bit']],
  ['instances', ['many', 1.5, {}, true]],
  ['exec_mode', ['threads', 3, 'fork-mode']],
  ['autorestart', ['yes', 1, 'false-ish']],
  ['autostart', ['no', 0]],
  ['wait_ready', ['sure']],
  ['env', ['FOO=1', [1, 2], 42]],
  ['args', [42, { a: 1 }, true]],
  ['name', [42, '  ', ['a']]],
  ['script', [42, '', ['app.js']]],
  ['cwd', [42, '  ', true]],
  ['interpreter', [7, '  ']],
  ['kill_signal', ['SIGFOO', 9, 'TERM-ish']],
  ['stop_exit_codes', ['zero', ['a'], 3.5]],
  ['readiness', ['yes', { interval: '1s' }, { http: 'localhost:3000' }, { tcp: 70000 }]],
  ['ports', ['3000', { http: 'eighty' }, { http: 70000 }]],
  ['port', [0, 'http', 65536]],
  ['log_max_files', [0, 5000, 'all']],
  ['log_buffer', [0, 9, 200_000, 'lots', 2.5]],
  ['namespace', [5, '  ']],
  ['out_file', [1, '  ']],
  ['merge_logs', ['yes']],
  ['time', ['always']],
  ['ignore_watch', [5]],
];

function wrongTypes(): BadConfig[] {
  return WRONG_TYPES.flatMap(([key, values], k) =>
    values.map((value, v) => {
      const at = (k + v) % 3;
      return valueConfig(`${key} = ${JSON.stringify(value)}`, formatFor(k + v), threeApps(at, { [key]: value }), [`apps[${at}].${key}`]);
    }),
  );
}

const TYPOS: readonly (readonly [string, unknown])[] = [
  ['max_restart', 3], ['kill_timout', 500], ['min_uptme', '1s'], ['restart_dealy', 100], ['instnaces', 2], ['exec_mod', 'fork'],
  ['wach', true], ['evn', { A: '1' }], ['cron_restrat', '0 3 * * *'], ['autorestrat', false], ['max_memory', '1G'], ['depend_on', ['app0']],
];

function unknownKeys(): BadConfig[] {
  return TYPOS.map(([key, value], i) => {
    const at = i % 3;
    return valueConfig(`unknown key ${key}`, formatFor(i), threeApps(at, { [key]: value }), [`apps[${at}].${key}`, 'unknown key'], true);
  });
}

function missingScript(): BadConfig[] {
  const cases: BadConfig[] = [];
  for (let i = 0; i < 10; i++) {
    const at = i % 3;
    const fault = i % 2 === 0 ? { script: undefined } : { script: undefined, args: ['--port', '80'] };
    cases.push(valueConfig(`missing script in app ${at}`, formatFor(i), threeApps(at, fault), [`apps[${at}]`, 'script']));
  }
  return cases;
}

/** A chain of `size` apps where each depends on the next and the last on the first (size 1: on itself). */
function cycle(size: number, style: 'array' | 'object'): { apps: App[] } {
  const apps = Array.from({ length: size }, (_, i) => {
    const next = `app${(i + 1) % size}`;
    return { ...good(i), depends_on: style === 'array' ? [next] : { [next]: 'started' } };
  });
  return { apps: [...apps, good(size)] };
}

function cycles(): BadConfig[] {
  const sizes = [1, 2, 3, 4, 5, 7, 10, 2, 3, 6];
  const cases = sizes.map((size, i) => valueConfig(`dependency cycle of ${size}`, formatFor(i), cycle(size, i % 2 === 0 ? 'array' : 'object'), ['depends_on', /cycle|itself/]));
  cases.push(valueConfig('depends_on an unknown app', 'cjs', threeApps(1, { depends_on: ['nope'] }), ['apps[1].depends_on', 'unknown app "nope"']));
  cases.push(valueConfig('depends_on an unknown condition', 'json', threeApps(2, { depends_on: { app0: 'whenever' } }), ['apps[2].depends_on']));
  return cases;
}

const BAD_CRON: readonly unknown[] = ['61 * * * *', '* * *', 'every day', '* * * * * * *', '0 25 * * *', '*/0 * * * *', 'a b c d e', '  ', 42, '0 0 32 * *', '0 0 * 13 *', '0 0 * * 8', '5-2 * * * *'];

function badCron(): BadConfig[] {
  return BAD_CRON.map((value, i) => valueConfig(`cron_restart = ${JSON.stringify(value)}`, formatFor(i), threeApps(i % 3, { cron_restart: value }), [`apps[${i % 3}].cron_restart`]));
}

const BAD_SIZES: readonly unknown[] = ['lots', 0, -1, '10X', '1.5.5M', true, 'M', [], '-5M', 'G1'];

function badSizes(): BadConfig[] {
  return BAD_SIZES.flatMap((value, i) => {
    const key = i % 2 === 0 ? 'max_memory_restart' : 'log_max_size';
    return [valueConfig(`${key} = ${JSON.stringify(value)}`, formatFor(i), threeApps(i % 3, { [key]: value }), [`apps[${i % 3}].${key}`])];
  });
}

function duplicates(): BadConfig[] {
  const twice = { apps: [good(0), good(1), { ...good(2), name: 'app0' }] };
  return [
    valueConfig('two apps named app0', 'json', twice, ['app0', /duplicate|more than once|twice/i]),
    valueConfig('three apps with one name', 'cjs', { apps: [good(0), { ...good(1), name: 'app0' }, { ...good(2), name: 'app0' }] }, ['app0']),
  ];
}

function manyAtOnce(): BadConfig[] {
  return [0, 1, 2, 3].map((n) => {
    const apps = [{ ...good(0), max_restarts: 'ten' }, { ...good(1), kill_signal: 'SIGNOPE' }, { ...good(2), cron_restart: 'often', instances: 'lots' }];
    return valueConfig(`every problem at once #${n}`, formatFor(n), { apps }, ['apps[0].max_restarts', 'apps[1].kill_signal', 'apps[2].cron_restart', 'apps[2].instances', /4 problems/]);
  });
}

export function valueFaults(): BadConfig[] {
  return [...wrongTypes(), ...unknownKeys(), ...missingScript(), ...cycles(), ...badCron(), ...badSizes(), ...duplicates(), ...manyAtOnce()];
}
