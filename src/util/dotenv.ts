export type DotenvResult =
  | { readonly ok: true; readonly vars: Readonly<Record<string, string>> }
  | { readonly ok: false; readonly line: number; readonly error: string };

const ESCAPES: Readonly<Record<string, string>> = { n: '\n', r: '\r', t: '\t', '"': '"', '\\': '\\' };

/** Parses a dotenv file: KEY=value, `export KEY=value`, quotes, # comments, multi-line double quotes. */
export function parseDotenv(source: string): DotenvResult {
  const vars: Record<string, string> = {};
  const lines = source.replace(/\r\n?/g, '\n').split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = (lines[i] as string).trim();
    if (line === '' || line.startsWith('#')) continue;
    const match = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_.-]*)\s*=\s*(.*)$/.exec(line);
    if (!match) return { ok: false, line: i + 1, error: `expected KEY=value, got ${JSON.stringify(line.slice(0, 40))}` };
    const key = match[1] as string;
    let value = match[2] as string;
    const quote = value[0];
    if (quote === '"' || quote === "'" || quote === '`') {
      const start = i;
      let body = value.slice(1);
      let end = closingQuote(body, quote);
      while (end < 0 && i + 1 < lines.length) {
        body += `\n${lines[++i]}`;
        end = closingQuote(body, quote);
      }
      if (end < 0) return { ok: false, line: start + 1, error: `unclosed ${quote} quote for ${key}` };
      body = body.slice(0, end);
      value = quote === '"' ? body.replace(/\\([nrt"\\])/g, (_, c: string) => ESCAPES[c] ?? c) : body;
    } else {
      value = value.replace(/\s+#.*$/, '').trim();
    }
    vars[key] = value;
  }
  return { ok: true, vars };
}

/** Index of the quote that closes `body` (a backslash escapes inside double quotes only), or -1. */
function closingQuote(body: string, quote: string): number {
  for (let i = 0; i < body.length; i++) {
    if (quote === '"' && body[i] === '\\') i++;
    else if (body[i] === quote) return i;
  }
  return -1;
}
