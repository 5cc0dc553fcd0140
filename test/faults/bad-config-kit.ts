/** The shapes and writers the generated bad configs share. */
export type ConfigFormat = 'json' | 'cjs' | 'mjs' | 'ts';

export interface BadConfig {
  readonly title: string;
  readonly configFile: string;
  /** The config file and anything beside it; the apps' script is `app.js`, which records that it started. */
  readonly files: Readonly<Record<string, string>>;
  /** What the error output must contain, beside the file name. */
  readonly mentions: readonly (string | RegExp)[];
  /** An unknown key is a warning (pm2 compatibility): only `validate --strict` refuses it. */
  readonly strict: boolean;
}

export const STARTED_PREFIX = 'started-';
/** The script every generated app runs: it leaves a file behind, so a start cannot go unnoticed. */
export const APP_SCRIPT = `require('node:fs').writeFileSync(require('node:path').join(__dirname, '${STARTED_PREFIX}' + process.pid), '');\nsetInterval(() => {}, 1 << 30);\n`;

const FORMATS: readonly ConfigFormat[] = ['json', 'cjs', 'mjs', 'ts'];

export function formatFor(index: number): ConfigFormat {
  return FORMATS[index % FORMATS.length] ?? 'json';
}

export function configFileName(format: ConfigFormat): string {
  return `ecosystem.config.${format}`;
}

/** A config value written as a file of the given format. */
export function configText(format: ConfigFormat, value: unknown): string {
  const json = JSON.stringify(value, null, 2);
  switch (format) {
    case 'json':
      return `${json}\n`;
    case 'cjs':
      return `module.exports = ${json};\n`;
    case 'mjs':
    case 'ts':
      return `export default ${json};\n`;
  }
}

export function valueConfig(title: string, format: ConfigFormat, value: unknown, mentions: readonly (string | RegExp)[], strict = false): BadConfig {
  const configFile = configFileName(format);
  return { title: `${title} (.${format})`, configFile, files: { [configFile]: configText(format, value), 'app.js': APP_SCRIPT }, mentions, strict };
}

export function codeConfig(title: string, configFile: string, code: string, mentions: readonly (string | RegExp)[]): BadConfig {
  return { title, configFile, files: { [configFile]: code, 'app.js': APP_SCRIPT }, mentions, strict: false };
}
