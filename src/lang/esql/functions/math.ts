/** Numeric and comparison-of-many functions. */
import { compareScalars, type DataType, type Scalar, type Value, valuesOf } from "../values.ts";
import { type ArgInfo, argError, EvalFailure, type FunctionDef, firstError, NUMERIC_TYPES } from "./types.ts";

const INTS = new Set<DataType>(["integer", "long"]);

function numeric1(name: string, impl: (n: number, type: DataType) => number, result?: DataType): FunctionDef {
  return {
    min: 1,
    max: 1,
    resolve: (args) => argError(name, args, 0, NUMERIC_TYPES, "numeric") ?? result ?? args[0].type,
    scalar: ([n], info) => {
      const out = impl(Number(n), info.args[0].type);
      if (!Number.isFinite(out)) throw new EvalFailure(`${name} produced a non-finite value`);
      return out;
    },
  };
}

/** Rounds half away from zero, like Java's BigDecimal HALF_UP that Elasticsearch uses. */
function roundTo(n: number, decimals: number): number {
  const factor = 10 ** decimals;
  const scaled = Math.abs(n) * factor;
  const rounded = Math.round(Number(scaled.toPrecision(15))) / factor;
  return n < 0 ? -rounded : rounded;
}

/** The common type of GREATEST/LEAST/COALESCE-like arguments, or an error. */
export function commonType(name: string, args: ArgInfo[]): DataType | string {
  let type: DataType = "null";
  for (let i = 0; i < args.length; i++) {
    const t = args[i].type;
    if (t === "null") continue;
    if (type === "null") type = t;
    else if (t !== type) {
      if (NUMERIC_TYPES.has(t) && NUMERIC_TYPES.has(type))
        type = t === "double" || type === "double" ? "double" : t === "long" || type === "long" ? "long" : "integer";
      else if ((t === "keyword" || t === "text") && (type === "keyword" || type === "text")) type = "keyword";
      else
        return `${["first", "second", "third"][i] ?? `#${i + 1}`} argument of [${name}] must be [${type}], found value type [${t}]`;
    }
  }
  return type;
}

function extreme(name: string, sign: 1 | -1): FunctionDef {
  return {
    min: 1,
    max: 100,
    resolve: (args) => commonType(name, args),
    cells: (args, info) => {
      let best: Scalar | undefined;
      for (const cell of args) {
        if (cell === null) return null;
        for (const v of valuesOf(cell)) {
          if (best === undefined || sign * compareScalars(v, best, info.resultType) > 0) best = v;
        }
      }
      return best ?? null;
    },
  };
}

export const mathFunctions: Record<string, FunctionDef> = {
  ABS: numeric1("ABS", Math.abs),
  CEIL: numeric1("CEIL", Math.ceil),
  FLOOR: numeric1("FLOOR", Math.floor),
  SIGNUM: numeric1("SIGNUM", Math.sign, "double"),
  SQRT: numeric1("SQRT", Math.sqrt, "double"),
  LOG10: numeric1("LOG10", Math.log10, "double"),
  EXP: numeric1("EXP", Math.exp, "double"),
  POW: {
    min: 2,
    max: 2,
    resolve: (args) =>
      firstError(
        argError("POW", args, 0, NUMERIC_TYPES, "numeric"),
        argError("POW", args, 1, NUMERIC_TYPES, "numeric"),
      ) ?? "double",
    scalar: ([b, e]) => {
      const out = Number(b) ** Number(e);
      if (!Number.isFinite(out)) throw new EvalFailure("POW produced a non-finite value");
      return out;
    },
  },
  ROUND: {
    min: 1,
    max: 2,
    resolve: (args) =>
      firstError(argError("ROUND", args, 0, NUMERIC_TYPES, "numeric"), argError("ROUND", args, 1, INTS, "integer")) ??
      args[0].type,
    scalar: ([n, decimals]) => roundTo(Number(n), decimals === undefined ? 0 : Number(decimals)),
  },
  GREATEST: extreme("GREATEST", 1),
  LEAST: extreme("LEAST", -1),
  COALESCE: {
    min: 1,
    max: 100,
    resolve: (args) => commonType("COALESCE", args),
    cells: (args): Value => args.find((v) => v !== null) ?? null,
  },
  PI: { min: 0, max: 0, resolve: () => "double", cells: () => Math.PI },
  E: { min: 0, max: 0, resolve: () => "double", cells: () => Math.E },
};
