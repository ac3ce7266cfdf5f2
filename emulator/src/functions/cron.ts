/**
 * Timer-trigger cron as WeChat cloud functions read it: seven fields
 * `second minute hour day month weekday year`, each `*`, a value, a range `a-b`, a step
 * (`*\/n`, `a/n`, `a-b/n`) or a comma list of those. Months may be JAN-DEC, weekdays 0-6 or
 * SUN-SAT (0 = Sunday). When both day and weekday are restricted, either one matching is
 * enough (documented production rule). Times are read in UTC+8 (Asia/Shanghai has no DST).
 */

export const CRON_UTC_OFFSET_MS = 8 * 3_600_000;
const MAX_YEAR = 2099;
const MIN_YEAR = 1970;

export class CronError extends Error {}

export interface CronSchedule {
  expression: string;
  seconds: boolean[];
  minutes: boolean[];
  hours: boolean[];
  days: boolean[];
  months: boolean[];
  weekdays: boolean[];
  years: boolean[];
  /** Day field is `*` (unrestricted): weekday alone decides, and vice versa. */
  dayAny: boolean;
  weekdayAny: boolean;
}

interface FieldSpec {
  name: string;
  min: number;
  max: number;
  names?: string[];
  /** Index offset of `names[0]`. */
  namesFrom?: number;
}

const FIELDS: FieldSpec[] = [
  { name: 'second', min: 0, max: 59 },
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day', min: 1, max: 31 },
  {
    name: 'month',
    min: 1,
    max: 12,
    names: ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'],
    namesFrom: 1,
  },
  { name: 'weekday', min: 0, max: 6, names: ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'], namesFrom: 0 },
  { name: 'year', min: MIN_YEAR, max: MAX_YEAR },
];

function parseValue(text: string, spec: FieldSpec, expression: string): number {
  const upper = text.toUpperCase();
  if (spec.names) {
    const index = spec.names.indexOf(upper);
    if (index >= 0) return index + (spec.namesFrom ?? 0);
  }
  if (!/^\d+$/.test(text)) throw new CronError(`invalid ${spec.name} value "${text}" in cron "${expression}"`);
  const value = Number(text);
  if (value < spec.min || value > spec.max) {
    throw new CronError(`${spec.name} value ${value} out of range ${spec.min}-${spec.max} in cron "${expression}"`);
  }
  return value;
}

function parseField(text: string, spec: FieldSpec, expression: string): { allowed: boolean[]; any: boolean } {
  const allowed = new Array<boolean>(spec.max + 1).fill(false);
  if (text === '') throw new CronError(`empty ${spec.name} field in cron "${expression}"`);
  for (const part of text.split(',')) {
    const [rangeText, stepText, extra] = part.split('/');
    if (extra !== undefined) throw new CronError(`invalid ${spec.name} "${part}" in cron "${expression}"`);
    let step = 1;
    if (stepText !== undefined) {
      if (!/^\d+$/.test(stepText) || Number(stepText) === 0) {
        throw new CronError(`invalid step "${stepText}" in ${spec.name} of cron "${expression}"`);
      }
      step = Number(stepText);
    }
    let from: number;
    let to: number;
    if (rangeText === '*') {
      from = spec.min;
      to = spec.max;
    } else if (rangeText.includes('-')) {
      const [a, b, more] = rangeText.split('-');
      if (more !== undefined || a === '' || b === '') throw new CronError(`invalid range "${rangeText}" in cron "${expression}"`);
      from = parseValue(a, spec, expression);
      to = parseValue(b, spec, expression);
      if (from > to) throw new CronError(`range "${rangeText}" runs backwards in cron "${expression}"`);
    } else {
      from = parseValue(rangeText, spec, expression);
      // `a/n` means "from a, every n" up to the field's end, as the platform documents (1/10).
      to = stepText !== undefined ? spec.max : from;
    }
    for (let value = from; value <= to; value += step) allowed[value] = true;
  }
  return { allowed, any: text === '*' };
}

export function parseCron(expression: string): CronSchedule {
  const fields = expression.trim().split(/\s+/);
  if (fields.length !== 7) {
    throw new CronError(`cron "${expression}" must have 7 fields (second minute hour day month weekday year), found ${fields.length}`);
  }
  const parsed = fields.map((text, index) => parseField(text, FIELDS[index], expression));
  return {
    expression,
    seconds: parsed[0].allowed,
    minutes: parsed[1].allowed,
    hours: parsed[2].allowed,
    days: parsed[3].allowed,
    months: parsed[4].allowed,
    weekdays: parsed[5].allowed,
    years: parsed[6].allowed,
    dayAny: parsed[3].any,
    weekdayAny: parsed[5].any,
  };
}

function dayMatches(schedule: CronSchedule, local: Date): boolean {
  const dayOk = schedule.days[local.getUTCDate()];
  const weekdayOk = schedule.weekdays[local.getUTCDay()];
  if (schedule.dayAny && schedule.weekdayAny) return true;
  if (schedule.dayAny) return weekdayOk;
  if (schedule.weekdayAny) return dayOk;
  return dayOk || weekdayOk;
}

/** Does the schedule fire at this instant (to the second)? */
export function cronMatches(schedule: CronSchedule, at: Date | number): boolean {
  const ms = typeof at === 'number' ? at : at.getTime();
  const local = new Date(ms + CRON_UTC_OFFSET_MS);
  return (
    schedule.years[local.getUTCFullYear()] === true &&
    schedule.months[local.getUTCMonth() + 1] &&
    dayMatches(schedule, local) &&
    schedule.hours[local.getUTCHours()] &&
    schedule.minutes[local.getUTCMinutes()] &&
    schedule.seconds[local.getUTCSeconds()]
  );
}

/**
 * The first instant strictly after `fromMs` (whole seconds) at which the schedule fires, or
 * undefined when it never fires again (e.g. only past years, or 30 February).
 */
export function nextCronTime(schedule: CronSchedule, fromMs: number): number | undefined {
  // Work on "local" time encoded as UTC fields, so Date.UTC does the calendar arithmetic.
  let t = Math.floor((fromMs + CRON_UTC_OFFSET_MS) / 1000) * 1000 + 1000;
  for (let guard = 0; guard < 1_000_000; guard++) {
    const d = new Date(t);
    const year = d.getUTCFullYear();
    if (year > MAX_YEAR) return undefined;
    if (!schedule.years[year]) {
      t = Date.UTC(year + 1, 0, 1);
      continue;
    }
    const month = d.getUTCMonth();
    if (!schedule.months[month + 1]) {
      t = Date.UTC(year, month + 1, 1);
      continue;
    }
    const day = d.getUTCDate();
    if (!dayMatches(schedule, d)) {
      t = Date.UTC(year, month, day + 1);
      continue;
    }
    const hour = d.getUTCHours();
    if (!schedule.hours[hour]) {
      t = Date.UTC(year, month, day, hour + 1);
      continue;
    }
    const minute = d.getUTCMinutes();
    if (!schedule.minutes[minute]) {
      t = Date.UTC(year, month, day, hour, minute + 1);
      continue;
    }
    const second = d.getUTCSeconds();
    let next = second;
    while (next < 60 && !schedule.seconds[next]) next++;
    if (next === 60) {
      t = Date.UTC(year, month, day, hour, minute + 1);
      continue;
    }
    return Date.UTC(year, month, day, hour, minute, next) - CRON_UTC_OFFSET_MS;
  }
  return undefined;
}
