import { exportCompose } from './compose.js';
import { dnsName } from './env.js';
import { exportK8s } from './k8s.js';
import { exportNomad } from './nomad.js';
import { exportSystemd } from './systemd.js';
import type { ExportInput, ExportResult, ExportTarget } from './types.js';

export { EXPORT_TARGETS, type ExportApp, type ExportInput, type ExportResult, type ExportTarget, type Untranslated } from './types.js';

/** Apps whose names become one object name in the targets (`my_app` and `my-app`): one would silently replace the other. */
function nameClash(input: ExportInput): ExportResult | undefined {
  const byName = new Map<string, string[]>();
  for (const app of input.apps) byName.set(dnsName(app.spec.name), [...(byName.get(dnsName(app.spec.name)) ?? []), app.spec.name]);
  const clashes = [...byName].filter(([, names]) => names.length > 1);
  if (clashes.length === 0) return undefined;
  const told = clashes.map(([name, names]) => `${names.join(' and ')} are both "${name}"`).join('; ');
  return { ok: false, message: `app names that differ only in case or punctuation become the same name in the exported files: ${told}. Rename one of them.` };
}

export function exportConfig(target: ExportTarget, input: ExportInput): ExportResult {
  const clash = nameClash(input);
  if (clash) return clash;
  switch (target) {
    case 'nomad':
      return exportNomad(input);
    case 'k8s':
      return exportK8s(input);
    case 'compose':
      return exportCompose(input);
    case 'systemd':
      return exportSystemd(input);
  }
}
