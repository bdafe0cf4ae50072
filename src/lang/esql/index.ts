/**
 * ES|QL for trailwatch: parse, verify against the index mapping, and run over documents with Elasticsearch's
 * semantics. Pure: no files, no CloudTrail knowledge.
 */
import type { Document } from "../../doc/document.ts";

import { parseEsql } from "./parser.ts";
import { type Catalog, documentReader, hoistedPredicate, type Plan, planQuery } from "./plan.ts";
import { type Row, Runtime } from "./runtime.ts";
import type { Sink } from "./stage.ts";
import { type EsqlValue, outputValue } from "./values.ts";

export type { EsqlQuery } from "./ast.ts";
export type { Catalog } from "./plan.ts";
export type { EsqlValue } from "./values.ts";
export { parseEsql };

export interface RunContext {
  /** NOW(); the engine passes the rule execution time. */
  now: Date;
  /** The caller already applied `rowFilter`. */
  skipRowFilter?: boolean;
  metadata?: (doc: Document) => { _id?: string; _index?: string; _version?: number };
  /** Result cap when the query has no LIMIT (Elasticsearch: 1000); never more than 10,000. */
  limit?: number;
  onWarning?: (message: string) => void;
}

export interface EsqlColumn {
  name: string;
  type: string;
}

export interface EsqlResult {
  columns: EsqlColumn[];
  rows: EsqlValue[][];
  /** Per row: a stable JSON string of the BY values of the last STATS the row came from. */
  groupKeys?: string[];
  /** Per row: how many input rows that group aggregated. */
  groupRowCounts?: number[];
}

export interface CompiledEsql {
  sources: string[];
  metadataFields: string[];
  aggregating: boolean;
  requiredFields: string[] | "*";
  rowFilter?: (doc: Document) => boolean;
  run(docs: Iterable<Document>, ctx: RunContext): EsqlResult;
}

/** Elasticsearch's `esql.query.result_truncation_max_size`. */
const MAX_RESULT_ROWS = 10_000;
const DEFAULT_RESULT_ROWS = 1000;

export function compileEsql(query: string, catalog: Catalog): CompiledEsql {
  const parsed = parseEsql(query);
  const full = planQuery(parsed, catalog);
  const required = full.readsDocument ? new Set(full.allFields) : full.requiredFields;
  // Plan again over only the fields the query reads or returns, so rows stay narrow.
  const plan = full.readsDocument ? full : planQuery(parsed, catalog, required);
  const requiredFields =
    full.readsDocument || (full.allFields.length > 0 && full.allFields.every((f) => required.has(f)))
      ? "*"
      : [...required].sort();
  const specs = plan.origin.kind === "documents" ? plan.origin.specs : new Map();
  const predicate = hoistedPredicate(plan.hoisted, specs);
  const silent = new Runtime(0, undefined);
  return {
    sources: plan.sources,
    metadataFields: plan.metadataFields,
    aggregating: plan.aggregating,
    requiredFields,
    rowFilter: predicate ? (doc) => predicate(doc, silent) : undefined,
    run: (docs, ctx) => execute(plan, predicate, docs, ctx),
  };
}

function execute(
  plan: Plan,
  predicate: ((doc: Document, rt: Runtime) => boolean) | undefined,
  docs: Iterable<Document>,
  ctx: RunContext,
): EsqlResult {
  const rt = new Runtime(ctx.now.getTime(), ctx.onWarning);
  const cap = plan.hasLimit ? MAX_RESULT_ROWS : Math.min(ctx.limit ?? DEFAULT_RESULT_ROWS, MAX_RESULT_ROWS);
  const output = plan.output;
  const rows: EsqlValue[][] = [];
  const groupKeys: string[] = [];
  const groupRowCounts: number[] = [];
  let grouped = false;
  const collector: Sink = {
    push(row: Row) {
      if (rows.length >= cap) return false;
      rows.push(row.values.map((v, i) => outputValue(v, output[i].type)));
      if (row.groupKey !== undefined) grouped = true;
      groupKeys.push(row.groupKey ?? "[]");
      groupRowCounts.push(row.groupCount ?? 1);
      return rows.length < cap;
    },
    finish() {},
  };
  let head = collector;
  for (let i = plan.stages.length - 1; i >= 0; i--) head = plan.stages[i](rt, head);
  const origin = plan.origin;
  if (origin.kind === "row") {
    head.push({ values: origin.values.map((v) => v.eval({ values: [] }, rt)) });
  } else {
    const read = documentReader(origin.columns, origin.specs, ctx.metadata);
    const filter = ctx.skipRowFilter ? undefined : predicate;
    for (const doc of docs) {
      if (filter && !filter(doc, rt)) continue;
      if (!head.push({ values: read(doc), doc })) break;
    }
  }
  head.finish();
  const result: EsqlResult = { columns: output.map((c) => ({ name: c.name, type: c.type })), rows };
  if (grouped) {
    result.groupKeys = groupKeys;
    result.groupRowCounts = groupRowCounts;
  }
  return result;
}
