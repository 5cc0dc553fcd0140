// `npm run test:container` (opt-in): builds the Dockerfile with podman and runs the image hardened.
import fs from 'node:fs';

const { ava } = JSON.parse(fs.readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));

export default {
  ...ava,
  files: ['test/container/**/*.container.ts'],
  concurrency: 1,
  timeout: '900s',
};
