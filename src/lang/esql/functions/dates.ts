/** Date functions, timespans and calendar arithmetic, all in UTC as Elasticsearch's defaults are. */
import { type DataType, formatDate, parseDate, type Scalar, type Value } from "../values.ts";
import {
  type ArgInfo,
  argError,
  constantString,
  EvalFailure,
  type FunctionDef,
  firstError,
  NUMERIC_TYPES,
  STRING_TYPES,
} from "./types.ts";

const DAY = 86_400_000;

/** A timespan literal: a fixed duration in ms, or a calendar period in days and months. */
export interface Timespan {
  ms: number;
  days: number;
  months: number;
}

const UNIT_MS: Record<string, number> = {
  millisecond: 1,
  milliseconds: 1,
  ms: 1,
  second: 1000,
  seconds: 1000,
  sec: 1000,
  s: 1000,
  minute: 60_000,
  minutes: 60_000,
  min: 60_000,
  hour: 3_600_000,
  hours: 3_600_000,
  h: 3_600_000,
};
const UNIT_DAYS: Record<string, number> = { day: 1, days: 1, d: 1, week: 7, weeks: 7, w: 7 };
const UNIT_MONTHS: Record<string, number> = {
  month: 1,
  months: 1,
  mo: 1,
  quarter: 3,
  quarters: 3,
  q: 3,
  year: 12,
  years: 12,
  yr: 12,
  y: 12,
};

export function timespan(amount: number, unit: string): Timespan {
  const u = unit.toLowerCase();
  if (u in UNIT_MS) return { ms: amount * UNIT_MS[u], days: 0, months: 0 };
  if (u in UNIT_DAYS) return { ms: 0, days: amount * UNIT_DAYS[u], months: 0 };
  return { ms: 0, days: 0, months: amount * (UNIT_MONTHS[u] ?? 0) };
}

/** The ES|QL type of a timespan literal: durations below a day are time_duration, the rest date_period. */
export function timespanType(unit: string): DataType {
  return unit.toLowerCase() in UNIT_MS ? "time_duration" : "date_period";
}

export function addTimespan(ms: number, span: Timespan, sign: 1 | -1): number {
  let out = ms + sign * (span.ms + span.days * DAY);
  if (span.months) {
    const d = new Date(out);
    const day = d.getUTCDate();
    d.setUTCDate(1);
    d.setUTCMonth(d.getUTCMonth() + sign * span.months);
    const lastDay = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate();
    d.setUTCDate(Math.min(day, lastDay));
    out = d.getTime();
  }
  return out;
}

/** Rounds a date down to a multiple of the span (fixed durations from the epoch; weeks start on Monday). */
export function truncateDate(ms: number, span: Timespan): number {
  if (span.months) {
    const d = new Date(ms);
    const monthIndex = d.getUTCFullYear() * 12 + d.getUTCMonth();
    const floored = Math.floor(monthIndex / span.months) * span.months;
    return Date.UTC(Math.floor(floored / 12), floored % 12, 1);
  }
  if (span.days) {
    if (span.days % 7 === 0) {
      // 1970-01-01 was a Thursday; Monday-based weeks are offset by 4 days.
      const width = span.days * DAY;
      const offset = 4 * DAY;
      return Math.floor((ms - offset) / width) * width + offset;
    }
    const width = span.days * DAY;
    return Math.floor(ms / width) * width;
  }
  if (span.ms <= 0) throw new EvalFailure("Zero or negative time interval is not supported");
  return Math.floor(ms / span.ms) * span.ms;
}

const spanOf = (arg: ArgInfo | undefined): Timespan | undefined =>
  arg?.span ? timespan(arg.span.amount, arg.span.unit) : undefined;

