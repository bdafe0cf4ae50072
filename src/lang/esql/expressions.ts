/**
 * Verifies an expression against the columns in scope and compiles it to an evaluator. Type errors, unknown columns
 * and unknown functions are reported here, before any data is read, at the offending token.
 */
import { QueryError } from "../errors.ts";
import type { Expr } from "./ast.ts";
import { CAST_FUNCTIONS } from "./functions/conversions.ts";
import { addTimespan, type Timespan, timespan, timespanType } from "./functions/dates.ts";
import { scalarFunctions } from "./functions/registry.ts";
import { type ArgInfo, EvalFailure } from "./functions/types.ts";
import { compileWhole, likeToRe2, luceneToRe2 } from "./patterns.ts";
import { type Column, MULTIVALUE_WARNING, type Row, type Runtime, type Site, siteOf } from "./runtime.ts";
import {
  compareScalars,
  type DataType,
  ipBytes,
  isNumeric,
  isString,
  parseDate,
  type Scalar,
  scalarsEqual,
  type Value,
  widerNumeric,
} from "./values.ts";

export type Evaluator = (row: Row, rt: Runtime) => Value;

export interface TypedExpr {
  type: DataType;
  eval: Evaluator;
  constant?: { value: Value };
  span?: { amount: number; unit: string };
  usesNow: boolean;
  usesDoc: boolean;
  /** Layout indexes this expression reads. */
  reads: Set<number>;
}

/** Compiles calls the expression compiler does not know itself (aggregates in STATS, KQL). */
export type CallHook = (call: Extract<Expr, { kind: "call" }>, scope: Scope) => TypedExpr | undefined;

export interface Scope {
  source: string;
  layout: Column[];
  index: Map<string, number>;
  hook?: CallHook;
}

export function makeScope(source: string, layout: Column[], hook?: CallHook): Scope {
  return { source, layout, index: new Map(layout.map((c, i) => [c.name, i])), hook };
}

export function verificationError(scope: Scope | string, detail: string, pos: number): QueryError {
  const source = typeof scope === "string" ? scope : scope.source;
  return new QueryError("esql", "verification", detail, source, pos);
}

const NONE = new Set<number>();

function merge(parts: TypedExpr[]): Pick<TypedExpr, "usesNow" | "usesDoc" | "reads"> {
  const reads = new Set<number>();
  for (const p of parts) for (const r of p.reads) reads.add(r);
  return { usesNow: parts.some((p) => p.usesNow), usesDoc: parts.some((p) => p.usesDoc), reads };
}

function constant(value: Value, type: DataType): TypedExpr {
  return { type, eval: () => value, constant: { value }, usesNow: false, usesDoc: false, reads: NONE };
}

/** Folds an expression whose inputs are all constants (and that reads no clock or document) into a constant. */
function fold(expr: TypedExpr, parts: TypedExpr[]): TypedExpr {
  if (parts.length > 0 && parts.every((p) => p.constant) && !expr.usesNow && !expr.usesDoc) {
    try {
      const quiet = { warn: () => {}, now: 0 } as unknown as Runtime;
      return { ...expr, constant: { value: expr.eval({ values: [] }, quiet) } };
    } catch {
      return expr;
    }
  }
  return expr;
}

