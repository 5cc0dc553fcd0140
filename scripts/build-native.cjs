#!/usr/bin/env node
// npm's install step: builds native/ (large log pipes and their reader; node-unit-init for PID 1; on Linux) with node-gyp. A failed build
// never fails the install: node-unit then makes its pipes with mkfifo, 64 KiB each, and Node reads them.
'use strict';
const { spawnSync } = require('node:child_process');
const path = require('node:path');

if (process.platform !== 'linux' || process.env.NODE_UNIT_NATIVE === '0') process.exit(0);

const root = path.join(__dirname, '..');
const nodeGyp = process.env.npm_config_node_gyp;
const [command, args] = nodeGyp ? [process.execPath, [nodeGyp, 'rebuild']] : ['node-gyp', ['rebuild']];
const built = spawnSync(command, args, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
if (built.status === 0) process.exit(0);

const output = `${built.stdout ?? ''}${built.stderr ?? ''}`;
const reason = built.error ? built.error.message : output.split('\n').find((line) => /error/i.test(line)) ?? `node-gyp exited with ${built.status}`;
process.stderr.write(`node-unit: the native helpers were not built (${reason.trim()}); log pipes stay at 64 KiB and Node reads them, and \`up\` as PID 1 cannot reap orphans (run containers with --init).\n`);
process.exit(0);
