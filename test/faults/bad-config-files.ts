/** Faults in the config file itself: syntax errors, code that throws, exports that are not a config. */
import { codeConfig, configFileName, formatFor, valueConfig, type BadConfig, type ConfigFormat } from './bad-config-kit.js';

const VALID_LINES: Readonly<Record<ConfigFormat, readonly string[]>> = {
  json: ['{', '  "apps": [', '    { "name": "api", "script": "app.js" },', '    { "name": "worker", "script": "app.js" }', '  ]', '}'],
  cjs: ['module.exports = {', '  apps: [', "    { name: 'api', script: 'app.js' },", "    { name: 'worker', script: 'app.js' },", '  ],', '};'],
  mjs: ['export default {', '  apps: [', "    { name: 'api', script: 'app.js' },", "    { name: 'worker', script: 'app.js' },", '  ],', '};'],
  ts: ['const port: number = 3000;', 'export default {', '  apps: [', "    { name: 'api', script: 'app.js', env: { PORT: String(port) } },", "    { name: 'worker', script: 'app.js' },", '  ],', '};'],
};

/** Ways to break line `at` of a valid file; each leaves the lines before it intact. */
const BREAKS: readonly ((line: string) => string)[] = [
  (line) => `${line} }}`,
  (line) => line.replace(/[,;]?$/, ' @@'),
  (line) => `${line.slice(0, Math.ceil(line.length / 2))} ((`,
  (line) => `${line} :`,
  (line) => `${line} ;;; =>`,
];

function syntaxErrors(): BadConfig[] {
  const cases: BadConfig[] = [];
  for (const format of ['json', 'cjs', 'mjs', 'ts'] as const) {
    const lines = VALID_LINES[format];
    BREAKS.forEach((breakLine, b) => {
      const at = 1 + (b % (lines.length - 1));
      const broken = lines.map((line, i) => (i === at ? breakLine(line) : line)).join('\n');
      const file = configFileName(format);
      cases.push(codeConfig(`syntax error #${b} on line ${at + 1} (.${format})`, file, `${broken}\n`, [new RegExp(`${file.replace(/\./g, '\\.')}:\\d+`)]));
    });
    const truncated = lines.slice(0, Math.ceil(lines.length / 2)).join('\n');
    cases.push(codeConfig(`file cut in the middle (.${format})`, configFileName(format), `${truncated}\n`, [new RegExp(`${configFileName(format).replace(/\./g, '\\.')}:\\d+`)]));
  }
  cases.push(codeConfig('an empty .json file', 'ecosystem.config.json', '', ['ecosystem.config.json']));
  cases.push(codeConfig('a .json file naming an undefined variable', 'ecosystem.config.json', '{ "apps": [ { "name": "a", "script": app } ] }\n', [/ecosystem\.config\.json:1/]));
  cases.push(codeConfig('a .json file with an unterminated comment', 'ecosystem.config.json', '{ "apps": [] }\n/* apps\n', [/ecosystem\.config\.json:\d+/]));
  return cases;
}

const THROWERS: readonly (readonly [string, string, string, number])[] = [
  ['module.exports throws at the top', 'ecosystem.config.cjs', "throw new Error('no config today');\n", 1],
  ['an exported function throws', 'ecosystem.config.cjs', "module.exports = () => {\n  throw new Error('boom');\n};\n", 2],
  ['an exported function throws a string', 'ecosystem.config.cjs', "module.exports = function () {\n\n  throw 'plain string';\n};\n", 3],
  ['an async function rejects', 'ecosystem.config.mjs', "export default async () => {\n  await null;\n  throw new Error('async boom');\n};\n", 3],
  ['a .ts config throws', 'ecosystem.config.ts', "const apps: unknown[] = [];\nif (apps.length === 0) throw new TypeError('no apps');\nexport default { apps };\n", 2],
  ['a .ts function throws', 'ecosystem.config.ts', "export default (): never => {\n  throw new RangeError('out of range');\n};\n", 2],
  ['reading an undefined property', 'ecosystem.config.cjs', "const settings = undefined;\nmodule.exports = { apps: [{ name: 'a', script: settings.script }] };\n", 2],
  ['calling something that is not a function', 'ecosystem.config.mjs', "const make = 42;\nexport default make();\n", 2],
  ['requiring a missing file', 'ecosystem.config.cjs', "module.exports = require('./does-not-exist.cjs');\n", 1],
  ['a missing package', 'ecosystem.config.mjs', "import x from 'no-such-package-anywhere';\nexport default x;\n", 1],
  ['an env_file that is not there', 'ecosystem.config.cjs', "module.exports = { apps: [{ name: 'a', script: 'app.js', env_file: 'missing.env' }] };\n", 0],
  ['deep recursion', 'ecosystem.config.cjs', 'const f = (n) => f(n + 1);\nmodule.exports = f(0);\n', 1],
  ['a throwing getter', 'ecosystem.config.cjs', "module.exports = { get apps() { throw new Error('getter'); } };\n", 1],
  ['an apps getter that throws (.ts)', 'ecosystem.config.ts', "export default {\n  get apps(): never {\n    throw new Error('later');\n  },\n};\n", 3],
  ['a Proxy that throws when read', 'ecosystem.config.cjs', "module.exports = new Proxy({}, { get() { throw new Error('proxy get'); }, has() { throw new Error('proxy has'); } });\n", 1],
  ['JSON.parse of bad text inside the config', 'ecosystem.config.mjs', "export default JSON.parse('{apps');\n", 1],
  ['a function returning a rejected promise', 'ecosystem.config.cjs', "module.exports = () => Promise.reject(new Error('later'));\n", 1],
];

function throwers(): BadConfig[] {
  return THROWERS.map(([title, file, code, line]) => {
    const where = line === 0 ? /apps\[0\]\.env_file/ : new RegExp(`${file.replace(/\./g, '\\.')}(:\\d+)?`);
    return codeConfig(title, file, code, [where]);
  });
}

const NOT_CONFIGS: readonly (readonly [string, unknown])[] = [
  ['a number', 42], ['a string', 'apps'], ['null', null], ['true', true], ['an empty array', []], ['apps is a number', { apps: 42 }],
  ['apps is a string', { apps: 'api' }], ['apps holds a number', { apps: [42] }], ['apps holds null', { apps: [null] }], ['apps is an empty object', { apps: {} }],
  ['apps holds an array', { apps: [['api', 'app.js']] }], ['no apps at all', { services: [] }],
];

function notConfigs(): BadConfig[] {
  const values = NOT_CONFIGS.map(([title, value], i) => valueConfig(`the export is ${title}`, formatFor(i), value, [/expected|apps/]));
  const code = [
    codeConfig('a function returning a number', 'ecosystem.config.cjs', 'module.exports = () => 7;\n', [/expected|got 7/]),
    codeConfig('a function returning undefined', 'ecosystem.config.mjs', 'export default () => undefined;\n', [/expected|undefined/]),
    codeConfig('a Promise of a string', 'ecosystem.config.mjs', "export default Promise.resolve('apps');\n", [/expected/]),
    codeConfig('no default export', 'ecosystem.config.mjs', "export const apps = 'none';\n", [/expected|apps/]),
    codeConfig('a class', 'ecosystem.config.cjs', 'module.exports = class Config {};\n', [/threw while loading: TypeError: Class constructor Config/]),
    codeConfig('a symbol', 'ecosystem.config.cjs', "module.exports = Symbol('apps');\n", [/expected|symbol/]),
  ];
  return [...values, ...code];
}

export function fileFaults(): BadConfig[] {
  return [...syntaxErrors(), ...throwers(), ...notConfigs()];
}
