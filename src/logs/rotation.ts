import fs from 'node:fs/promises';

/** Shifts `file.1` … `file.(keep-1)` up by one and renames `file` to `file.1` (`.1` is the newest). */
export async function shiftRotated(file: string, keep: number): Promise<void> {
  for (let i = keep - 1; i >= 1; i--) await renameIfPresent(`${file}.${i}`, `${file}.${i + 1}`);
  await renameIfPresent(file, `${file}.1`);
}

async function renameIfPresent(from: string, to: string): Promise<void> {
  try {
    await fs.rename(from, to);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}

/** The longest prefix of data[from…] (whole lines) that fits in `room` bytes; -1 when not even one line fits. */
export function fitLines(data: Buffer, from: number, room: number): number {
  if (data.length - from <= room) return data.length;
  if (room <= 0) return -1;
  const newline = data.lastIndexOf(0x0a, from + room - 1);
  return newline < from ? -1 : newline + 1;
}

/** The end of the first line of data[from…]: what a fresh file gets when a line is larger than the limit. */
export function firstLineEnd(data: Buffer, from: number): number {
  const newline = data.indexOf(0x0a, from);
  return newline === -1 ? data.length : newline + 1;
}