const DATE_DIFF_UNITS: Record<string, string> = {
  year: "year",
  years: "year",
  yy: "year",
  yyyy: "year",
  quarter: "quarter",
  quarters: "quarter",
  qq: "quarter",
  q: "quarter",
  month: "month",
  months: "month",
  mm: "month",
  m: "month",
  dayofyear: "day",
  dy: "day",
  y: "day",
  day: "day",
  days: "day",
  dd: "day",
  d: "day",
  week: "week",
  weeks: "week",
  wk: "week",
  ww: "week",
  weekday: "day",
  weekdays: "day",
  dw: "day",
  hour: "hour",
  hours: "hour",
  hh: "hour",
  minute: "minute",
  minutes: "minute",
  mi: "minute",
  n: "minute",
  second: "second",
  seconds: "second",
  ss: "second",
  s: "second",
  millisecond: "millisecond",
  milliseconds: "millisecond",
  ms: "millisecond",
  microsecond: "microsecond",
  microseconds: "microsecond",
  mcs: "microsecond",
  nanosecond: "nanosecond",
  nanoseconds: "nanosecond",
  ns: "nanosecond",
};

function monthsBetween(a: number, b: number): number {
  const da = new Date(a);
  const db = new Date(b);
  let months = (db.getUTCFullYear() - da.getUTCFullYear()) * 12 + (db.getUTCMonth() - da.getUTCMonth());
  // Java's ChronoUnit.MONTHS.between counts only whole months.
  const rest = (d: Date) => d.getTime() - Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
  if (months > 0 && rest(db) < rest(da)) months--;
  if (months < 0 && rest(db) > rest(da)) months++;
  return months;
}

function dateDiff(unit: string, start: number, end: number): number {
  const d = end - start;
  switch (unit) {
    case "year":
      return Math.trunc(monthsBetween(start, end) / 12);
    case "quarter":
      return Math.trunc(monthsBetween(start, end) / 3);
    case "month":
      return monthsBetween(start, end);
    case "week":
      return Math.trunc(d / (7 * DAY));
    case "day":
      return Math.trunc(d / DAY);
    case "hour":
      return Math.trunc(d / 3_600_000);
    case "minute":
      return Math.trunc(d / 60_000);
    case "second":
      return Math.trunc(d / 1000);
    case "millisecond":
      return d;
    case "microsecond":
      return d * 1000;
    default:
      return d * 1_000_000;
  }
}

const EXTRACT_PARTS: Record<string, (d: Date) => number> = {
  YEAR: (d) => d.getUTCFullYear(),
  MONTH_OF_YEAR: (d) => d.getUTCMonth() + 1,
  DAY_OF_MONTH: (d) => d.getUTCDate(),
  DAY_OF_WEEK: (d) => ((d.getUTCDay() + 6) % 7) + 1,
  DAY_OF_YEAR: (d) => Math.floor((d.getTime() - Date.UTC(d.getUTCFullYear(), 0, 1)) / DAY) + 1,
  HOUR_OF_DAY: (d) => d.getUTCHours(),
  MINUTE_OF_HOUR: (d) => d.getUTCMinutes(),
  MINUTE_OF_DAY: (d) => d.getUTCHours() * 60 + d.getUTCMinutes(),
  SECOND_OF_MINUTE: (d) => d.getUTCSeconds(),
  SECOND_OF_DAY: (d) => Math.floor((((d.getTime() % DAY) + DAY) % DAY) / 1000),
  MILLI_OF_SECOND: (d) => d.getUTCMilliseconds(),
  MILLI_OF_DAY: (d) => ((d.getTime() % DAY) + DAY) % DAY,
  EPOCH_DAY: (d) => Math.floor(d.getTime() / DAY),
  ALIGNED_WEEK_OF_YEAR: (d) => Math.floor((EXTRACT_PARTS.DAY_OF_YEAR(d) - 1) / 7) + 1,
};

const pad = (n: number, width: number) => String(n).padStart(width, "0");
const MONTH_NAMES = [
  "January",
  "February",
  "March",
  "April",
  "May",
  "June",
  "July",
  "August",
  "September",
  "October",
  "November",
  "December",
];
const DAY_NAMES = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];

