/** Case-smart search: case-insensitive unless the query has an uppercase letter; a bad regex is searched literally. */
export interface Search {
  readonly query: string;
  readonly regex: RegExp;
  /** True when the query was not a valid regex and is matched as plain text. */
  readonly literal: boolean;
}

export function compileSearch(query: string): Search {
  const flags = /\p{Lu}/u.test(query) ? 'gu' : 'giu';
  try {
    return { query, regex: new RegExp(query, flags), literal: false };
  } catch {
    return { query, regex: new RegExp(query.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), flags), literal: true };
  }
}

export function matches(search: Search, text: string): boolean {
  search.regex.lastIndex = 0;
  return search.regex.test(text);
}

export interface Segment {
  readonly text: string;
  readonly match: boolean;
}

/** Splits text into plain and matching segments (empty matches are skipped). */
export function segments(search: Search, text: string): readonly Segment[] {
  const out: Segment[] = [];
  let last = 0;
  search.regex.lastIndex = 0;
  for (const found of text.matchAll(search.regex)) {
    const start = found.index;
    if (found[0].length === 0) continue;
    if (start > last) out.push({ text: text.slice(last, start), match: false });
    out.push({ text: found[0], match: true });
    last = start + found[0].length;
  }
  if (last < text.length) out.push({ text: text.slice(last), match: false });
  return out;
}
