import test from 'ava';
import path from 'node:path';
import { ConfigError, formatDiagnostic } from '../../src/config/errors.js';
import { loadConfig } from '../../src/config/load.js';
import { tempDir, writeFiles } from '../helpers/tmp.js';
import type { BadConfig } from './bad-config-kit.js';
import { BAD_CONFIGS } from './bad-configs.js';

/** What loading the config reports: the ConfigError's text, or the warnings of a config that loaded. */
async function report(bad: BadConfig): Promise<{ readonly refused: boolean; readonly text: string }> {
  const dir = tempDir('nu-fault-config-');
  writeFiles(dir, bad.files);
  try {
    const loaded = await loadConfig({ cwd: dir, env: {} });
    return { refused: false, text: loaded.warnings.map((w) => `${path.basename(loaded.file)}: ${formatDiagnostic(w)}`).join('\n') };
  } catch (error) {
    if (error instanceof ConfigError) return { refused: true, text: error.message };
    throw error;
  }
}

test('there are at least 200 generated malformed configs, with distinct titles', (t) => {
  t.true(BAD_CONFIGS.length >= 200, `${BAD_CONFIGS.length} configs`);
  t.is(new Set(BAD_CONFIGS.map((bad) => bad.title)).size, BAD_CONFIGS.length);
});

for (const bad of BAD_CONFIGS) {
  test(`malformed config: ${bad.title}`, async (t) => {
    const { refused, text } = await report(bad);
    t.is(refused, !bad.strict, text);
    t.true(text.includes(bad.configFile), `the file is named in:\n${text}`);
    for (const mention of bad.mentions) {
      if (typeof mention === 'string') t.true(text.includes(mention), `"${mention}" in:\n${text}`);
      else t.regex(text, mention);
    }
  });
}
