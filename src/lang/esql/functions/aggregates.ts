/**
 * Aggregate functions for STATS. Each group holds one accumulator per aggregate, so memory grows with groups. Nulls
 * are skipped; every value of a multivalue counts.
 */
import { compareScalars, type DataType, type Scalar, type Value, valuesOf } from "../values.ts";
import { type ArgInfo, argError, constantString, firstError, NUMERIC_TYPES } from "./types.ts";

export interface Accumulator {
  add(v: Value): void;
  result(): Value;
  /**
   * Folds in another accumulator of the same aggregate that saw the rows right after this one's, so that `result()`
   * is exactly what one accumulator over both row sequences would give. Present only where that can be exact; false
   * when it cannot be this time (the caller then aggregates the rows afresh).
   */
  merge?(later: Accumulator): boolean;
}

export interface AggregateDef {
  min: number;
  max: number;
  resolve(args: ArgInfo[], star: boolean): DataType | string;
  create(args: ArgInfo[], type: DataType): Accumulator;
}

const ORDERABLE = new Set<DataType>(["integer", "long", "double", "date", "keyword", "text", "ip", "boolean"]);

const numericArg = (name: string, args: ArgInfo[]) => argError(name, args, 0, NUMERIC_TYPES, "numeric");

function extreme(sign: 1 | -1, name: string): AggregateDef {
  return {
    min: 1,
    max: 1,
    resolve: (args) => argError(name, args, 0, ORDERABLE, "boolean, date, ip, string or numeric") ?? args[0].type,
    create: (args) => {
      let best: Scalar | null = null;
      const type = args[0].type;
      // A later value replaces the best only when strictly better, so merging in row order keeps the same one.
      const offer = (x: Scalar | null) => {
        if (x !== null && (best === null || sign * compareScalars(x, best, type) > 0)) best = x;
      };
      return {
        add: (v) => {
          for (const x of valuesOf(v)) offer(x);
        },
        result: () => best,
        merge: (later) => {
          offer(later.result() as Scalar | null);
          return true;
        },
      };
    },
  };
}

/** The distinct values seen, in first-seen order; a merge is a union in row order. */
class SetAccumulator implements Accumulator {
  readonly seen = new Set<Scalar>();
  constructor(private readonly finish: (seen: Set<Scalar>) => Value) {}
  add(v: Value): void {
    for (const x of valuesOf(v)) this.seen.add(x);
  }
  result(): Value {
    return this.finish(this.seen);
  }
  merge(later: Accumulator): boolean {
    for (const x of (later as SetAccumulator).seen) this.seen.add(x);
    return true;
  }
}

/**
 * A sum in doubles, added in row order. Partial sums merge exactly only while every value is an integer and the sum
 * of magnitudes stays within 2^53 (then no addition rounds, in any order); double sums depend on the order.
 */
class SumAccumulator implements Accumulator {
  private sum = 0;
  private magnitude = 0;
  private integral = true;
  private any = false;
  add(v: Value): void {
    for (const x of valuesOf(v)) {
      const n = Number(x);
      this.sum += n;
      this.any = true;
      if (this.integral && Number.isSafeInteger(n)) this.magnitude += Math.abs(n);
      else this.integral = false;
    }
  }
  result(): Value {
    return this.any ? this.sum : null;
  }
  merge(later: Accumulator): boolean {
    const other = later as SumAccumulator;
    const magnitude = this.magnitude + other.magnitude;
    if (!this.integral || !other.integral || magnitude > Number.MAX_SAFE_INTEGER) return false;
    this.sum += other.sum;
    this.magnitude = magnitude;
    this.any ||= other.any;
    return true;
  }
}

function sortedValues(values: number[]): number[] {
  return values.sort((a, b) => a - b);
}

/** The p-th percentile with linear interpolation between closest ranks (what t-digest gives for small inputs). */
function percentile(values: number[], p: number): number | null {
  if (values.length === 0) return null;
  const s = sortedValues(values);
  const rank = (p / 100) * (s.length - 1);
  const lo = Math.floor(rank);
  const hi = Math.ceil(rank);
  return s[lo] + (s[hi] - s[lo]) * (rank - lo);
}

