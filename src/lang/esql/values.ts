/**
 * Runtime values of ES|QL. A cell is null, one scalar, or a multivalue (an array of two or more scalars). Dates are
 * epoch milliseconds internally (typed by their column) and become ISO strings only on output.
 */
export type Scalar = string | number | boolean;
export type Value = Scalar | Scalar[] | null;
/** What callers receive: JSON-ready cells. */
export type EsqlValue = string | number | boolean | null | (string | number | boolean)[];

export type DataType =
  | "keyword"
  | "text"
  | "long"
  | "integer"
  | "double"
  | "date"
  | "ip"
  | "boolean"
  | "geo_point"
  | "null"
  | "time_duration"
  | "date_period"
  | "unsupported";

export const NUMERIC: ReadonlySet<DataType> = new Set(["integer", "long", "double"]);
export const STRING: ReadonlySet<DataType> = new Set(["keyword", "text"]);

export const isNumeric = (t: DataType): boolean => NUMERIC.has(t);
export const isString = (t: DataType): boolean => STRING.has(t);

/** The wider of two numeric types (integer < long < double). */
export function widerNumeric(a: DataType, b: DataType): DataType {
  if (a === "double" || b === "double") return "double";
  if (a === "long" || b === "long") return "long";
  return "integer";
}

/** The values of a cell as a list (empty for null). */
export function valuesOf(v: Value): Scalar[] {
  if (v === null) return [];
  return Array.isArray(v) ? v : [v];
}

/** A cell from a list of values: null when empty, the scalar when one, a multivalue otherwise. */
export function cellOf(values: Scalar[]): Value {
  if (values.length === 0) return null;
  return values.length === 1 ? values[0] : values;
}

const ipKeyCache = new Map<string, string>();

/** A sortable key for an IP address: its 16-byte (IPv4-mapped) form in hex, as Elasticsearch orders ips. */
export function ipSortKey(ip: string): string {
  let key = ipKeyCache.get(ip);
  if (key !== undefined) return key;
  const bytes = ipBytes(ip);
  key = bytes ? bytes.map((b) => b.toString(16).padStart(2, "0")).join("") : `~${ip}`;
  if (ipKeyCache.size > 100_000) ipKeyCache.clear();
  ipKeyCache.set(ip, key);
  return key;
}

/** The 16 bytes of an IPv4 or IPv6 address (IPv4 mapped into ::ffff:0:0/96), or undefined when not an address. */
export function ipBytes(ip: string): number[] | undefined {
  const v4 = parseIpv4(ip);
  if (v4) return [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, ...v4];
  if (!ip.includes(":")) return undefined;
  let text = ip.replace(/%.*$/, "");
  let tail: number[] = [];
  const lastColon = text.lastIndexOf(":");
  if (text.slice(lastColon + 1).includes(".")) {
    const embedded = parseIpv4(text.slice(lastColon + 1));
    if (!embedded) return undefined;
    tail = embedded;
    text = `${text.slice(0, lastColon + 1)}0:0`;
  }
  const halves = text.split("::");
  if (halves.length > 2) return undefined;
  const parse = (s: string): number[] | undefined => {
    if (s === "") return [];
    const out: number[] = [];
    for (const g of s.split(":")) {
      if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return undefined;
      out.push(Number.parseInt(g, 16));
    }
    return out;
  };
  const head = parse(halves[0]);
  const rest = halves.length === 2 ? parse(halves[1]) : [];
  if (!head || !rest) return undefined;
  const groups = halves.length === 2 ? [...head, ...new Array(8 - head.length - rest.length).fill(0), ...rest] : head;
  if (groups.length !== 8) return undefined;
  const bytes = groups.flatMap((g) => [g >> 8, g & 0xff]);
  if (tail.length) bytes.splice(12, 4, ...tail);
  return bytes;
}

function parseIpv4(s: string): number[] | undefined {
  const parts = s.split(".");
  if (parts.length !== 4) return undefined;
  const out: number[] = [];
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p)) return undefined;
    const n = Number(p);
    if (n > 255) return undefined;
    out.push(n);
  }
  return out;
}

/** Orders two non-null scalars of the same ES|QL type. */
export function compareScalars(a: Scalar, b: Scalar, type: DataType): number {
  if (typeof a === "number" && typeof b === "number") return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === "boolean" && typeof b === "boolean") return a === b ? 0 : a ? 1 : -1;
  if (type === "ip") {
    const ka = ipSortKey(String(a));
    const kb = ipSortKey(String(b));
    return ka < kb ? -1 : ka > kb ? 1 : 0;
  }
  const sa = String(a);
  const sb = String(b);
  return sa < sb ? -1 : sa > sb ? 1 : 0;
}

/** Equality of two scalars of one type (ips compare by address, so "::ffff:1.2.3.4" equals "1.2.3.4"). */
export function scalarsEqual(a: Scalar, b: Scalar, type: DataType): boolean {
  if (type === "ip") return ipSortKey(String(a)) === ipSortKey(String(b));
  return a === b;
}

/** ISO-8601 with milliseconds and Z, as Elasticsearch prints dates. */
export function formatDate(ms: number): string {
  return new Date(ms).toISOString();
}

/** Parses a date as Elasticsearch's default `strict_date_optional_time||epoch_millis` would. */
export function parseDate(v: Scalar): number | null {
  if (typeof v === "number") return Number.isFinite(v) ? Math.trunc(v) : null;
  if (typeof v !== "string") return null;
  if (/^-?\d+$/.test(v) && v.length > 8) return Number(v);
  const m =
    /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?(?:[T ](\d{2})(?::(\d{2})(?::(\d{2})(?:[.,](\d+))?)?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i.exec(
      v.trim(),
    );
  if (!m) return null;
  const [, y, mo, d, h, mi, s, frac, zone] = m;
  let ms = Date.UTC(Number(y), Number(mo ?? 1) - 1, Number(d ?? 1), Number(h ?? 0), Number(mi ?? 0), Number(s ?? 0));
  if (frac) ms += Number(frac.slice(0, 3).padEnd(3, "0"));
  if (zone && zone.toUpperCase() !== "Z") {
    const sign = zone[0] === "-" ? -1 : 1;
    const digits = zone.slice(1).replace(":", "");
    ms -= sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4) || 0)) * 60_000;
  }
  return Number.isNaN(ms) ? null : ms;
}

/** One scalar as JSON for output. */
export function outputScalar(v: Scalar, type: DataType): string | number | boolean {
  if (type === "date" && typeof v === "number") return formatDate(v);
  return v;
}

export function outputValue(v: Value, type: DataType): EsqlValue {
  if (v === null) return null;
  if (Array.isArray(v)) return v.map((x) => outputScalar(x, type));
  return outputScalar(v, type);
}

/** The text form TO_STRING and CONCAT use. */
export function scalarToString(v: Scalar, type: DataType): string {
  if (type === "date" && typeof v === "number") return formatDate(v);
  if (typeof v === "number" && type === "double") return formatDouble(v);
  return String(v);
}

/** Java's Double.toString shape: always a decimal point; exponent outside [1e-3, 1e7). */
export function formatDouble(n: number): string {
  if (!Number.isFinite(n)) return n > 0 ? "Infinity" : n < 0 ? "-Infinity" : "NaN";
  const abs = Math.abs(n);
  if (abs !== 0 && (abs < 1e-3 || abs >= 1e7)) {
    const [mant, exp] = n.toExponential().split("e");
    return `${mant.includes(".") ? mant : `${mant}.0`}E${Number(exp)}`;
  }
  const s = String(n);
  return s.includes(".") ? s : `${s}.0`;
}