export function compileExpr(expr: Expr, scope: Scope): TypedExpr {
  switch (expr.kind) {
    case "literal":
      return { ...constant(expr.value, expr.type) };
    case "timespan":
      return { ...constant(null, timespanType(expr.unit)), span: { amount: expr.amount, unit: expr.unit } };
    case "column": {
      const i = scope.index.get(expr.name);
      if (i === undefined) throw verificationError(scope, `Unknown column [${expr.name}]`, expr.pos);
      const type = scope.layout[i].type;
      if (type === "unsupported")
        throw verificationError(scope, `Cannot use field [${expr.name}] with unsupported type`, expr.pos);
      return { type, eval: (row) => row.values[i], usesNow: false, usesDoc: false, reads: new Set([i]) };
    }
    case "neg": {
      const operand = compileExpr(expr.operand, scope);
      if (!isNumeric(operand.type) && operand.type !== "null")
        throw verificationError(
          scope,
          `argument of [${text(scope, expr)}] must be [numeric], found value type [${operand.type}]`,
          expr.pos,
        );
      const site = siteOf(scope.source, expr.pos, expr.end);
      return fold(
        {
          type: operand.type,
          eval: (row, rt) => {
            const v = operand.eval(row, rt);
            if (v === null) return null;
            if (Array.isArray(v)) return multivalued(rt, site);
            return -Number(v);
          },
          ...merge([operand]),
        },
        [operand],
      );
    }
    case "not": {
      const operand = compileBoolean(expr.operand, scope);
      const site = siteOf(scope.source, expr.pos, expr.end);
      return fold(
        {
          type: "boolean",
          eval: (row, rt) => {
            const v = asBoolean(operand.eval(row, rt), rt, site);
            return v === null ? null : !v;
          },
          ...merge([operand]),
        },
        [operand],
      );
    }
    case "binary":
      return compileBinary(expr, scope);
    case "isnull": {
      const operand = compileExpr(expr.operand, scope);
      const negated = expr.negated;
      return fold(
        { type: "boolean", eval: (row, rt) => (operand.eval(row, rt) === null) !== negated, ...merge([operand]) },
        [operand],
      );
    }
    case "in":
      return compileIn(expr, scope);
    case "like":
      return compileLike(expr, scope);
    case "cast": {
      const fn = CAST_FUNCTIONS[expr.target];
      if (!fn) throw verificationError(scope, `Unsupported conversion to type [${expr.target}]`, expr.pos);
      return compileCall(
        { kind: "call", name: fn, args: [expr.operand], star: false, pos: expr.pos, end: expr.end },
        scope,
      );
    }
    case "call":
      return compileCall(expr, scope);
  }
}

function text(scope: Scope, expr: Expr): string {
  return scope.source.slice(expr.pos, expr.end);
}

function multivalued(rt: Runtime, site: Site): null {
  rt.warn(site, MULTIVALUE_WARNING);
  return null;
}

function asBoolean(v: Value, rt: Runtime, site: Site): boolean | null {
  if (v === null) return null;
  if (Array.isArray(v)) return multivalued(rt, site);
  return v === true;
}

export function compileBoolean(expr: Expr, scope: Scope): TypedExpr {
  const compiled = compileExpr(expr, scope);
  if (compiled.type !== "boolean" && compiled.type !== "null")
    throw verificationError(scope, `Condition expression needs to be boolean, found [${compiled.type}]`, expr.pos);
  return compiled;
}

/** Makes two comparison operands comparable: numeric widening, string literals read as dates or ips. */
function unify(
  scope: Scope,
  expr: Expr,
  left: TypedExpr,
  right: TypedExpr,
  l: Expr,
  r: Expr,
): { left: TypedExpr; right: TypedExpr; type: DataType } {
  const lt = left.type;
  const rt = right.type;
  if (lt === "null" || rt === "null") return { left, right, type: lt === "null" ? rt : lt };
  if (isNumeric(lt) && isNumeric(rt)) return { left, right, type: widerNumeric(lt, rt) };
  if (isString(lt) && isString(rt)) return { left, right, type: "keyword" };
  if (lt === rt) return { left, right, type: lt };
  const coerce = (side: TypedExpr, target: DataType, at: Expr): TypedExpr | undefined => {
    if (!isString(side.type) || !side.constant) return undefined;
    const raw = side.constant.value;
    const values = raw === null ? [] : Array.isArray(raw) ? raw : [raw];
    const converted: Scalar[] = [];
    for (const v of values) {
      if (target === "date") {
        const ms = parseDate(v);
        if (ms === null) throw verificationError(scope, `Cannot convert string [${v}] to [DATETIME]`, at.pos);
        converted.push(ms);
      } else if (target === "ip") {
        if (!ipBytes(String(v))) throw verificationError(scope, `Cannot convert string [${v}] to [IP]`, at.pos);
        converted.push(String(v));
      } else if (target === "boolean") converted.push(String(v).toLowerCase() === "true");
      else if (isNumeric(target)) {
        const n = Number(v);
        if (!Number.isFinite(n))
          throw verificationError(scope, `Cannot convert string [${v}] to [${target.toUpperCase()}]`, at.pos);
        converted.push(n);
      } else return undefined;
    }
    const value: Value = converted.length === 0 ? null : converted.length === 1 ? converted[0] : converted;
    return constant(value, target);
  };
  const cr = coerce(right, lt, r);
  if (cr) return { left, right: cr, type: lt };
  const cl = coerce(left, rt, l);
  if (cl) return { left: cl, right, type: rt };
  throw verificationError(
    scope,
    `first argument of [${text(scope, expr)}] is [${lt}] so second argument must also be [${lt}] but was [${rt}]`,
    expr.pos,
  );
}

