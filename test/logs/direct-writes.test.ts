import fs from 'node:fs';
import path from 'node:path';
import test from 'ava';
import { FileSink, type SinkOptions } from '../../src/logs/file-sink.js';
import { isLocalFilesystem, onLocalDisk } from '../../src/logs/local-disk.js';
import { tempDir } from '../helpers/tmp.js';

const options = (overrides: Partial<SinkOptions> = {}): SinkOptions => ({ maxSizeBytes: undefined, maxFiles: 3, onError: () => undefined, ...overrides });

test('on a local disk, once the file is open and nothing is queued, a write reaches the file before it returns, from the caller’s buffer', async (t) => {
  t.true(await onLocalDisk(tempDir()), 'the temp folder is on a local disk here');
  const file = path.join(tempDir(), 'direct-out.log');
  const sink = new FileSink(file, options());
  sink.write(Buffer.from('first\n'));
  await sink.sync();
  const reused = Buffer.from('second\n');
  t.true(sink.write(reused));
  reused.fill('#');
  t.is(fs.readFileSync(file, 'utf8'), 'first\nsecond\n');
  await sink.close();
});

test('a slow direct write sends the next writes through the queue, in order', async (t) => {
  const file = path.join(tempDir(), 'slow-out.log');
  // Every direct write counts as slow.
  const sink = new FileSink(file, options({ slowWriteMs: -1 }));
  sink.write(Buffer.from('a\n'));
  await sink.sync();
  sink.write(Buffer.from('b\n'));
  t.is(fs.readFileSync(file, 'utf8'), 'a\nb\n', 'the first write after open goes direct');
  const queued = Buffer.from('c\n');
  sink.write(queued);
  queued.fill('#');
  t.is(fs.readFileSync(file, 'utf8'), 'a\nb\n', 'queued: not written yet, and copied');
  await sink.sync();
  t.is(fs.readFileSync(file, 'utf8'), 'a\nb\nc\n');
  await sink.close();
});

test('a write that would pass log_max_size goes through the queue, which rotates first', async (t) => {
  const file = path.join(tempDir(), 'rotating-out.log');
  const sink = new FileSink(file, options({ maxSizeBytes: 10 }));
  sink.write(Buffer.from('12345\n'));
  await sink.sync();
  sink.write(Buffer.from('67890\n'));
  t.is(fs.readFileSync(file, 'utf8'), '12345\n', 'not written on the spot');
  await sink.sync();
  t.is(fs.readFileSync(`${file}.1`, 'utf8'), '12345\n');
  t.is(fs.readFileSync(file, 'utf8'), '67890\n');
  await sink.close();
});

test('local disks are told from network and virtual filesystems by their statfs type', async (t) => {
  t.true(isLocalFilesystem(0xef53), 'ext4');
  t.true(isLocalFilesystem(0x01021994), 'tmpfs');
  t.false(isLocalFilesystem(0x6969), 'nfs');
  t.false(isLocalFilesystem(0xfe534d42), 'smb2');
  t.false(isLocalFilesystem(0x65735546), 'fuse');
  t.true(await onLocalDisk('/dev/shm'));
  t.false(await onLocalDisk('/proc/self'));
  t.false(await onLocalDisk('/no/such/folder'));
});
