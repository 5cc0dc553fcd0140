import fs from 'node:fs/promises';

/**
 * Filesystems whose writes land in the page cache and return in microseconds (statfs f_type, Linux).
 * A network or FUSE filesystem can stall a write for as long as its server is away: writes there stay
 * off the event loop.
 */
const LOCAL_FILESYSTEMS: ReadonlySet<number> = new Set([
  0xef53, // ext2, ext3, ext4
  0x58465342, // xfs
  0x9123683e, // btrfs
  0x01021994, // tmpfs
  0x858458f6, // ramfs
  0x794c7630, // overlayfs
  0x2fc12fc1, // zfs
  0xf2f52010, // f2fs
  0xca451a4e, // bcachefs
  0x52654973, // reiserfs
  0x3153464a, // jfs
]);

export function isLocalFilesystem(type: number): boolean {
  return LOCAL_FILESYSTEMS.has(type);
}

/** Whether the file lies on a local disk (Linux; elsewhere, and when statfs fails, false). */
export async function onLocalDisk(file: string): Promise<boolean> {
  if (process.platform !== 'linux') return false;
  try {
    return isLocalFilesystem((await fs.statfs(file)).type);
  } catch {
    return false;
  }
}