/** Formats with the common Java DateTimeFormatter letters (UTC). */
export function formatWithPattern(ms: number, pattern: string): string {
  const d = new Date(ms);
  let out = "";
  let i = 0;
  while (i < pattern.length) {
    const c = pattern[i];
    if (c === "'") {
      const close = pattern.indexOf("'", i + 1);
      const literal = close < 0 ? pattern.slice(i + 1) : pattern.slice(i + 1, close);
      out += literal === "" ? "'" : literal;
      i = close < 0 ? pattern.length : close + 1;
      continue;
    }
    if (!/[A-Za-z]/.test(c)) {
      out += c;
      i++;
      continue;
    }
    let n = 1;
    while (pattern[i + n] === c) n++;
    i += n;
    switch (c) {
      case "y":
      case "u":
        out += n === 2 ? pad(d.getUTCFullYear() % 100, 2) : pad(d.getUTCFullYear(), n);
        break;
      case "M":
        out +=
          n >= 4
            ? MONTH_NAMES[d.getUTCMonth()]
            : n === 3
              ? MONTH_NAMES[d.getUTCMonth()].slice(0, 3)
              : pad(d.getUTCMonth() + 1, n);
        break;
      case "d":
        out += pad(d.getUTCDate(), n);
        break;
      case "D":
        out += pad(EXTRACT_PARTS.DAY_OF_YEAR(d), n);
        break;
      case "E":
        out += n >= 4 ? DAY_NAMES[d.getUTCDay()] : DAY_NAMES[d.getUTCDay()].slice(0, 3);
        break;
      case "H":
        out += pad(d.getUTCHours(), n);
        break;
      case "h":
        out += pad(d.getUTCHours() % 12 || 12, n);
        break;
      case "a":
        out += d.getUTCHours() < 12 ? "AM" : "PM";
        break;
      case "m":
        out += pad(d.getUTCMinutes(), n);
        break;
      case "s":
        out += pad(d.getUTCSeconds(), n);
        break;
      case "S":
        out += pad(d.getUTCMilliseconds(), 3).slice(0, n).padEnd(n, "0");
        break;
      case "X":
      case "Z":
        out += c === "X" ? "Z" : "+0000";
        break;
      case "z":
      case "V":
        out += "UTC";
        break;
      default:
        throw new EvalFailure(`Unknown pattern letter: ${c}`);
    }
  }
  return out;
}

const DATES = ["date"] as const;

/** Nice bucket widths BUCKET picks from when asked for a bucket count over a date range. */
const AUTO_DATE_SPANS: Timespan[] = [
  timespan(1, "second"),
  timespan(5, "second"),
  timespan(10, "second"),
  timespan(30, "second"),
  timespan(1, "minute"),
  timespan(5, "minute"),
  timespan(10, "minute"),
  timespan(30, "minute"),
  timespan(1, "hour"),
  timespan(3, "hour"),
  timespan(12, "hour"),
  timespan(1, "day"),
  timespan(7, "day"),
  timespan(1, "month"),
  timespan(3, "month"),
  timespan(1, "year"),
  timespan(10, "year"),
  timespan(100, "year"),
];

function bucketResolve(args: ArgInfo[]): DataType | string {
  const [field, size] = args;
  if (field.type !== "date" && !NUMERIC_TYPES.has(field.type) && field.type !== "null")
    return `first argument of [BUCKET] must be [numeric or date], found value type [${field.type}]`;
  if (args.length === 2) {
    if (field.type === "date" && !size.span)
      return "second argument of [BUCKET] must be a time span when bucketing dates";
    if (field.type !== "date" && !NUMERIC_TYPES.has(size.type)) return "second argument of [BUCKET] must be [numeric]";
    return field.type === "date" ? "date" : "double";
  }
  if (args.length !== 4) return "[BUCKET] takes a span, or a bucket count with from and to";
  if (!size.constant || !NUMERIC_TYPES.has(size.type))
    return "second argument of [BUCKET] must be a constant bucket count";
  if (!args[2].constant || !args[3].constant) return "from and to of [BUCKET] must be constants";
  return field.type === "date" ? "date" : "double";
}

function bucketWidth(args: ArgInfo[]): Timespan | number {
  const [field, size, from, to] = args;
  if (args.length === 2) return size.span ? timespan(size.span.amount, size.span.unit) : Number(size.constant?.value);
  const count = Number(size.constant?.value);
  if (field.type === "date") {
    const start = parseDate(from.constant?.value as Scalar);
    const end = parseDate(to.constant?.value as Scalar);
    if (start === null || end === null) throw new EvalFailure("invalid BUCKET range");
    return (
      AUTO_DATE_SPANS.find((s) => (end - start) / (s.ms + s.days * DAY + s.months * 30 * DAY) <= count) ??
      AUTO_DATE_SPANS[AUTO_DATE_SPANS.length - 1]
    );
  }
  const range = Number(to.constant?.value) - Number(from.constant?.value);
  const raw = range / count;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  for (const step of [1, 2, 2.5, 5, 10]) if (step * magnitude >= raw) return step * magnitude;
  return raw;
}

