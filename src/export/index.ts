import { exportCompose } from './compose.js';
import { exportK8s } from './k8s.js';
import { exportNomad } from './nomad.js';
import { exportSystemd } from './systemd.js';
import type { ExportInput, ExportResult, ExportTarget } from './types.js';

export { EXPORT_TARGETS, type ExportApp, type ExportInput, type ExportResult, type ExportTarget, type Untranslated } from './types.js';

export function exportConfig(target: ExportTarget, input: ExportInput): ExportResult {
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
