// The fault suite (`npm run test:faults`): the fast fault tests (*.test.ts, also in `npm test`) and the slow
// ones (*.fault.ts, only here), with the TypeScript settings of package.json.
import fs from 'node:fs';

const { ava } = JSON.parse(fs.readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));

export default {
  ...ava,
  files: ['test/faults/**/*.test.ts', 'test/faults/**/*.fault.ts'],
  // Slow cases run one file at a time: they measure deadlines and CPU on a shared machine.
  concurrency: 1,
  timeout: '180s',
};
