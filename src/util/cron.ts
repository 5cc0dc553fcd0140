/** Cron expressions: 5 fields (minute …) or 6 (second first), lists, ranges, steps, names, @macros. */

interface FieldSpec {
  readonly name: string;
  readonly min: number;
  readonly max: number;
  readonly names?: readonly string[];
}

const SECOND: FieldSpec = { name: 'second', min: 0, max: 59 };
const FIELDS: readonly FieldSpec[] = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12, names: ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'] },
  { name: 'day of week', min: 0, max: 7, names: ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] },
];

const MACROS: Readonly<Record<string, string>> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};

export interface CronSchedule {
  readonly seconds: ReadonlySet<number>;
  readonly minutes: ReadonlySet<number>;
  readonly hours: ReadonlySet<number>;
  readonly daysOfMonth: ReadonlySet<number>;
  readonly months: ReadonlySet<number>;
  readonly daysOfWeek: ReadonlySet<number>;
  /** Both day fields restricted: a day matches if either matches (classic cron). */
  readonly dayOr: boolean;
}

export type CronParse = { readonly ok: true; readonly schedule: CronSchedule } | { readonly ok: false; readonly error: string };

function parseValue(text: string, spec: FieldSpec): number | undefined {
  const index = spec.names?.indexOf(text.toLowerCase()) ?? -1;
  if (index >= 0) return index + (spec.name === 'month' ? 1 : 0);
  return /^\d+$/.test(text) ? Number(text) : undefined;
}

function parseField(text: string, spec: FieldSpec): Set<number> | string {
  const values = new Set<number>();
  for (const part of text.split(',')) {
    const [rangeText = '', stepText] = part.split('/');
    const step = stepText === undefined ? 1 : Number(stepText);
    if (!Number.isInteger(step) || step < 1) return `bad step "${stepText}" in the ${spec.name} field`;
    let low = spec.min;
    let high = spec.max;
    if (rangeText !== '*') {
      const [lowText = '', highText] = rangeText.split('-');
      const lowValue = parseValue(lowText, spec);
      const highValue = highText === undefined ? (stepText === undefined ? lowValue : spec.max) : parseValue(highText, spec);
      if (lowValue === undefined || highValue === undefined) return `"${part}" is not valid in the ${spec.name} field`;
      low = lowValue;
      high = highValue;
    }
    if (low < spec.min || high > spec.max || low > high) {
      return `"${part}" is out of range in the ${spec.name} field (${spec.min}-${spec.max})`;
    }
    for (let v = low; v <= high; v += step) values.add(spec.name === 'day of week' && v === 7 ? 0 : v);
  }
  return values;
}

export function parseCron(expression: string): CronParse {
  const text = MACROS[expression.trim().toLowerCase()] ?? expression.trim();
  const parts = text === '' ? [] : text.split(/\s+/);
  if (parts.length !== 5 && parts.length !== 6) {
    return { ok: false, error: `expected 5 or 6 fields, got ${parts.length}` };
  }
  const specs = [SECOND, ...FIELDS];
  const texts = parts.length === 6 ? parts : ['0', ...parts];
  const sets: Set<number>[] = [];
  for (let i = 0; i < specs.length; i++) {
    const parsed = parseField(texts[i] as string, specs[i] as FieldSpec);
    if (typeof parsed === 'string') return { ok: false, error: parsed };
    sets.push(parsed);
  }
  const [seconds, minutes, hours, daysOfMonth, months, daysOfWeek] = sets as [Set<number>, Set<number>, Set<number>, Set<number>, Set<number>, Set<number>];
  const dayOr = texts[3] !== '*' && texts[5] !== '*';
  return { ok: true, schedule: { seconds, minutes, hours, daysOfMonth, months, daysOfWeek, dayOr } };
}

function dayMatches(schedule: CronSchedule, date: Date): boolean {
  const dom = schedule.daysOfMonth.has(date.getDate());
  const dow = schedule.daysOfWeek.has(date.getDay());
  return schedule.dayOr ? dom || dow : dom && dow;
}

/** The first time strictly after `after` that matches, in local time; undefined if none within ~5 years. */
export function nextCronTime(schedule: CronSchedule, after: Date): Date | undefined {
  const t = new Date(after.getTime());
  t.setMilliseconds(0);
  t.setSeconds(t.getSeconds() + 1);
  const limit = after.getTime() + 5 * 366 * 86_400_000;
  while (t.getTime() <= limit) {
    if (!schedule.months.has(t.getMonth() + 1)) {
      t.setMonth(t.getMonth() + 1, 1);
      t.setHours(0, 0, 0);
    } else if (!dayMatches(schedule, t)) {
      t.setDate(t.getDate() + 1);
      t.setHours(0, 0, 0);
    } else if (!schedule.hours.has(t.getHours())) {
      t.setHours(t.getHours() + 1, 0, 0);
    } else if (!schedule.minutes.has(t.getMinutes())) {
      t.setMinutes(t.getMinutes() + 1, 0);
    } else if (!schedule.seconds.has(t.getSeconds())) {
      t.setSeconds(t.getSeconds() + 1);
    } else return t;
  }
  return undefined;
}