export const dateFunctions: Record<string, FunctionDef> = {
  NOW: { min: 0, max: 0, resolve: () => "date", usesNow: true, cells: () => null },
  DATE_TRUNC: {
    min: 2,
    max: 2,
    resolve: (args) =>
      (!args[0].span && args[0].type !== "null"
        ? "first argument of [DATE_TRUNC] must be a time span (e.g. 1 hour)"
        : argError("DATE_TRUNC", args, 1, DATES as unknown as DataType[], "datetime")) ?? "date",
    scalar: ([, date], info) => truncateDate(Number(date), spanOf(info.args[0])!),
  },
  DATE_DIFF: {
    min: 3,
    max: 3,
    resolve: (args) => {
      const unit = constantString(args[0]);
      if (unit !== undefined && !(unit.toLowerCase() in DATE_DIFF_UNITS))
        return `Received value [${unit}] is not valid date part to add; did you mean one of [${Object.keys(DATE_DIFF_UNITS).join(", ")}]?`;
      return (
        firstError(
          argError("DATE_DIFF", args, 0, STRING_TYPES, "string"),
          argError("DATE_DIFF", args, 1, DATES as unknown as DataType[], "datetime"),
          argError("DATE_DIFF", args, 2, DATES as unknown as DataType[], "datetime"),
        ) ?? "integer"
      );
    },
    scalar: ([unit, start, end]) => {
      const u = DATE_DIFF_UNITS[String(unit).toLowerCase()];
      if (!u) throw new EvalFailure(`Received value [${unit}] is not valid date part`);
      return dateDiff(u, Number(start), Number(end));
    },
  },
  DATE_EXTRACT: {
    min: 2,
    max: 2,
    resolve: (args) => {
      const part = constantString(args[0]);
      if (part !== undefined && !(part.toUpperCase() in EXTRACT_PARTS))
        return `invalid date part [${part}] for [DATE_EXTRACT]`;
      return (
        firstError(
          argError("DATE_EXTRACT", args, 0, STRING_TYPES, "string"),
          argError("DATE_EXTRACT", args, 1, DATES as unknown as DataType[], "datetime"),
        ) ?? "long"
      );
    },
    scalar: ([part, date]) => {
      const fn = EXTRACT_PARTS[String(part).toUpperCase()];
      if (!fn) throw new EvalFailure(`invalid date part [${part}]`);
      return fn(new Date(Number(date)));
    },
  },
  DATE_FORMAT: {
    min: 1,
    max: 2,
    resolve: (args) => {
      if (args.length === 1)
        return argError("DATE_FORMAT", args, 0, DATES as unknown as DataType[], "datetime") ?? "keyword";
      return (
        firstError(
          argError("DATE_FORMAT", args, 0, STRING_TYPES, "string"),
          argError("DATE_FORMAT", args, 1, DATES as unknown as DataType[], "datetime"),
        ) ?? "keyword"
      );
    },
    scalar: (args) =>
      args.length === 1 ? formatDate(Number(args[0])) : formatWithPattern(Number(args[1]), String(args[0])),
  },
  DATE_PARSE: {
    min: 1,
    max: 2,
    resolve: (args) =>
      firstError(...args.map((_, i) => argError("DATE_PARSE", args, i, STRING_TYPES, "string"))) ?? "date",
    scalar: (args) => {
      const ms = parseDate(String(args[args.length - 1]));
      if (ms === null) throw new EvalFailure(`failed to parse date [${args[args.length - 1]}]`);
      return ms;
    },
  },
  BUCKET: {
    min: 2,
    max: 4,
    resolve: bucketResolve,
    cells: (args, info): Value => {
      const [value] = args;
      if (value === null) return null;
      if (Array.isArray(value)) throw new EvalFailure("single-value function encountered multi-value");
      const width = bucketWidth(info.args);
      if (typeof width === "number") {
        if (!(width > 0)) throw new EvalFailure("BUCKET width must be positive");
        return Math.floor(Number(value) / width) * width;
      }
      return truncateDate(Number(value), width);
    },
  },
};
