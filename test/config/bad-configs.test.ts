import test from 'ava';
import { validateConfig } from '../../src/config/validate.js';
import { brief } from '../helpers/config.js';

interface Case {
  readonly title: string;
  readonly config: unknown;
  /** [path, message, hint?] of every error, in order. */
  readonly errors: readonly (readonly [string, string] | readonly [string, string, string])[];
}

const one = (app: Readonly<Record<string, unknown>>): unknown => ({ apps: [{ name: 'api', script: 'a.js', ...app }] });
const DURATION = 'a duration (milliseconds, or a string like "10s", "1m")';
const SIZE = 'a size (bytes, or a string like "150M", "1G")';
const READINESS = 'expected an object with one of http, tcp, exec or log, got an object';

const CASES: readonly Case[] = [
  { title: 'max_restarts as a word', config: one({ max_restarts: 'ten' }), errors: [['apps[0].max_restarts', 'expected a non-negative integer, got "ten" (string)']] },
  { title: 'negative max_restarts', config: one({ max_restarts: -1 }), errors: [['apps[0].max_restarts', 'expected a non-negative integer, got -1 (number)']] },
  { title: 'min_uptime not a duration', config: one({ min_uptime: 'soon' }), errors: [['apps[0].min_uptime', `expected ${DURATION}, got "soon" (string)`]] },
  { title: 'negative kill_timeout', config: one({ kill_timeout: -5 }), errors: [['apps[0].kill_timeout', `expected ${DURATION}, got -5 (number)`]] },
  { title: 'restart_delay in words', config: one({ restart_delay: '5 minutes' }), errors: [['apps[0].restart_delay', `expected ${DURATION}, got "5 minutes" (string)`]] },
  { title: 'listen_timeout as a boolean', config: one({ listen_timeout: true }), errors: [['apps[0].listen_timeout', `expected ${DURATION}, got true (boolean)`]] },
  { title: 'max_memory_restart in words', config: one({ max_memory_restart: 'lots' }), errors: [['apps[0].max_memory_restart', `expected ${SIZE}, got "lots" (string)`]] },
  { title: 'max_memory_restart zero', config: one({ max_memory_restart: 0 }), errors: [['apps[0].max_memory_restart', `expected ${SIZE}, got 0 (number)`]] },
  { title: 'unknown kill_signal', config: one({ kill_signal: 'SIGFOO' }), errors: [['apps[0].kill_signal', 'expected a signal name such as "SIGINT" or "SIGTERM", got "SIGFOO" (string)']] },
  {
    title: 'cron minute out of range',
    config: one({ cron_restart: '61 * * * *' }),
    errors: [['apps[0].cron_restart', 'expected a cron expression such as "0 3 * * *", got "61 * * * *" (string)', '"61" is out of range in the minute field (0-59)']],
  },
  {
    title: 'cron with too few fields',
    config: one({ cron_restart: '* * *' }),
    errors: [['apps[0].cron_restart', 'expected a cron expression such as "0 3 * * *", got "* * *" (string)', 'expected 5 or 6 fields, got 3']],
  },
  { title: 'unknown exec_mode', config: one({ exec_mode: 'threads' }), errors: [['apps[0].exec_mode', 'expected one of "fork", "cluster", got "threads" (string)']] },
  { title: 'instances in words', config: one({ instances: 'many' }), errors: [['apps[0].instances', 'expected a number of instances, "max", 0 (all CPUs) or -1 (CPUs - 1), got "many" (string)']] },
  { title: 'fractional instances', config: one({ instances: 1.5 }), errors: [['apps[0].instances', 'expected a number of instances, "max", 0 (all CPUs) or -1 (CPUs - 1), got 1.5 (number)']] },
  { title: 'readiness without a probe', config: one({ readiness: { interval: '1s' } }), errors: [['apps[0].readiness', READINESS, 'add e.g. { http: "http://127.0.0.1:3000/health" }']] },
  { title: 'readiness with two probes', config: one({ readiness: { http: 'http://127.0.0.1:3000', tcp: 3000 } }), errors: [['apps[0].readiness', READINESS, 'choose one of http, tcp']] },
  { title: 'readiness http without a scheme', config: one({ readiness: { http: 'localhost:3000/health' } }), errors: [['apps[0].readiness.http', 'expected a URL starting with http:// or https://, got "localhost:3000/health" (string)']] },
  {
    title: 'readiness log with a bad regex',
    config: one({ readiness: { log: 'listening (on' } }),
    errors: [['apps[0].readiness.log', 'expected a valid regular expression, got "listening (on" (string)', 'Unterminated group']],
  },
  { title: 'readiness tcp port out of range', config: one({ readiness: { tcp: 70000 } }), errors: [['apps[0].readiness.tcp', 'expected a port, "host:port", or "${PORT}", got 70000 (number)']] },
  { title: 'readiness interval not a duration', config: one({ readiness: { tcp: 3000, interval: 'often' } }), errors: [['apps[0].readiness.interval', `expected ${DURATION}, got "often" (string)`]] },
  {
    title: 'readiness unknown key',
    config: one({ readiness: { exec: 'true', every: 5 } }),
    errors: [['apps[0].readiness.every', 'unknown key', 'readiness takes http, tcp, exec or log, and interval, timeout, retries, initial_delay']],
  },
  {
    title: 'depends_on an unknown app',
    config: { apps: [{ name: 'api', script: 'a.js', depends_on: { dbb: 'ready' } }, { name: 'db', script: 'db.js' }] },
    errors: [['apps[0].depends_on.dbb', 'unknown app "dbb"', 'did you mean "db"?']],
  },
  {
    title: 'depends_on an unknown app with nothing close',
    config: { apps: [{ name: 'api', script: 'a.js', depends_on: 'queue' }, { name: 'db', script: 'db.js' }] },
    errors: [['apps[0].depends_on.queue', 'unknown app "queue"', 'apps are: api, db']],
  },
  { title: 'depends_on itself', config: one({ depends_on: ['api'] }), errors: [['apps[0].depends_on.api', '"api" depends on itself', 'remove it from depends_on']] },
  {
    title: 'dependency cycle',
    config: { apps: [{ name: 'a', script: 'a.js', depends_on: 'b' }, { name: 'b', script: 'b.js', depends_on: ['a'] }] },
    errors: [['apps[0].depends_on', 'dependency cycle: a → b → a', 'remove one of these depends_on entries']],
  },
  {
    title: 'longer dependency cycle',
    config: { apps: [{ name: 'a', script: 'a.js', depends_on: 'b' }, { name: 'b', script: 'b.js', depends_on: 'c' }, { name: 'c', script: 'c.js', depends_on: { a: 'started' } }] },
    errors: [['apps[0].depends_on', 'dependency cycle: a → b → c → a', 'remove one of these depends_on entries']],
  },
  {
    title: 'depends_on with a bad condition',
    config: { apps: [{ name: 'api', script: 'a.js', depends_on: { db: 'healthy-ish' } }, { name: 'db', script: 'db.js' }] },
    errors: [['apps[0].depends_on.db', 'expected one of "ready", "started", "completed", got "healthy-ish" (string)']],
  },
  {
    title: 'duplicate names',
    config: { apps: [{ name: 'api', script: 'a.js' }, { name: 'api', script: 'b.js' }] },
    errors: [['apps[1].name', 'duplicate app name "api" (also apps[0])', 'app names must be unique']],
  },
  {
    title: 'two unnamed apps running npm',
    config: { apps: [{ script: 'npm', args: 'start' }, { script: 'npm', args: 'run worker' }] },
    errors: [['apps[1].name', 'duplicate app name "npm" (also apps[0])', 'give each app a distinct name']],
  },
  { title: 'missing script', config: { apps: [{ name: 'api' }] }, errors: [['apps[0].script', 'missing: every app needs a script', 'script: "server.js" (a file, an executable, or a command like "npm")']] },
  { title: 'empty script', config: one({ script: '  ' }), errors: [['apps[0].script', 'expected a non-empty string, got "  " (string)']] },
  { title: 'app that is not an object', config: { apps: ['api'] }, errors: [['apps[0]', 'expected an app object, got "api" (string)', '{ name: "api", script: "server.js" }']] },
  { title: 'apps not an array', config: { apps: { api: { script: 'a.js' } } }, errors: [['apps', 'expected an array of apps, got an object', 'apps: [{ name: "api", script: "server.js" }]']] },
  { title: 'empty apps', config: { apps: [] }, errors: [['apps', 'the config has no apps', 'add at least one app: { name: "api", script: "server.js" }']] },
  { title: 'no apps key', config: { deploy: {} }, errors: [['apps', 'missing: the config has no apps', 'export { apps: [{ name, script }] }, an array of apps, or one app object']] },
  {
    title: 'config that is not an object',
    config: 42,
    errors: [['', 'expected an ecosystem config (an object with an apps array), got 42 (number)', 'export { apps: [{ name, script }] }, an array of apps, or one app object']],
  },
  { title: 'plugins not an array', config: { apps: [{ script: 'a.js' }], plugins: { federation: true } }, errors: [['plugins', 'expected an array of plugins, got an object', 'plugins: [federation({ … })]']] },
  { title: 'plugin without a name', config: { apps: [{ script: 'a.js' }], plugins: [42] }, errors: [['plugins[0]', 'expected a plugin (an object with a name), got 42 (number)', 'use a plugin factory such as federation({ … }), or definePlugin({ name, started(ctx) { … } })']] },
  { title: 'plugin factory not called', config: { apps: [{ script: 'a.js' }], plugins: [() => ({ name: 'x' })] }, errors: [['plugins[0]', 'expected a plugin (an object with a name), got a function', 'call the plugin factory: federation({ … }), not federation']] },
  {
    title: 'plugin with a bad name, a hook that is no function and a command without run',
    config: { apps: [{ script: 'a.js' }], plugins: [{ name: 'My Plugin', started: 'yes', commands: [{ name: 'hi', description: 'says hi' }] }] },
    errors: [
      ['plugins[0].name', 'expected a plugin name (lower-case letters, digits, dashes; at most 40), got "My Plugin" (string)'],
      ['plugins[0].started', 'expected a function, got "yes" (string)'],
      ['plugins[0].commands[0].run', 'expected a function, got undefined'],
    ],
  },
  {
    title: 'two plugins with one name, and a command both define',
    config: { apps: [{ script: 'a.js' }], plugins: [{ name: 'a', commands: [{ name: 'go', description: 'd', run: () => 0 }] }, { name: 'b', commands: [{ name: 'go', description: 'd', run: () => 0 }] }, { name: 'a' }] },
    errors: [
      ['plugins[1].commands[0].name', 'command "go" is also a command of plugin "a"'],
      ['plugins[2].name', 'duplicate plugin "a" (also plugins[0])'],
    ],
  },
  {
    title: 'plugin TUI column without a value function and a panel without a title',
    config: { apps: [{ script: 'a.js' }], plugins: [{ name: 'view', columns: [{ id: 'node', header: 'NODE', width: 0 }], panels: [{ id: 'peers', lines: () => [] }] }] },
    errors: [
      ['plugins[0].columns[0].value', 'expected a function, got undefined'],
      ['plugins[0].columns[0].width', 'expected a positive integer up to 40, got 0 (number)'],
      ['plugins[0].panels[0].title', 'expected a non-empty string, got undefined'],
    ],
  },
  {
    title: 'plugin column too wide, badly aligned, twice one id; panel keys clashing with the view and with each other',
    config: {
      apps: [{ script: 'a.js' }],
      plugins: [
        {
          name: 'view',
          columns: [
            { id: 'a', header: 'A', width: 41, align: 'center', value: () => '' },
            { id: 'a', header: 'B', width: 2, value: () => '' },
          ],
          panels: [
            { id: 'p', title: 'P', key: 'q', lines: () => [] },
            { id: 'r', title: 'R', key: 'xy', lines: () => [] },
            { id: 's', title: 'S', key: 'P', lines: () => [] },
          ],
        },
        { name: 'other', panels: [{ id: 'o', title: 'O', key: 'P', lines: () => [] }, { id: 'bad id', title: 'X', lines: () => [] }] },
      ],
    },
    errors: [
      ['plugins[0].columns[0].width', 'expected a positive integer up to 40, got 41 (number)'],
      ['plugins[0].columns[0].align', 'expected "left" or "right", got "center" (string)'],
      ['plugins[0].panels[0].key', '"q" is a key of the view\'s own (keys taken: q ? k j g G a p f o i d m w t J / n N r s R S c)', 'choose another key, or leave key out: the panel is then opened from the help (?)'],
      ['plugins[0].panels[1].key', 'expected one printable character such as "P", got "xy" (string)'],
      ['plugins[1].panels[1].id', 'expected an id (letters, digits, _ . -; at most 40), got "bad id" (string)'],
      ['plugins[0].columns[1].id', 'duplicate column id "a"'],
      ['plugins[1].panels[0].key', 'key "P" also opens panel "s" of plugin "view"', 'give each panel its own key'],
    ],
  },
  { title: 'plugin keepsUp that is not a boolean', config: { apps: [{ script: 'a.js' }], plugins: [{ name: 'mesh', keepsUp: 'yes' }] }, errors: [['plugins[0].keepsUp', 'expected true or false, got "yes" (string)']] },
  { title: 'plugin named like a folder of the state folder', config: { apps: [{ script: 'a.js' }], plugins: [{ name: 'logs' }] }, errors: [['plugins[0].name', '"logs" is a folder of node-unit\'s own in the state folder', 'choose another name']] },
  { title: 'env with a function value', config: one({ env: { DB: () => 'x' } }), errors: [['apps[0].env.DB', 'expected a string, number or boolean, got a function']] },
  { title: 'env not an object', config: one({ env: 'NODE_ENV=production' }), errors: [['apps[0].env', 'expected an object of environment variables, got "NODE_ENV=production" (string)']] },
  { title: 'env_production not an object', config: one({ env_production: ['x'] }), errors: [['apps[0].env_production', 'expected an object of environment variables, got an array of 1']] },
  { title: 'named port out of range', config: one({ ports: { http: 70000 } }), errors: [['apps[0].ports.http', 'expected a port number (0-65535), got 70000 (number)']] },
  { title: 'port zero', config: one({ port: 0 }), errors: [['apps[0].port', 'expected a port number (1-65535), got 0 (number)']] },
  { title: 'args with an unclosed quote', config: one({ args: '--name "two words' }), errors: [['apps[0].args', 'expected arguments a shell could split, got "--name \\"two words" (string)', 'unclosed " quote']] },
  { title: 'node_args with an object item', config: one({ node_args: ['--inspect', {}] }), errors: [['apps[0].node_args[1]', 'expected a string, got an object']] },
  { title: 'watch as a number', config: one({ watch: 42 }), errors: [['apps[0].watch', 'expected true, false, a path or an array of paths, got 42 (number)']] },
  { title: 'autorestart as yes', config: one({ autorestart: 'yes' }), errors: [['apps[0].autorestart', 'expected true or false, got "yes" (string)']] },
  { title: 'stop_exit_codes out of range', config: one({ stop_exit_codes: [0, 300] }), errors: [['apps[0].stop_exit_codes[1]', 'expected an exit code (0-255), got 300 (number)']] },
  { title: 'blank name', config: one({ name: '   ' }), errors: [['apps[0].name', 'expected a non-empty string, got "   " (string)']] },
  { title: 'log_buffer too small', config: one({ log_buffer: 5 }), errors: [['apps[0].log_buffer', 'expected a number of lines (10-100000), got 5 (number)']] },
  { title: 'log_max_files zero', config: one({ log_max_files: 0 }), errors: [['apps[0].log_max_files', 'expected a number of files (1-1000), got 0 (number)']] },
  { title: 'env_files, a misspelt env_file', config: one({ env_files: ['.env'] }), errors: [['apps[0].env_files', 'expected an object of environment variables, got an array of 1', 'did you mean "env_file"?']] },
  { title: 'env_file as a number', config: one({ env_file: 42 }), errors: [['apps[0].env_file', 'expected a string or an array of strings, got 42 (number)']] },
  { title: 'stop_exit_codes as a word', config: one({ stop_exit_codes: 'none' }), errors: [['apps[0].stop_exit_codes', 'expected an exit code or an array of exit codes, got "none" (string)']] },
  { title: 'ignore_watch with a non-string', config: one({ watch: true, ignore_watch: ['node_modules', 7] }), errors: [['apps[0].ignore_watch[1]', 'expected a non-empty string, got 7 (number)']] },
  { title: 'an odd name is quoted in the path', config: { apps: [{ name: 'api', script: 'a.js', depends_on: ['my db'] }] }, errors: [['apps[0].depends_on["my db"]', 'unknown app "my db"', 'apps are: api']] },
];

for (const c of CASES) {
  test(`bad config: ${c.title}`, (t) => {
    const result = validateConfig(c.config);
    t.is(result.config, undefined);
    const errors = brief(result.diagnostics.filter((d) => d.severity === 'error'));
    t.deepEqual(
      errors,
      c.errors.map(([path, message, hint]) => (hint === undefined ? { severity: 'error', path, message } : { severity: 'error', path, message, hint })),
    );
  });
}

test('the table holds at least 30 bad configs', (t) => {
  t.true(CASES.length >= 30);
});