function numbersCollector(p: (args: ArgInfo[]) => number): (args: ArgInfo[]) => Accumulator {
  return (args) => {
    const values: number[] = [];
    return {
      add: (v) => {
        for (const x of valuesOf(v)) values.push(Number(x));
      },
      result: () => percentile(values, p(args)),
    };
  };
}

export const aggregateFunctions: Record<string, AggregateDef> = {
  COUNT: {
    min: 0,
    max: 1,
    resolve: () => "long",
    create: (args) => {
      let n = 0;
      const countRows = args.length === 0;
      return {
        add: (v) => {
          n += countRows ? 1 : valuesOf(v).length;
        },
        result: () => n,
        merge: (later) => {
          n += later.result() as number;
          return true;
        },
      };
    },
  },
  COUNT_DISTINCT: {
    min: 1,
    max: 2,
    resolve: (args) => argError("COUNT_DISTINCT", args, 1, NUMERIC_TYPES, "integer") ?? "long",
    // Exact (a set of the values), not Elasticsearch's HyperLogLog estimate: merging is a union.
    create: () => new SetAccumulator((seen) => seen.size),
  },
  SUM: {
    min: 1,
    max: 1,
    resolve: (args) => numericArg("SUM", args) ?? (args[0].type === "double" ? "double" : "long"),
    create: () => new SumAccumulator(),
  },
  AVG: {
    min: 1,
    max: 1,
    resolve: (args) => numericArg("AVG", args) ?? "double",
    create: () => {
      let sum = 0;
      let n = 0;
      return {
        add: (v) => {
          for (const x of valuesOf(v)) {
            sum += Number(x);
            n++;
          }
        },
        result: () => (n ? sum / n : null),
      };
    },
  },
  MIN: extreme(-1, "MIN"),
  MAX: extreme(1, "MAX"),
  MEDIAN: {
    min: 1,
    max: 1,
    resolve: (args) => numericArg("MEDIAN", args) ?? "double",
    create: numbersCollector(() => 50),
  },
  PERCENTILE: {
    min: 2,
    max: 2,
    resolve: (args) =>
      firstError(
        numericArg("PERCENTILE", args),
        args[1].constant ? undefined : "second argument of [PERCENTILE] must be a constant",
      ) ?? "double",
    create: numbersCollector((args) => Number(args[1].constant?.value)),
  },
  VALUES: {
    min: 1,
    max: 1,
    resolve: (args) => args[0].type,
    create: (args) => {
      const type = args[0].type;
      // Elasticsearch leaves the order undefined; sorting makes results reproducible. The sort is stable over the
      // set's first-seen order, which a merge in row order keeps, so values that compare equal stay put too.
      return new SetAccumulator((seen) => {
        const out = [...seen].sort((a, b) => compareScalars(a, b, type));
        return out.length === 0 ? null : out.length === 1 ? out[0] : out;
      });
    },
  },
  TOP: {
    min: 3,
    max: 3,
    resolve: (args) => {
      const order = constantString(args[2])?.toUpperCase();
      return (
        firstError(
          argError("TOP", args, 0, ORDERABLE, "boolean, date, ip, string or numeric"),
          args[1].constant && NUMERIC_TYPES.has(args[1].type)
            ? undefined
            : "second argument of [TOP] must be a constant integer",
          order === "ASC" || order === "DESC" ? undefined : 'third argument of [TOP] must be "asc" or "desc"',
        ) ?? args[0].type
      );
    },
    create: (args) => {
      const values: Scalar[] = [];
      const limit = Number(args[1].constant?.value);
      const sign = constantString(args[2])?.toUpperCase() === "DESC" ? -1 : 1;
      const type = args[0].type;
      return {
        add: (v) => {
          values.push(...valuesOf(v));
          // Keep memory bounded by the limit, not by the group's rows.
          if (values.length > limit * 4) values.splice(0, values.length, ...top());
        },
        result: () => {
          const out = top();
          return out.length === 0 ? null : out.length === 1 ? out[0] : out;
        },
      };
      function top(): Scalar[] {
        return values.sort((a, b) => sign * compareScalars(a, b, type)).slice(0, limit);
      }
    },
  },
};