function compileBinary(expr: Extract<Expr, { kind: "binary" }>, scope: Scope): TypedExpr {
  const site = siteOf(scope.source, expr.pos, expr.end);
  if (expr.op === "AND" || expr.op === "OR") {
    const left = compileBoolean(expr.left, scope);
    const right = compileBoolean(expr.right, scope);
    const isAnd = expr.op === "AND";
    return fold(
      {
        type: "boolean",
        eval: (row, rt) => {
          const a = asBoolean(left.eval(row, rt), rt, site);
          // Three-valued logic: false AND x = false, true OR x = true, whatever x is.
          if (a === !isAnd) return a;
          const b = asBoolean(right.eval(row, rt), rt, site);
          if (b === !isAnd) return b;
          return a === null || b === null ? null : isAnd;
        },
        ...merge([left, right]),
      },
      [left, right],
    );
  }
  const left0 = compileExpr(expr.left, scope);
  const right0 = compileExpr(expr.right, scope);
  if (expr.op === "+" || expr.op === "-" || expr.op === "*" || expr.op === "/" || expr.op === "%")
    return compileArithmetic(expr, scope, left0, right0, site);
  const { left, right, type } = unify(scope, expr, left0, right0, expr.left, expr.right);
  if (type === "time_duration" || type === "date_period")
    throw verificationError(scope, `cannot compare time spans in [${text(scope, expr)}]`, expr.pos);
  const op = expr.op;
  const test = (c: number): boolean =>
    op === "=="
      ? c === 0
      : op === "!="
        ? c !== 0
        : op === "<"
          ? c < 0
          : op === "<="
            ? c <= 0
            : op === ">"
              ? c > 0
              : c >= 0;
  return fold(
    {
      type: "boolean",
      eval: (row, rt) => {
        const a = left.eval(row, rt);
        const b = right.eval(row, rt);
        if (a === null || b === null) return null;
        if (Array.isArray(a) || Array.isArray(b)) return multivalued(rt, site);
        if (op === "==" || op === "!=") return scalarsEqual(a, b, type) === (op === "==");
        return test(compareScalars(a, b, type));
      },
      ...merge([left, right]),
    },
    [left, right],
  );
}

const INT_LIMIT = 2 ** 31;
const LONG_LIMIT = 2 ** 63;

function compileArithmetic(
  expr: Extract<Expr, { kind: "binary" }>,
  scope: Scope,
  left: TypedExpr,
  right: TypedExpr,
  site: Site,
): TypedExpr {
  const op = expr.op;
  // date ± timespan (and timespan + date)
  const spanSide = right.span ? right : op === "+" && left.span ? left : undefined;
  const dateSide = spanSide === right ? left : right;
  if (spanSide && (op === "+" || op === "-") && (dateSide.type === "date" || dateSide.type === "null")) {
    const span: Timespan = timespan(spanSide.span!.amount, spanSide.span!.unit);
    const sign = op === "+" ? 1 : -1;
    return fold(
      {
        type: "date",
        eval: (row, rt) => {
          const d = dateSide.eval(row, rt);
          if (d === null) return null;
          if (Array.isArray(d)) return multivalued(rt, site);
          return addTimespan(Number(d), span, sign);
        },
        ...merge([left, right]),
      },
      [dateSide],
    );
  }
  const lt = left.type;
  const rt0 = right.type;
  const okType = (t: DataType) => isNumeric(t) || t === "null";
  if (!okType(lt) || !okType(rt0))
    throw verificationError(
      scope,
      `${okType(lt) ? "second" : "first"} argument of [${text(scope, expr)}] must be [numeric], found value type [${okType(lt) ? rt0 : lt}]`,
      expr.pos,
    );
  const type: DataType = lt === "null" ? (rt0 === "null" ? "null" : rt0) : rt0 === "null" ? lt : widerNumeric(lt, rt0);
  const integral = type === "integer" || type === "long";
  const limit = type === "integer" ? INT_LIMIT : LONG_LIMIT;
  return fold(
    {
      type,
      eval: (row, rt) => {
        const a = left.eval(row, rt);
        const b = right.eval(row, rt);
        if (a === null || b === null) return null;
        if (Array.isArray(a) || Array.isArray(b)) return multivalued(rt, site);
        const x = Number(a);
        const y = Number(b);
        let out: number;
        if ((op === "/" || op === "%") && y === 0 && integral) {
          rt.warn(site, "java.lang.ArithmeticException: / by zero");
          return null;
        }
        switch (op) {
          case "+":
            out = x + y;
            break;
          case "-":
            out = x - y;
            break;
          case "*":
            out = x * y;
            break;
          case "/":
            out = integral ? Math.trunc(x / y) : x / y;
            break;
          default:
            out = x % y;
        }
        if (integral && (out >= limit || out < -limit)) {
          rt.warn(site, `java.lang.ArithmeticException: ${type} overflow`);
          return null;
        }
        if (!Number.isFinite(out)) {
          rt.warn(site, "java.lang.ArithmeticException: / by zero");
          return null;
        }
        return out;
      },
      ...merge([left, right]),
    },
    [left, right],
  );
}

