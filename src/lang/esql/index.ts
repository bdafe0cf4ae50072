/**
 * ES|QL for trailwatch: parse, verify against the index mapping, and run over documents with Elasticsearch's
 * semantics. Pure: no files, no CloudTrail knowledge.
 */
import type { Document } from "../../doc/document.ts";

import { parseEsql } from "./parser.ts";
import { type Catalog, documentReader, hoistedPredicate, type MetadataReader, type Plan, planQuery } from "./plan.ts";
import { type RecordedWarning, RecordingRuntime, type Row, Runtime } from "./runtime.ts";
import type { Sink } from "./stage.ts";
import type { GroupTable, PartialStats } from "./stats.ts";
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

/** What a run needs to prepare a document: the same `metadata` the runs would use, and the row filter choice. */
export type PrepareContext = Pick<RunContext, "skipRowFilter" | "metadata">;

/**
 * One document's rows after the query's row-local, context-free leading commands (the commands up to the first
 * STATS, SORT, LIMIT or expression that reads NOW()), with the warnings raised on the way. Opaque to callers.
 */
export interface PreparedRows {
  readonly rows: readonly Row[];
  readonly warnings: readonly RecordedWarning[];
}

export interface CompiledEsql {
  sources: string[];
  metadataFields: string[];
  aggregating: boolean;
  requiredFields: string[] | "*";
  rowFilter?: (doc: Document) => boolean;
  run(docs: Iterable<Document>, ctx: RunContext): EsqlResult;
  /**
   * How many of the query's commands after FROM `prepare` covers (hoisted WHERE conditions included); 0 when
   * nothing but reading the document can be done ahead of a run.
   */
  preparedCommands: number;
  /**
   * Runs the row-local leading commands for one document. The result does not depend on the run (NOW(), other
   * documents), so one preparation serves every later run: `runPrepared(docs.map(prepare), ctx)` gives what
   * `run(docs, ctx)` gives, warnings included, for any `ctx` with the same `metadata`.
   */
  prepare(doc: Document, ctx: PrepareContext): PreparedRows;
  /** The rest of the query over prepared documents, in their order. */
  runPrepared(prepared: Iterable<PreparedRows>, ctx: RunContext): EsqlResult;
  /**
   * Present when the first command after the prepared ones is a STATS whose aggregates all merge exactly (COUNT,
   * COUNT_DISTINCT, VALUES, MIN, MAX, SUM of integers) and read no NOW(): runs over overlapping windows can then
   * aggregate each stretch of documents once and merge the stretches a window covers.
   */
  incrementalStats?: IncrementalStats;
}

/** A stretch of prepared documents aggregated by the query's first STATS. Opaque to callers. */
export interface StatsPart {
  /** A warning fell among the stretch's rows: runs over it cannot be merged and go through `runPrepared`. */
  readonly warned: boolean;
}

export interface IncrementalStats {
  /** The first STATS's groups over these prepared documents, in this order. */
  aggregate(prepared: Iterable<PreparedRows>): StatsPart;
  /**
   * What `runPrepared` gives over the parts' documents, parts in this order, or undefined when merging cannot give
   * exactly that (a part is `warned`, or a sum grew past exact integers): call `runPrepared` then.
   */
  runMerged(parts: readonly StatsPart[], ctx: RunContext): EsqlResult | undefined;
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
  const prepare = preparer(plan, predicate);
  return {
    sources: plan.sources,
    metadataFields: plan.metadataFields,
    aggregating: plan.aggregating,
    requiredFields,
    rowFilter: predicate ? (doc) => predicate(doc, silent) : undefined,
    run: (docs, ctx) => execute(plan, predicate, docs, ctx),
    preparedCommands: plan.prefixStages + plan.hoisted.length,
    prepare,
    runPrepared: (prepared, ctx) =>
      plan.origin.kind === "row" ? execute(plan, predicate, [], ctx) : executePrepared(plan, prepared, ctx),
    incrementalStats: plan.partialStats && incrementalStats(plan, plan.partialStats),
  };
}

function execute(
  plan: Plan,
  predicate: ((doc: Document, rt: Runtime) => boolean) | undefined,
  docs: Iterable<Document>,
  ctx: RunContext,
): EsqlResult {
  const rt = new Runtime(ctx.now.getTime(), ctx.onWarning);
  const out = collector(plan, ctx);
  let head = out.sink;
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
  return out.result();
}

const NOTHING: PreparedRows = { rows: [], warnings: [] };

