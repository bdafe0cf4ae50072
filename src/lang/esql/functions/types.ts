/** The shape every scalar function definition takes, and the helpers definitions share. */
import type { DataType, Scalar, Value } from "../values.ts";

/** What the verifier knows about one argument: its type and, for literals, its value. */
export interface ArgInfo {
  type: DataType;
  /** Present when the argument is a constant (a literal or an expression of literals). */
  constant?: { value: Value };
  /** Timespan literals: the amount and unit. */
  span?: { amount: number; unit: string };
}

/** Raised by an implementation for a value it cannot process: the result is null plus a warning, as in ES. */
export class EvalFailure extends Error {}

export interface CallInfo {
  args: ArgInfo[];
  resultType: DataType;
}

export interface FunctionDef {
  min: number;
  max: number;
  /** The result type, or an error message naming the offending argument. */
  resolve(args: ArgInfo[]): DataType | string;
  /**
   * Single-value semantics: any null argument gives null; a multivalued argument gives null plus the warning
   * "single-value function encountered multi-value". Most functions are of this kind.
   */
  scalar?: (args: Scalar[], info: CallInfo) => Value;
  /** Functions with their own null/multivalue rules (COALESCE, MV_*, …) see raw cells. */
  cells?: (args: Value[], info: CallInfo, warn: (message: string) => void) => Value;
  /** Reads the clock (NOW): keeps the expression out of the ingest-time row filter. */
  usesNow?: boolean;
}

export const STRING_TYPES = new Set<DataType>(["keyword", "text"]);
export const NUMERIC_TYPES = new Set<DataType>(["integer", "long", "double"]);

/** Checks that argument `i` has one of `allowed` (null always passes); returns an error message or undefined. */
export function argError(
  fn: string,
  args: ArgInfo[],
  i: number,
  allowed: ReadonlySet<DataType> | DataType[],
  description: string,
): string | undefined {
  const arg = args[i];
  if (!arg || arg.type === "null") return undefined;
  const set = Array.isArray(allowed) ? new Set(allowed) : allowed;
  if (set.has(arg.type)) return undefined;
  const ordinal = ["first", "second", "third", "fourth", "fifth"][i] ?? `#${i + 1}`;
  return `${ordinal} argument of [${fn}] must be [${description}], found value type [${arg.type}]`;
}

/** The first error among several checks. */
export function firstError(...errors: (string | undefined)[]): string | undefined {
  return errors.find((e) => e !== undefined);
}

export function constantString(arg: ArgInfo | undefined): string | undefined {
  const v = arg?.constant?.value;
  return typeof v === "string" ? v : undefined;
}
