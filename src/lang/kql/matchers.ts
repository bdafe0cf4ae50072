/**
 * Per-value tests for one field kind, built once per clause. They reproduce what the Elasticsearch queries that the
 * detection engine sends (`match`, `match_phrase`, `query_string`, `exists`, `range`) do on each field type.
 * A query value the field type cannot read throws ValueRejected: Elasticsearch fails such a query (or, for free text
 * and expanded field names, skips the field leniently).
 */
import type { KqlLiteral, KqlRangeOp } from "./ast.ts";
import type { FieldKind, Scalar } from "./fields.ts";
import { globMatcher, type StringMatcher } from "./glob.ts";
import { analyze, containsPhrase } from "./text.ts";
import { parseDate, parseDateMath, parseIp, parseIpRange, parseNumber } from "./values.ts";

export type ValueTest = (value: Scalar) => boolean;

export interface MatchOptions {
  /**
   * Kibana sends a wildcard value as a `query_string` query, whose parser splits unescaped whitespace into separate
   * terms joined by OR: `*S3 Browser*` searches `*S3` or `Browser*` (elastic/kibana#23001, #255223). true (the
   * default) reproduces that; false treats the whole value as one wildcard, as detection-rules' Python evaluator does.
   */
  splitWildcardOnWhitespace: boolean;
  /** Epoch milliseconds that `now` in date math stands for. */
  now: number;
}

export class ValueRejected extends Error {}

const STRING_KINDS = new Set<FieldKind>(["keyword", "constant", "flattened"]);

/** `field:value`. */
export function isTest(kind: FieldKind, literal: KqlLiteral, options: MatchOptions): ValueTest {
  const text = literalText(literal);
  if (STRING_KINDS.has(kind)) {
    const match = stringMatcher(literal, options);
    return (value) => match(value as string);
  }
  switch (kind) {
    case "text":
      return textTest(literal, options);
    case "integer":
    case "double":
    case "float": {
      if (literal.wildcard) throw new ValueRejected(`wildcards are not supported on a ${kind} field`);
      const q = parseNumber(text);
      if (q === undefined || typeof literal.value === "boolean") {
        throw new ValueRejected(`"${text}" is not a number`);
      }
      if (kind === "integer" && !Number.isInteger(q)) return () => false;
      const wanted = kind === "float" ? Math.fround(q) : q;
      return (value) => {
        const n = typeof value === "boolean" ? undefined : parseNumber(value);
        return n !== undefined && (kind === "float" ? Math.fround(n) : n) === wanted;
      };
    }
    case "date": {
      if (literal.wildcard) throw new ValueRejected("wildcards are not supported on a date field");
      const lo = parseDateMath(text, options.now, false);
      const hi = parseDateMath(text, options.now, true);
      if (lo === undefined || hi === undefined) throw new ValueRejected(`"${text}" is not a date`);
      return (value) => {
        const t = documentDate(value);
        return t !== undefined && t >= lo && t <= hi;
      };
    }
    case "ip": {
      if (literal.wildcard) throw new ValueRejected("wildcards are not supported on an ip field");
      const range = parseIpRange(text);
      if (range === undefined) throw new ValueRejected(`"${text}" is not an IP address or CIDR block`);
      return (value) => {
        const ip = typeof value === "string" ? parseIp(value) : undefined;
        return ip !== undefined && ip >= range.lo && ip <= range.hi;
      };
    }
    case "boolean": {
      const wanted = literal.wildcard ? undefined : documentBoolean(text);
      if (wanted === undefined) throw new ValueRejected(`"${text}" is not a boolean`);
      return (value) => documentBoolean(value) === wanted;
    }
    case "dynamic": {
      // Unmapped fields: strings as keyword, numbers as long/double, booleans as boolean (ES dynamic mapping).
      const match = stringMatcher(literal, options);
      const number = literal.wildcard ? undefined : parseNumber(text);
      return (value) => {
        if (typeof value === "string") return match(value);
        if (typeof value === "number") return number !== undefined && value === number;
        return !literal.wildcard && documentBoolean(text) === value;
      };
    }
    default:
      throw new ValueRejected(`a ${kind} field cannot be searched by value`);
  }
}

/** `field:*`: the field has an indexed value (the empty string included). */
export function existsTest(kind: FieldKind): ValueTest {
  switch (kind) {
    case "integer":
    case "double":
    case "float":
      return (value) => typeof value !== "boolean" && parseNumber(value) !== undefined;
    case "date":
      return (value) => documentDate(value) !== undefined;
    case "ip":
      return (value) => typeof value === "string" && parseIp(value) !== undefined;
    case "boolean":
      return (value) => documentBoolean(value) !== undefined;
    default:
      return () => true;
  }
}