function compileIn(expr: Extract<Expr, { kind: "in" }>, scope: Scope): TypedExpr {
  const site = siteOf(scope.source, expr.pos, expr.end);
  const value0 = compileExpr(expr.value, scope);
  let type: DataType = value0.type;
  const items = expr.list.map((item) => {
    const compiled = compileExpr(item, scope);
    const unified = unify(scope, expr, value0, compiled, expr.value, item);
    if (type === "null") type = unified.type;
    return unified.right;
  });
  const value = value0;
  const negated = expr.negated;
  return fold(
    {
      type: "boolean",
      eval: (row, rt) => {
        // Elasticsearch's In: null → null; multivalued → warning + null; all-null list → null; multivalued
        // items ignored (warning); a match → true; a null item → null; otherwise false.
        const v = value.eval(row, rt);
        if (v === null) return null;
        if (Array.isArray(v)) return multivalued(rt, site);
        let sawNull = false;
        let allNull = true;
        let matched = false;
        for (const item of items) {
          const x = item.eval(row, rt);
          if (x === null) {
            sawNull = true;
            continue;
          }
          allNull = false;
          if (Array.isArray(x)) {
            rt.warn(site, MULTIVALUE_WARNING);
            continue;
          }
          if (!matched && scalarsEqual(v, x, type)) matched = true;
        }
        if (allNull) return null;
        const result = matched ? true : sawNull ? null : false;
        return result === null ? null : result !== negated;
      },
      ...merge([value, ...items]),
    },
    [value, ...items],
  );
}

function compileLike(expr: Extract<Expr, { kind: "like" }>, scope: Scope): TypedExpr {
  const site = siteOf(scope.source, expr.pos, expr.end);
  const value = compileExpr(expr.value, scope);
  if (!isString(value.type) && value.type !== "null")
    throw verificationError(
      scope,
      `argument of [${text(scope, expr)}] must be [string], found value type [${value.type}]`,
      expr.pos,
    );
  const regexes = expr.patterns.map((p) => {
    try {
      return compileWhole(expr.op === "LIKE" ? likeToRe2(p.value) : luceneToRe2(p.value));
    } catch (e) {
      throw verificationError(scope, `Invalid regex pattern [${p.value}]: ${(e as Error).message}`, p.pos);
    }
  });
  const negated = expr.negated;
  return fold(
    {
      type: "boolean",
      eval: (row, rt) => {
        const v = value.eval(row, rt);
        if (v === null) return null;
        if (Array.isArray(v)) return multivalued(rt, site);
        const s = String(v);
        return regexes.some((r) => r.matches(s)) !== negated;
      },
      ...merge([value]),
    },
    [value],
  );
}

const AGGREGATE_NAMES = new Set([
  "COUNT",
  "COUNT_DISTINCT",
  "SUM",
  "AVG",
  "MIN",
  "MAX",
  "MEDIAN",
  "PERCENTILE",
  "VALUES",
  "TOP",
]);

