/**
 * Typed values as Elasticsearch parses them for ip, numeric and date fields: the same parse is applied to document
 * values and to query values so that both compare by value.
 */

/** An IP address as a 128-bit number; IPv4 addresses are IPv4-mapped (::ffff:a.b.c.d), as Elasticsearch stores them. */
export function parseIp(text: string): bigint | undefined {
  if (text.includes(":")) return parseIpv6(text);
  const v4 = parseIpv4(text);
  return v4 === undefined ? undefined : 0xffff00000000n | v4;
}

function parseIpv4(text: string): bigint | undefined {
  const parts = text.split(".");
  if (parts.length !== 4) return undefined;
  let out = 0n;
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part)) return undefined;
    const n = Number(part);
    if (n > 255) return undefined;
    out = (out << 8n) | BigInt(n);
  }
  return out;
}

function parseIpv6(text: string): bigint | undefined {
  let groups: string[];
  let tailV4: bigint | undefined;
  let body = text;
  const lastColon = body.lastIndexOf(":");
  if (body.slice(lastColon + 1).includes(".")) {
    tailV4 = parseIpv4(body.slice(lastColon + 1));
    if (tailV4 === undefined) return undefined;
    body = `${body.slice(0, lastColon + 1)}0:0`;
  }
  const halves = body.split("::");
  if (halves.length > 2) return undefined;
  const head = halves[0] === "" ? [] : halves[0].split(":");
  if (halves.length === 2) {
    const tail = halves[1] === "" ? [] : halves[1].split(":");
    const missing = 8 - head.length - tail.length;
    if (missing < 1) return undefined;
    groups = [...head, ...Array<string>(missing).fill("0"), ...tail];
  } else {
    groups = head;
  }
  if (groups.length !== 8) return undefined;
  let out = 0n;
  for (const group of groups) {
    if (!/^[0-9a-fA-F]{1,4}$/.test(group)) return undefined;
    out = (out << 16n) | BigInt(Number.parseInt(group, 16));
  }
  if (tailV4 !== undefined) out = (out & ~0xffffffffn) | tailV4;
  return out;
}

/** An address or a CIDR block (`10.0.0.0/8`, `::/0`) as an inclusive range, as a term query on an ip field reads it. */
export function parseIpRange(text: string): { lo: bigint; hi: bigint } | undefined {
  const slash = text.indexOf("/");
  if (slash < 0) {
    const ip = parseIp(text);
    return ip === undefined ? undefined : { lo: ip, hi: ip };
  }
  const address = text.slice(0, slash);
  const prefixText = text.slice(slash + 1);
  const ip = parseIp(address);
  if (ip === undefined || !/^\d{1,3}$/.test(prefixText)) return undefined;
  const v4 = !address.includes(":");
  const prefix = Number(prefixText) + (v4 ? 96 : 0);
  if (prefix > 128 || (v4 && prefix - 96 > 32)) return undefined;
  const hostBits = BigInt(128 - prefix);
  const mask = (1n << hostBits) - 1n;
  return { lo: ip & ~mask, hi: (ip & ~mask) | mask };
}

/** A number as a numeric field reads it (strings are coerced); undefined for anything else. */
export function parseNumber(value: string | number): number | undefined {
  if (typeof value === "number") return Number.isFinite(value) ? value : undefined;
  const text = value.trim();
  if (text === "") return undefined;
  const n = Number(text);
  return Number.isFinite(n) ? n : undefined;
}

