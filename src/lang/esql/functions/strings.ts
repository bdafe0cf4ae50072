/** String functions. Lengths and positions count Unicode code points, as Elasticsearch does. */
import { RE2JS } from "re2js";
import { type DataType, ipBytes, type Scalar, scalarToString } from "../values.ts";
import { argError, EvalFailure, type FunctionDef, firstError, STRING_TYPES } from "./types.ts";

const INTS = new Set<DataType>(["integer", "long"]);

function stringFn(name: string, arity: number, result: DataType, impl: (args: Scalar[]) => Scalar | null): FunctionDef {
  return {
    min: arity,
    max: arity,
    resolve: (args) => firstError(...args.map((_, i) => argError(name, args, i, STRING_TYPES, "string"))) ?? result,
    scalar: (args) => impl(args),
  };
}

const codePoints = (s: string): string[] => Array.from(s);

export const stringFunctions: Record<string, FunctionDef> = {
  CONCAT: {
    min: 2,
    max: 100,
    resolve: (args) =>
      firstError(...args.map((_, i) => argError("CONCAT", args, i, STRING_TYPES, "string"))) ?? "keyword",
    scalar: (args) => args.map(String).join(""),
  },
  STARTS_WITH: stringFn("STARTS_WITH", 2, "boolean", ([s, p]) => String(s).startsWith(String(p))),
  ENDS_WITH: stringFn("ENDS_WITH", 2, "boolean", ([s, p]) => String(s).endsWith(String(p))),
  TO_LOWER: stringFn("TO_LOWER", 1, "keyword", ([s]) => String(s).toLowerCase()),
  TO_UPPER: stringFn("TO_UPPER", 1, "keyword", ([s]) => String(s).toUpperCase()),
  LENGTH: stringFn("LENGTH", 1, "integer", ([s]) => codePoints(String(s)).length),
  TRIM: stringFn("TRIM", 1, "keyword", ([s]) => String(s).trim()),
  LTRIM: stringFn("LTRIM", 1, "keyword", ([s]) => String(s).trimStart()),
  RTRIM: stringFn("RTRIM", 1, "keyword", ([s]) => String(s).trimEnd()),
  REVERSE: stringFn("REVERSE", 1, "keyword", ([s]) => codePoints(String(s)).reverse().join("")),
  FROM_BASE64: stringFn("FROM_BASE64", 1, "keyword", ([s]) => Buffer.from(String(s), "base64").toString("utf8")),
  TO_BASE64: stringFn("TO_BASE64", 1, "keyword", ([s]) => Buffer.from(String(s), "utf8").toString("base64")),
  SUBSTRING: {
    min: 2,
    max: 3,
    resolve: (args) =>
      firstError(
        argError("SUBSTRING", args, 0, STRING_TYPES, "string"),
        argError("SUBSTRING", args, 1, INTS, "integer"),
        argError("SUBSTRING", args, 2, INTS, "integer"),
      ) ?? "keyword",
    scalar: ([s, start, length]) => {
      const cps = codePoints(String(s));
      let from = Number(start);
      // 1-based; negative counts from the end; 0 behaves as 1.
      from = from < 0 ? Math.max(0, cps.length + from) : Math.max(0, from - 1);
      const len = length === undefined ? cps.length : Number(length);
      if (len < 0) throw new EvalFailure("Length parameter cannot be negative");
      return cps.slice(from, from + len).join("");
    },
  },
  LEFT: {
    min: 2,
    max: 2,
    resolve: (args) =>
      firstError(argError("LEFT", args, 0, STRING_TYPES, "string"), argError("LEFT", args, 1, INTS, "integer")) ??
      "keyword",
    scalar: ([s, n]) =>
      codePoints(String(s))
        .slice(0, Math.max(0, Number(n)))
        .join(""),
  },
  RIGHT: {
    min: 2,
    max: 2,
    resolve: (args) =>
      firstError(argError("RIGHT", args, 0, STRING_TYPES, "string"), argError("RIGHT", args, 1, INTS, "integer")) ??
      "keyword",
    scalar: ([s, n]) => {
      const cps = codePoints(String(s));
      return cps.slice(Math.max(0, cps.length - Number(n))).join("");
    },
  },
  LOCATE: {
    min: 2,
    max: 3,
    resolve: (args) =>
      firstError(
        argError("LOCATE", args, 0, STRING_TYPES, "string"),
        argError("LOCATE", args, 1, STRING_TYPES, "string"),
        argError("LOCATE", args, 2, INTS, "integer"),
      ) ?? "integer",
    scalar: ([s, sub, start]) => {
      const cps = codePoints(String(s));
      const needle = codePoints(String(sub));
      const from = start === undefined ? 0 : Math.max(0, Number(start) - 1);
      outer: for (let i = from; i + needle.length <= cps.length; i++) {
        for (let j = 0; j < needle.length; j++) if (cps[i + j] !== needle[j]) continue outer;
        return i + 1;
      }
      return 0;
    },
  },
  SPLIT: {
    min: 2,
    max: 2,
    resolve: (args) =>
      firstError(
        argError("SPLIT", args, 0, STRING_TYPES, "string"),
        argError("SPLIT", args, 1, STRING_TYPES, "string"),
      ) ?? "keyword",
    scalar: ([s, delimiter]) => {
      const d = String(delimiter);
      if (d.length === 0) throw new EvalFailure("delimiter must not be empty");
      const parts = String(s).split(d);
      return parts.length === 1 ? parts[0] : parts;
    },
  },
  REPLACE: {
    min: 3,
    max: 3,
    resolve: (args) =>
      firstError(
        argError("REPLACE", args, 0, STRING_TYPES, "string"),
        argError("REPLACE", args, 1, STRING_TYPES, "string"),
        argError("REPLACE", args, 2, STRING_TYPES, "string"),
      ) ?? "keyword",
    scalar: ([s, regex, replacement]) => {
      let pattern: RE2JS;
      try {
        pattern = compileCached(String(regex));
      } catch (e) {
        throw new EvalFailure(`invalid regex [${regex}]: ${(e as Error).message}`);
      }
      return pattern.matcher(String(s)).replaceAll(String(replacement), true);
    },
  },
  TO_STRING: {
    min: 1,
    max: 1,
    resolve: () => "keyword",
    cells: ([v], info) => {
      if (v === null) return null;
      const type = info.args[0].type;
      if (Array.isArray(v)) return v.map((x) => scalarToString(x, type));
      return scalarToString(v, type);
    },
  },
  CIDR_MATCH: {
    min: 2,
    max: 100,
    resolve: (args) =>
      firstError(
        argError("CIDR_MATCH", args, 0, ["ip"], "ip"),
        ...args.slice(1).map((_, i) => argError("CIDR_MATCH", args, i + 1, STRING_TYPES, "string")),
      ) ?? "boolean",
    scalar: ([ip, ...blocks]) => blocks.some((b) => cidrContains(String(b), String(ip))),
  },
};

const regexCache = new Map<string, RE2JS>();
function compileCached(regex: string): RE2JS {
  let p = regexCache.get(regex);
  if (!p) {
    p = RE2JS.compile(regex);
    regexCache.set(regex, p);
  }
  return p;
}

function cidrContains(block: string, ip: string): boolean {
  const [base, prefixText] = block.split("/");
  const baseBytes = ipBytes(base);
  const ipB = ipBytes(ip);
  if (!baseBytes || !ipB) return false;
  let prefix = prefixText === undefined ? 128 : Number(prefixText);
  if (!base.includes(":")) prefix += 96;
  for (let bit = 0; bit < prefix; bit++) {
    const byte = bit >> 3;
    const mask = 0x80 >> (bit & 7);
    if ((baseBytes[byte] & mask) !== (ipB[byte] & mask)) return false;
  }
  return true;
}