function compileCall(expr: Extract<Expr, { kind: "call" }>, scope: Scope): TypedExpr {
  const hooked = scope.hook?.(expr, scope);
  if (hooked) return hooked;
  if (AGGREGATE_NAMES.has(expr.name))
    throw verificationError(scope, `aggregate function [${text(scope, expr)}] is only allowed in STATS`, expr.pos);
  if (expr.name === "CASE") return compileCase(expr, scope);
  if (expr.name === "KQL")
    throw verificationError(
      scope,
      "[KQL] function is only supported in WHERE commands directly over FROM's documents",
      expr.pos,
    );
  const def = scalarFunctions[expr.name];
  if (!def) throw verificationError(scope, `Unknown function [${expr.name.toLowerCase()}]`, expr.pos);
  if (expr.star) throw verificationError(scope, `[${expr.name}] does not accept [*]`, expr.pos);
  if (expr.args.length < def.min || expr.args.length > def.max)
    throw verificationError(
      scope,
      `function [${expr.name}] expects ${def.min === def.max ? `exactly ${def.min}` : `between ${def.min} and ${def.max}`} arguments, found [${expr.args.length}]`,
      expr.pos,
    );
  const args = expr.args.map((a) => compileExpr(a, scope));
  const infos: ArgInfo[] = args.map((a) => ({ type: a.type, constant: a.constant, span: a.span }));
  const resolved = def.resolve(infos);
  if (!isDataType(resolved)) throw verificationError(scope, resolved, expr.pos);
  const info = { args: infos, resultType: resolved };
  const site = siteOf(scope.source, expr.pos, expr.end);
  let evaluate: Evaluator;
  if (def.usesNow) evaluate = (_row, rt) => rt.now;
  else if (def.cells) {
    const cells = def.cells;
    evaluate = (row, rt) => {
      try {
        return cells(
          args.map((a) => a.eval(row, rt)),
          info,
          (message) => rt.warn(site, message),
        );
      } catch (e) {
        if (e instanceof EvalFailure) {
          rt.warn(site, `java.lang.IllegalArgumentException: ${e.message}`);
          return null;
        }
        throw e;
      }
    };
  } else {
    const scalar = def.scalar!;
    evaluate = (row, rt) => {
      const values: Scalar[] = [];
      for (const a of args) {
        // Timespan arguments are compile-time constants the function reads from its CallInfo.
        if (a.span) {
          values.push(0);
          continue;
        }
        const v = a.eval(row, rt);
        if (v === null) return null;
        if (Array.isArray(v)) return multivalued(rt, site);
        values.push(v);
      }
      try {
        return scalar(values, info);
      } catch (e) {
        if (e instanceof EvalFailure) {
          rt.warn(site, `java.lang.IllegalArgumentException: ${e.message}`);
          return null;
        }
        throw e;
      }
    };
  }
  const compiled: TypedExpr = { type: resolved, eval: evaluate, ...merge(args) };
  if (def.usesNow) compiled.usesNow = true;
  return fold(compiled, args);
}

function isDataType(s: string): s is DataType {
  return !s.includes(" ");
}

function compileCase(expr: Extract<Expr, { kind: "call" }>, scope: Scope): TypedExpr {
  if (expr.args.length < 2)
    throw verificationError(
      scope,
      `function [CASE] expects at least 2 arguments, found [${expr.args.length}]`,
      expr.pos,
    );
  const site = siteOf(scope.source, expr.pos, expr.end);
  const args = expr.args.map((a) => compileExpr(a, scope));
  const pairs: { when: TypedExpr; value: TypedExpr }[] = [];
  for (let i = 0; i + 1 < args.length; i += 2) {
    if (args[i].type !== "boolean" && args[i].type !== "null")
      throw verificationError(
        scope,
        `condition of [CASE] must be [boolean], found value type [${args[i].type}]`,
        expr.args[i].pos,
      );
    pairs.push({ when: args[i], value: args[i + 1] });
  }
  const otherwise = args.length % 2 === 1 ? args[args.length - 1] : undefined;
  let type: DataType = "null";
  const results = [...pairs.map((p) => p.value), ...(otherwise ? [otherwise] : [])];
  results.forEach((r, k) => {
    if (r.type === "null") return;
    if (type === "null") type = r.type;
    else if (isNumeric(type) && isNumeric(r.type) && type !== r.type) {
      throw verificationError(
        scope,
        `all values of [CASE] must have the same type [${type}], found [${r.type}]`,
        expr.args[k * 2 + 1]?.pos ?? expr.pos,
      );
    } else if (isString(type) && isString(r.type)) type = "keyword";
    else if (type !== r.type)
      throw verificationError(
        scope,
        `all values of [CASE] must have the same type [${type}], found [${r.type}]`,
        expr.pos,
      );
  });
  return fold(
    {
      type,
      eval: (row, rt) => {
        for (const p of pairs) {
          // A null or multivalued condition counts as false (multivalued also warns).
          const c = p.when.eval(row, rt);
          if (Array.isArray(c)) {
            rt.warn(site, MULTIVALUE_WARNING);
            continue;
          }
          if (c === true) return p.value.eval(row, rt);
        }
        return otherwise ? otherwise.eval(row, rt) : null;
      },
      ...merge(args),
    },
    args,
  );
}

export { AGGREGATE_NAMES };
