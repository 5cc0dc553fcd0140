/** The format `time: true` uses (the same as config's DEFAULTS.dateFormat; logs/ does not import config). */
export const DEFAULT_DATE_FORMAT = 'YYYY-MM-DDTHH:mm:ss.SSSZ';

export type DateFormatter = (time: number) => string;

const TOKENS = /\[([^\]]*)]|YYYY|YY|MM|M|DD|D|HH|H|hh|h|mm|m|ss|s|SSS|ZZ|Z|A|a/g;

const pad = (value: number, width = 2): string => String(value).padStart(width, '0');

function offset(date: Date, separator: string): string {
  const minutes = -date.getTimezoneOffset();
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(minutes);
  return `${sign}${pad(Math.floor(abs / 60))}${separator}${pad(abs % 60)}`;
}

type Part = string | ((date: Date) => string);

const FIELDS: Readonly<Record<string, (date: Date) => string>> = {
  YYYY: (d) => pad(d.getFullYear(), 4),
  YY: (d) => pad(d.getFullYear() % 100),
  MM: (d) => pad(d.getMonth() + 1),
  M: (d) => String(d.getMonth() + 1),
  DD: (d) => pad(d.getDate()),
  D: (d) => String(d.getDate()),
  HH: (d) => pad(d.getHours()),
  H: (d) => String(d.getHours()),
  hh: (d) => pad(d.getHours() % 12 || 12),
  h: (d) => String(d.getHours() % 12 || 12),
  mm: (d) => pad(d.getMinutes()),
  m: (d) => String(d.getMinutes()),
  ss: (d) => pad(d.getSeconds()),
  s: (d) => String(d.getSeconds()),
  SSS: (d) => pad(d.getMilliseconds(), 3),
  Z: (d) => offset(d, ':'),
  ZZ: (d) => offset(d, ''),
  A: (d) => (d.getHours() < 12 ? 'AM' : 'PM'),
  a: (d) => (d.getHours() < 12 ? 'am' : 'pm'),
};

/** Compiles a dayjs/moment-style format (the common tokens, `[literal]` escapes) in local time. */
export function compileDateFormat(format: string): DateFormatter {
  const parts: Part[] = [];
  let last = 0;
  for (const match of format.matchAll(TOKENS)) {
    if (match.index > last) parts.push(format.slice(last, match.index));
    parts.push(match[1] ?? FIELDS[match[0]] ?? match[0]);
    last = match.index + match[0].length;
  }
  if (last < format.length) parts.push(format.slice(last));
  return (time) => {
    const date = new Date(time);
    let text = '';
    for (const part of parts) text += typeof part === 'string' ? part : part(date);
    return text;
  };
}
