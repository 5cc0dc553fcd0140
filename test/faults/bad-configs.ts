/**
 * Over 200 malformed configs (205), generated from families of faults. Each names the file it is in and what an error
 * about it must mention: the key path (`apps[1].max_restarts`) or the place in the file (`file:line`).
 */
import type { BadConfig } from './bad-config-kit.js';
import { fileFaults } from './bad-config-files.js';
import { valueFaults } from './bad-config-values.js';

export const BAD_CONFIGS: readonly BadConfig[] = [...valueFaults(), ...fileFaults()];
