/** MV_* functions: they take a whole multivalue where other functions refuse one. */
import { compareScalars, type DataType, type Scalar, scalarToString, type Value, valuesOf } from "../values.ts";
import { argError, EvalFailure, type FunctionDef, firstError, NUMERIC_TYPES, STRING_TYPES } from "./types.ts";

function mv(
  impl: (values: Scalar[], type: DataType) => Value,
  result?: DataType | ((t: DataType) => DataType | string),
): FunctionDef {
  return {
    min: 1,
    max: 1,
    resolve: (args) => (typeof result === "function" ? result(args[0].type) : (result ?? args[0].type)),
    cells: ([v], info) => (v === null ? null : impl(valuesOf(v), info.args[0].type)),
  };
}

const sorted = (values: Scalar[], type: DataType): Scalar[] => [...values].sort((a, b) => compareScalars(a, b, type));
const one = (values: Scalar[]): Value => (values.length === 0 ? null : values.length === 1 ? values[0] : values);
const numericResult = (name: string) => (t: DataType) =>
  t === "null" || NUMERIC_TYPES.has(t) ? t : `argument of [${name}] must be [numeric], found value type [${t}]`;

export const multivalueFunctions: Record<string, FunctionDef> = {
  MV_COUNT: mv((values) => values.length, "integer"),
  MV_FIRST: mv((values) => values[0]),
  MV_LAST: mv((values) => values[values.length - 1]),
  MV_MIN: mv((values, type) => sorted(values, type)[0]),
  MV_MAX: mv((values, type) => sorted(values, type)[values.length - 1]),
  MV_DEDUPE: mv((values) => one([...new Set(values)])),
  MV_SUM: mv((values) => values.reduce<number>((a, b) => a + Number(b), 0), numericResult("MV_SUM")),
  MV_AVG: mv(
    (values) => values.reduce<number>((a, b) => a + Number(b), 0) / values.length,
    (t) => (typeof numericResult("MV_AVG")(t) === "string" ? numericResult("MV_AVG")(t) : "double"),
  ),
  MV_MEDIAN: mv((values, type) => {
    const s = sorted(values, type).map(Number);
    const mid = s.length >> 1;
    if (s.length % 2) return s[mid];
    const m = (s[mid - 1] + s[mid]) / 2;
    return type === "double" ? m : Math.floor(m);
  }, numericResult("MV_MEDIAN")),
  MV_SORT: {
    min: 1,
    max: 2,
    resolve: (args) => argError("MV_SORT", args, 1, STRING_TYPES, "string") ?? args[0].type,
    cells: ([v, order], info) => {
      if (v === null) return null;
      const direction = order === undefined || order === null ? "ASC" : String(order).toUpperCase();
      if (direction !== "ASC" && direction !== "DESC")
        throw new EvalFailure(`Invalid order value in [MV_SORT], expected one of [ASC, DESC] but got [${order}]`);
      const s = sorted(valuesOf(v), info.args[0].type);
      return one(direction === "DESC" ? s.reverse() : s);
    },
  },
  MV_SLICE: {
    min: 2,
    max: 3,
    resolve: (args) =>
      firstError(
        argError("MV_SLICE", args, 1, ["integer"], "integer"),
        argError("MV_SLICE", args, 2, ["integer"], "integer"),
      ) ?? args[0].type,
    cells: ([v, start, end]) => {
      if (v === null || start === null || end === null) return null;
      const values = valuesOf(v);
      const norm = (i: number) => (i < 0 ? values.length + i : i);
      const s = norm(Number(start));
      const e = end === undefined ? s : norm(Number(end));
      if (s > e) throw new EvalFailure("Start offset is greater than end offset");
      return one(values.slice(Math.max(0, s), e + 1));
    },
  },
  MV_CONCAT: {
    min: 2,
    max: 2,
    resolve: (args) =>
      firstError(
        argError("MV_CONCAT", args, 0, STRING_TYPES, "string"),
        argError("MV_CONCAT", args, 1, STRING_TYPES, "string"),
      ) ?? "keyword",
    cells: ([v, delimiter], info) => {
      if (v === null || delimiter === null || Array.isArray(delimiter)) return null;
      return valuesOf(v)
        .map((x) => scalarToString(x, info.args[0].type))
        .join(String(delimiter));
    },
  },
  MV_CONTAINS: {
    min: 2,
    max: 2,
    resolve: () => "boolean",
    cells: ([superset, subset]) => {
      if (subset === null) return true;
      if (superset === null) return false;
      const have = new Set(valuesOf(superset));
      return valuesOf(subset).every((x) => have.has(x));
    },
  },
};