function preparer(
  plan: Plan,
  predicate: ((doc: Document, rt: Runtime) => boolean) | undefined,
): (doc: Document, ctx: PrepareContext) => PreparedRows {
  const origin = plan.origin;
  if (origin.kind === "row") return () => NOTHING;
  // One reader for every document (building one is costly); it asks the current call's metadata.
  let metadata: MetadataReader | undefined;
  const read = documentReader(origin.columns, origin.specs, (doc) => metadata?.(doc) ?? {});
  return (doc, ctx) => {
    const rt = new RecordingRuntime();
    if (!ctx.skipRowFilter && predicate && !predicate(doc, rt))
      return rt.recorded.length ? { rows: [], warnings: rt.recorded } : NOTHING;
    const rows: Row[] = [];
    let head: Sink = {
      push(row) {
        // Keep the document only for a KQL() further on: the prepared rows may outlive the caller's copy of it.
        rows.push(plan.restReadsDocument ? row : { values: row.values });
        rt.rowsOut++;
        return true;
      },
      finish() {},
    };
    for (let i = plan.prefixStages - 1; i >= 0; i--) head = plan.stages[i](rt, head);
    metadata = ctx.metadata;
    head.push({ values: read(doc), doc });
    head.finish();
    return { rows, warnings: rt.recorded.length ? rt.recorded : NOTHING.warnings };
  };
}

/** A part's groups, or none when a warning fell among its rows (runs over it are not merged, so warnings stay exact). */
interface GroupsPart extends StatsPart {
  readonly table?: GroupTable;
}

function incrementalStats(plan: Plan, stats: PartialStats): IncrementalStats {
  return {
    aggregate(prepared) {
      const rows: Row[] = [];
      for (const p of prepared) {
        if (p.warnings.length) return WARNED;
        for (const row of p.rows) rows.push(row);
      }
      const rt = new RecordingRuntime();
      const table = stats.aggregate(rows, rt);
      return rt.recorded.length ? WARNED : ({ warned: false, table } satisfies GroupsPart);
    },
    runMerged(parts, ctx) {
      const tables: GroupTable[] = [];
      for (const part of parts as readonly GroupsPart[]) {
        if (!part.table) return undefined;
        tables.push(part.table);
      }
      const merged = stats.merge(tables);
      if (!merged) return undefined;
      const rt = new Runtime(ctx.now.getTime(), ctx.onWarning);
      const out = collector(plan, ctx);
      let head = out.sink;
      for (let i = plan.stages.length - 1; i > plan.prefixStages; i--) head = plan.stages[i](rt, head);
      stats.emit(merged, rt, head);
      return out.result();
    },
  };
}

const WARNED: GroupsPart = { warned: true };

function executePrepared(plan: Plan, prepared: Iterable<PreparedRows>, ctx: RunContext): EsqlResult {
  const rt = new Runtime(ctx.now.getTime(), ctx.onWarning);
  const out = collector(plan, ctx);
  let head = out.sink;
  for (let i = plan.stages.length - 1; i >= plan.prefixStages; i--) head = plan.stages[i](rt, head);
  documents: for (const { rows, warnings } of prepared) {
    // Warnings replay where they fell among the document's rows, so a LIMIT that stops the run stops them too.
    let w = 0;
    for (let k = 0; k < rows.length; k++) {
      for (; w < warnings.length && warnings[w].rowsBefore <= k; w++) rt.warn(warnings[w].site, warnings[w].message);
      if (!head.push(rows[k])) break documents;
    }
    for (; w < warnings.length; w++) rt.warn(warnings[w].site, warnings[w].message);
  }
  head.finish();
  return out.result();
}

/** The last sink: output rows converted to their column types, cut at the result cap, with their group keys. */
function collector(plan: Plan, ctx: RunContext): { sink: Sink; result: () => EsqlResult } {
  const cap = plan.hasLimit ? MAX_RESULT_ROWS : Math.min(ctx.limit ?? DEFAULT_RESULT_ROWS, MAX_RESULT_ROWS);
  const output = plan.output;
  const rows: EsqlValue[][] = [];
  const groupKeys: string[] = [];
  const groupRowCounts: number[] = [];
  let grouped = false;
  const sink: Sink = {
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
  const result = (): EsqlResult => {
    const r: EsqlResult = { columns: output.map((c) => ({ name: c.name, type: c.type })), rows };
    if (grouped) {
      r.groupKeys = groupKeys;
      r.groupRowCounts = groupRowCounts;
    }
    return r;
  };
  return { sink, result };
}