const DATE =
  /^(\d{4})(?:-(\d{2})(?:-(\d{2})(?:T(\d{2})(?::(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?)?)?)?(Z|[+-]\d{2}(?::?\d{2})?)?$/;

/**
 * A date in Elasticsearch's default format `strict_date_optional_time||epoch_millis`, as epoch milliseconds (UTC
 * unless the text has an offset). Missing components are filled as Elasticsearch does for range bounds: month and
 * day with 01, and, when rounding up (`lte`, `gt`, the upper end of an exact match), hour, minute, second and fraction
 * with their maxima.
 */
export function parseDate(text: string, roundUp = false): number | undefined {
  const m = DATE.exec(text);
  if (!m) {
    if (!/^-?\d+(\.\d+)?$/.test(text)) return undefined;
    const millis = Number(text);
    return Number.isFinite(millis) ? Math.trunc(millis) : undefined;
  }
  const [, year, month, day, hour, minute, second, fraction, zone] = m;
  // Four bare digits are a year: the strict date format is tried before epoch_millis.
  const fill = (part: string | undefined, low: number, high: number) =>
    part === undefined ? (roundUp ? high : low) : Number(part);
  const ms = fraction === undefined ? (roundUp ? 999 : 0) : Math.floor(Number(`0.${fraction}`) * 1000 + Number.EPSILON);
  const date = new Date(0);
  date.setUTCFullYear(Number(year), month === undefined ? 0 : Number(month) - 1, day === undefined ? 1 : Number(day));
  date.setUTCHours(fill(hour, 0, 23), fill(minute, 0, 59), fill(second, 0, 59), ms);
  if (
    (month !== undefined && date.getUTCMonth() !== Number(month) - 1) ||
    (day !== undefined && date.getUTCDate() !== Number(day)) ||
    (hour !== undefined && Number(hour) > 23) ||
    (minute !== undefined && Number(minute) > 59) ||
    (second !== undefined && Number(second) > 59)
  ) {
    return undefined;
  }
  return date.getTime() - zoneOffsetMinutes(zone) * 60_000;
}

function zoneOffsetMinutes(zone: string | undefined): number {
  if (zone === undefined || zone === "Z") return 0;
  const sign = zone[0] === "-" ? -1 : 1;
  const digits = zone.slice(1).replace(":", "");
  return sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2) || 0));
}

const UNIT_MS: Record<string, number> = {
  w: 604_800_000,
  d: 86_400_000,
  h: 3_600_000,
  H: 3_600_000,
  m: 60_000,
  s: 1000,
};

/**
 * A date value with Elasticsearch date math: `now`, `now-15m`, `2024-01-01||+1M/d`. Rounding `/unit` goes to the start
 * of the unit, or its last millisecond when rounding up. `now` is the caller's clock.
 */
export function parseDateMath(text: string, now: number, roundUp = false): number | undefined {
  let anchor: number | undefined;
  let math: string;
  if (text.startsWith("now")) {
    anchor = now;
    math = text.slice(3);
  } else {
    const bar = text.indexOf("||");
    if (bar < 0) return parseDate(text, roundUp);
    anchor = parseDate(text.slice(0, bar));
    math = text.slice(bar + 2);
  }
  if (anchor === undefined) return undefined;
  const date = new Date(anchor);
  const ops = /([+-])(\d+)?([yMwdhHms])|\/([yMwdhHms])/g;
  let consumed = 0;
  for (let op = ops.exec(math); op !== null; op = ops.exec(math)) {
    if (op.index !== consumed) return undefined;
    consumed = ops.lastIndex;
    if (op[4] !== undefined) roundDate(date, op[4], roundUp);
    else addToDate(date, op[3], (op[1] === "-" ? -1 : 1) * Number(op[2] ?? 1));
  }
  return consumed === math.length ? date.getTime() : undefined;
}

function addToDate(date: Date, unit: string, amount: number): void {
  if (unit === "y") date.setUTCFullYear(date.getUTCFullYear() + amount);
  else if (unit === "M") date.setUTCMonth(date.getUTCMonth() + amount);
  else date.setTime(date.getTime() + amount * UNIT_MS[unit]);
}

function roundDate(date: Date, unit: string, roundUp: boolean): void {
  const y = date.getUTCFullYear();
  let start: number;
  let next: number;
  if (unit === "y") {
    start = Date.UTC(y, 0, 1);
    next = Date.UTC(y + 1, 0, 1);
  } else if (unit === "M") {
    start = Date.UTC(y, date.getUTCMonth(), 1);
    next = Date.UTC(y, date.getUTCMonth() + 1, 1);
  } else if (unit === "w") {
    // ISO weeks start on Monday.
    const day = Date.UTC(y, date.getUTCMonth(), date.getUTCDate());
    start = day - ((date.getUTCDay() + 6) % 7) * UNIT_MS.d;
    next = start + UNIT_MS.w;
  } else {
    const size = UNIT_MS[unit];
    start = Math.floor(date.getTime() / size) * size;
    next = start + size;
  }
  date.setTime(roundUp ? next - 1 : start);
}
