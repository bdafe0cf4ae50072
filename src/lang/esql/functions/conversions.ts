/** TO_* conversion functions. Each converts every value of a multivalue; a value that cannot convert is dropped with a warning. */
import { type DataType, ipBytes, parseDate, type Scalar, type Value } from "../values.ts";
import { type CallInfo, EvalFailure, type FunctionDef } from "./types.ts";

type Converter = (v: Scalar, from: DataType) => Scalar;

function toNumber(v: Scalar, from: DataType): number {
  if (typeof v === "number") return v;
  if (typeof v === "boolean") return v ? 1 : 0;
  if (from === "ip") throw new EvalFailure(`cannot convert ip [${v}] to a number`);
  const text = String(v).trim();
  const n = text === "" ? Number.NaN : Number(text);
  if (!Number.isFinite(n)) throw new EvalFailure(`Cannot parse number [${v}]`);
  return n;
}

function toWhole(bits: 32 | 64): Converter {
  return (v, from) => {
    const n = Math.trunc(toNumber(v, from));
    const limit = bits === 32 ? 2 ** 31 : 2 ** 63;
    if (n >= limit || n < -limit) throw new EvalFailure(`[${v}] out of [${bits === 32 ? "integer" : "long"}] range`);
    return n;
  };
}

const CONVERTERS: Record<string, { result: DataType; convert: Converter }> = {
  TO_DOUBLE: { result: "double", convert: toNumber },
  TO_LONG: { result: "long", convert: toWhole(64) },
  TO_INTEGER: { result: "integer", convert: toWhole(32) },
  TO_BOOLEAN: {
    result: "boolean",
    convert: (v) => {
      if (typeof v === "boolean") return v;
      if (typeof v === "number") return v !== 0;
      return String(v).toLowerCase() === "true";
    },
  },
  TO_IP: {
    result: "ip",
    convert: (v) => {
      const text = String(v);
      if (!ipBytes(text)) throw new EvalFailure(`'${text}' is not an IP string literal.`);
      return text;
    },
  },
  TO_DATETIME: {
    result: "date",
    convert: (v) => {
      const ms = parseDate(v);
      if (ms === null)
        throw new EvalFailure(`failed to parse date field [${v}] with format [strict_date_optional_time]`);
      return ms;
    },
  },
};

function convertCells(convert: Converter) {
  return (args: Value[], info: CallInfo, warn: (message: string) => void): Value => {
    const [v] = args;
    if (v === null) return null;
    const from = info.args[0].type;
    const list = Array.isArray(v) ? v : [v];
    const out: Scalar[] = [];
    let failure: unknown;
    for (const x of list) {
      try {
        out.push(convert(x, from));
      } catch (e) {
        failure = e;
      }
    }
    if (out.length === 0 && failure) throw failure;
    if (failure) warn((failure as Error).message);
    return out.length === 0 ? null : out.length === 1 ? out[0] : out;
  };
}

export const conversionFunctions: Record<string, FunctionDef> = Object.fromEntries(
  Object.entries(CONVERTERS).map(([name, { result, convert }]) => [
    name,
    {
      min: 1,
      max: 1,
      resolve: (args) => (args[0].type === "unsupported" ? `argument of [${name}] has an unsupported type` : result),
      cells: convertCells(convert),
    } satisfies FunctionDef,
  ]),
);
Object.assign(conversionFunctions, {
  TO_DATE: conversionFunctions.TO_DATETIME,
  TO_DBL: conversionFunctions.TO_DOUBLE,
  TO_INT: conversionFunctions.TO_INTEGER,
  TO_BOOL: conversionFunctions.TO_BOOLEAN,
});

/** The function a `::type` cast means. */
export const CAST_FUNCTIONS: Record<string, string> = {
  double: "TO_DOUBLE",
  long: "TO_LONG",
  integer: "TO_INTEGER",
  int: "TO_INTEGER",
  boolean: "TO_BOOLEAN",
  bool: "TO_BOOLEAN",
  ip: "TO_IP",
  datetime: "TO_DATETIME",
  date: "TO_DATETIME",
  keyword: "TO_STRING",
  string: "TO_STRING",
  text: "TO_STRING",
};
