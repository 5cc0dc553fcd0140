export type SplitResult = { readonly ok: true; readonly words: readonly string[] } | { readonly ok: false; readonly error: string };

/** Splits a command line like a POSIX shell would: quotes and backslashes honoured, no expansion. */
export function splitShellWords(line: string): SplitResult {
  const words: string[] = [];
  let current = '';
  let inWord = false;
  let quote: '"' | "'" | undefined;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i] as string;
    if (quote === "'") {
      if (ch === "'") quote = undefined;
      else current += ch;
      continue;
    }
    if (quote === '"') {
      if (ch === '"') quote = undefined;
      else if (ch === '\\' && i + 1 < line.length && '"\\$`'.includes(line[i + 1] as string)) current += line[++i];
      else current += ch;
      continue;
    }
    if (ch === "'" || ch === '"') {
      quote = ch;
      inWord = true;
    } else if (ch === '\\' && i + 1 < line.length) {
      current += line[++i];
      inWord = true;
    } else if (/\s/.test(ch)) {
      if (inWord) words.push(current);
      current = '';
      inWord = false;
    } else {
      current += ch;
      inWord = true;
    }
  }
  if (quote) return { ok: false, error: `unclosed ${quote} quote` };
  if (inWord) words.push(current);
  return { ok: true, words };
}

/** True when a string needs a shell to run: operators, expansions, redirections. */
export function needsShell(line: string): boolean {
  return /[|&;<>()$`*?~{}\n]/.test(line);
}