/** `field < value` and friends. */
export function rangeTest(kind: FieldKind, op: KqlRangeOp, literal: KqlLiteral, options: MatchOptions): ValueTest {
  const text = literalText(literal);
  const within = comparison(op);
  if (STRING_KINDS.has(kind)) return (value) => within(compareStrings(value as string, text));
  switch (kind) {
    case "text":
      return (value) =>
        typeof value === "string" && analyze(value).some((token) => within(compareStrings(token, text)));
    case "integer":
    case "double":
    case "float": {
      const bound = parseNumber(text);
      if (bound === undefined || typeof literal.value === "boolean")
        throw new ValueRejected(`"${text}" is not a number`);
      return (value) => {
        const n = typeof value === "boolean" ? undefined : parseNumber(value);
        return n !== undefined && within(n - bound);
      };
    }
    case "date": {
      // Elasticsearch rounds a partial date up for gt and lte, down for gte and lt.
      const bound = parseDateMath(text, options.now, op === "gt" || op === "lte");
      if (bound === undefined) throw new ValueRejected(`"${text}" is not a date`);
      return (value) => {
        const t = documentDate(value);
        return t !== undefined && within(t - bound);
      };
    }
    case "ip": {
      const bound = parseIp(text);
      if (bound === undefined) throw new ValueRejected(`"${text}" is not an IP address`);
      return (value) => {
        const ip = typeof value === "string" ? parseIp(value) : undefined;
        return ip !== undefined && within(ip === bound ? 0 : ip < bound ? -1 : 1);
      };
    }
    case "boolean": {
      const bound = documentBoolean(text);
      if (bound === undefined) throw new ValueRejected(`"${text}" is not a boolean`);
      return (value) => {
        const b = documentBoolean(value);
        return b !== undefined && within(Number(b) - Number(bound));
      };
    }
    case "dynamic": {
      const bound = parseNumber(text);
      return (value) => {
        if (typeof value === "string") return within(compareStrings(value, text));
        if (typeof value === "number") return bound !== undefined && within(value - bound);
        return false;
      };
    }
    default:
      throw new ValueRejected(`a ${kind} field cannot be searched by range`);
  }
}

function literalText(literal: KqlLiteral): string {
  if (literal.value === null) {
    throw new ValueRejected("null is not a value (Elasticsearch rejects a query without a value)");
  }
  return String(literal.value);
}

function comparison(op: KqlRangeOp): (sign: number) => boolean {
  switch (op) {
    case "lt":
      return (sign) => sign < 0;
    case "lte":
      return (sign) => sign <= 0;
    case "gt":
      return (sign) => sign > 0;
    case "gte":
      return (sign) => sign >= 0;
  }
}

/** Keyword terms sort by their UTF-8 bytes, which is code point order (not JS's UTF-16 order). */
function compareStrings(a: string, b: string): number {
  if (a === b) return 0;
  const x = [...a];
  const y = [...b];
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const d = (x[i].codePointAt(0) ?? 0) - (y[i].codePointAt(0) ?? 0);
    if (d !== 0) return d;
  }
  return x.length - y.length;
}

function documentDate(value: Scalar): number | undefined {
  if (typeof value === "number") return Number.isFinite(value) ? Math.trunc(value) : undefined;
  return typeof value === "string" ? parseDate(value) : undefined;
}

/** Elasticsearch's boolean field accepts true/false and the strings "true", "false" and "" (false). */
function documentBoolean(value: Scalar): boolean | undefined {
  if (typeof value === "boolean") return value;
  if (value === "true") return true;
  if (value === "false" || value === "") return false;
  return undefined;
}

/** Exact, case-sensitive matching of keyword-like values; wildcards as `query_string` runs them. */
function stringMatcher(literal: KqlLiteral, options: MatchOptions): StringMatcher {
  if (!literal.wildcard) {
    const wanted = literalText(literal);
    return (value) => value === wanted;
  }
  const pieces = options.splitWildcardOnWhitespace ? splitOnWhitespace(literal.wildcard) : [literal.wildcard];
  const matchers = pieces.map(globMatcher);
  return matchers.length === 1 ? matchers[0] : (value) => matchers.some((match) => match(value));
}

// Whitespace as Lucene's classic query parser reads it.
const QUERY_STRING_SPACE = /[ \t\n\r\u3000]/;

/** Splits wildcard segments at whitespace into separate patterns (`["", "S3 Browser", ""]` → `*S3`, `Browser*`). */
export function splitOnWhitespace(segments: readonly string[]): string[][] {
  const pieces: string[][] = [];
  let current = [""];
  const finish = () => {
    if (current.length > 1 || current[0] !== "") pieces.push(current);
    current = [""];
  };
  segments.forEach((segment, i) => {
    if (i > 0) current.push("");
    for (const ch of segment) {
      if (QUERY_STRING_SPACE.test(ch)) finish();
      else current[current.length - 1] += ch;
    }
  });
  finish();
  return pieces;
}

/** Text fields are analyzed: `match` wants any query token, `match_phrase` the tokens in order, wildcards a token. */
function textTest(literal: KqlLiteral, options: MatchOptions): ValueTest {
  if (literal.wildcard) {
    const pieces = options.splitWildcardOnWhitespace ? splitOnWhitespace(literal.wildcard) : [literal.wildcard];
    const matchers = pieces.map((piece) => globMatcher(piece.map((s) => s.toLowerCase())));
    return (value) =>
      typeof value === "string" && analyze(value).some((token) => matchers.some((match) => match(token)));
  }
  const wanted = analyze(literalText(literal));
  if (literal.quoted) return (value) => typeof value === "string" && containsPhrase(analyze(value), wanted);
  const set = new Set(wanted);
  return (value) => typeof value === "string" && analyze(value).some((token) => set.has(token));
}
