import fs from 'node:fs';
import path from 'node:path';
import test from 'ava';
import { packagesReachable } from '../helpers/imports.js';
import { PROJECT_ROOT } from '../helpers/tmp.js';


const HEAVY = /^(ink|react|chokidar|jiti)(\/|$)/;

test('the ls path (fast entry, ls and the action commands, dynamic imports included) reaches neither Ink, React, chokidar nor jiti', (t) => {
  const reached = [...packagesReachable(path.join(PROJECT_ROOT, 'dist', 'src', 'cli', 'fast.js'))];
  t.deepEqual(reached.filter((p) => HEAVY.test(p)), []);
  t.false(reached.includes('commander'), 'the fast path skips commander');
  t.true(reached.includes('node:net'));
});

test('the ls command itself, reached through commander, loads nothing heavy either', (t) => {
  const reached = [...packagesReachable(path.join(PROJECT_ROOT, 'dist', 'src', 'cli', 'commands', 'ls.js'))];
  t.deepEqual(reached.filter((p) => HEAVY.test(p)), []);
});

test('src/control imports only node built-ins and src/model', (t) => {
  const reached = [...packagesReachable(path.join(PROJECT_ROOT, 'dist', 'src', 'control', 'server.js')), ...packagesReachable(path.join(PROJECT_ROOT, 'dist', 'src', 'control', 'client.js'))];
  t.deepEqual(reached.filter((p) => !p.startsWith('node:')), []);
});
