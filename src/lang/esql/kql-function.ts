/**
 * KQL("…") inside a WHERE: the KQL predicate applied to the row's source document. Elasticsearch allows it only while
 * rows are still index documents (before STATS or MV_EXPAND), which is when rows carry their document here.
 */
import type { Schema } from "../../doc/schema.ts";
import { compileKql, type KqlPredicate, kqlFields, parseKql } from "../kql/index.ts";
import type { Expr } from "./ast.ts";
import { type CallHook, compileExpr, type TypedExpr, verificationError } from "./expressions.ts";

export interface KqlHookOptions {
  schema: Schema;
  /** Called with the fields the KQL query reads (undefined when it names fields by pattern). */
  onFields(fields: string[] | undefined): void;
}

export function kqlHook(options: KqlHookOptions): CallHook {
  return (call: Extract<Expr, { kind: "call" }>, scope) => {
    if (call.name !== "KQL") return undefined;
    if (call.args.length !== 1)
      throw verificationError(
        scope,
        `function [KQL] expects exactly 1 argument, found [${call.args.length}]`,
        call.pos,
      );
    const arg = compileExpr(call.args[0], scope);
    const text = arg.constant?.value;
    if (typeof text !== "string")
      throw verificationError(scope, "argument of [KQL] must be a constant string", call.args[0].pos);
    let node: ReturnType<typeof parseKql>;
    try {
      node = parseKql(text);
      compileKql(node, options.schema);
    } catch (e) {
      throw verificationError(scope, `Invalid KQL query [${text}]: ${(e as Error).message}`, call.args[0].pos);
    }
    const fields = kqlFields(node);
    options.onFields(fields.some((f) => f.includes("*")) ? undefined : fields);
    // Date math `now` inside the KQL follows the run's NOW(); recompile only when it changes.
    let compiledFor = Number.NaN;
    let predicate: KqlPredicate = () => false;
    // Date math can only anchor at `now` or an absolute date: a query without the word cannot depend on the run.
    const usesNow = /\bnow/.test(text);
    const expr: TypedExpr = {
      type: "boolean",
      eval: (row, rt) => {
        if (!row.doc) return null;
        if (rt.now !== compiledFor) {
          predicate = compileKql(node, options.schema, { now: rt.now });
          compiledFor = rt.now;
        }
        return predicate(row.doc);
      },
      usesNow,
      usesDoc: true,
      reads: new Set(),
    };
    return expr;
  };
}
