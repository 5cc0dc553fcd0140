import fs from 'node:fs';
import path from 'node:path';

/** One security event in audit.jsonl: time, session id, peer fingerprint, action, target, result. */
export interface AuditEntry {
  readonly action: string;
  readonly result: 'ok' | 'refused' | 'warning' | 'closed';
  readonly sid?: string;
  readonly peer?: string;
  readonly target?: string;
  readonly address?: string;
  readonly detail?: string;
  /** How many refusals of this address were left out since its last line. */
  readonly suppressed?: number;
}

export class AuditLog {
  readonly file: string;
  constructor(dir: string) {
    this.file = path.join(dir, 'audit.jsonl');
  }

  write(entry: AuditEntry): void {
    fs.appendFileSync(this.file, `${JSON.stringify({ time: new Date().toISOString(), ...entry })}\n`, { mode: 0o600 });
  }

  /** Every entry so far (for tests and `nodes`); a torn last line is skipped. */
  read(): readonly (AuditEntry & { readonly time: string })[] {
    let text: string;
    try {
      text = fs.readFileSync(this.file, 'utf8');
    } catch {
      return [];
    }
    return text.split('\n').flatMap((line) => {
      try {
        return line ? [JSON.parse(line) as AuditEntry & { readonly time: string }] : [];
      } catch {
        return [];
      }
    });
  }
}
