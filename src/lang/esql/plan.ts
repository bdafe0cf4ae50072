/**
 * Turns a parsed query into a verified plan: the FROM (or ROW) layout, one streaming stage per command, the leading
 * source-only WHERE conditions (for the document filter), and which source fields the query can read.
 */
import type { Document } from "../../doc/document.ts";
import { type FieldSpec, mapSchema } from "../../doc/schema.ts";
import type { Command, EsqlQuery } from "./ast.ts";
import {
  fieldName,
  type PlanContext,
  type Planned,
  planDissect,
  planDrop,
  planEval,
  planGrok,
  planKeep,
  planMvExpand,
  planRename,
  planWhere,
} from "./commands.ts";
import { compileExpr, makeScope, type TypedExpr, verificationError } from "./expressions.ts";
import { kqlHook } from "./kql-function.ts";
import { planLimit, planSort } from "./ordering.ts";
import type { Column, Runtime } from "./runtime.ts";
import { esqlType, mergeSchemas, sourceReader } from "./source.ts";
import type { Stage } from "./stage.ts";
import { type PartialStats, planStats } from "./stats.ts";
import type { Value } from "./values.ts";

export interface Catalog {
  resolve(indexPattern: string): import("../../doc/schema.ts").Schema | undefined;
}

export type MetadataReader = (doc: Document) => { _id?: string; _index?: string; _version?: number };

/** Where rows come from: documents (FROM) or the single literal row of ROW. */
export type Origin =
  | { kind: "documents"; columns: Column[]; specs: Map<string, FieldSpec> }
  | { kind: "row"; columns: Column[]; values: TypedExpr[] };

export interface HoistedFilter {
  layout: Column[];
  condition: TypedExpr;
}

export interface Plan {
  sources: string[];
  metadataFields: string[];
  origin: Origin;
  stages: Stage[];
  /**
   * How many leading stages are row-local and context-free: a document's rows out of them depend on that document
   * alone, not on other documents nor on the run (no NOW(), no LIMIT, STATS or SORT), so they can be computed once.
   */
  prefixStages: number;
  /** A stage after the prefix reads rows' source documents (KQL()). */
  restReadsDocument: boolean;
  /** The first stage after the prefix, when it is a STATS whose groups merge exactly from parts of its input. */
  partialStats?: PartialStats;
  output: Column[];
  hoisted: HoistedFilter[];
  hasLimit: boolean;
  aggregating: boolean;
  requiredFields: Set<string>;
  readsDocument: boolean;
  allFields: string[];
}

const METADATA_TYPES: Record<string, Column["type"]> = { _id: "keyword", _index: "keyword", _version: "long" };
/** Commands that neither drop, add nor reorder rows: a source-only WHERE behind them can run first. */
const ROW_PRESERVING = new Set<Command["kind"]>(["EVAL", "GROK", "DISSECT", "KEEP", "DROP", "RENAME", "WHERE"]);
/** Commands whose output rows for one input row depend on that row alone (LIMIT counts rows across documents). */
const ROW_LOCAL = new Set<Command["kind"]>([...ROW_PRESERVING, "MV_EXPAND"]);

export function planQuery(query: EsqlQuery, catalog: Catalog, prunedTo?: Set<string>): Plan {
  const source = query.source;
  const ctx: PlanContext = { source, lenient: prunedTo !== undefined, markRead: () => {}, readsDocument: false };
  const required = new Set<string>();
  ctx.markRead = (c) => {
    if (c.sourceField) required.add(c.sourceField);
  };
  const [first, ...rest] = query.commands;
  let origin: Origin;
  let sources: string[] = [];
  let metadataFields: string[] = [];
  let allFields: string[] = [];
  if (first.kind === "FROM") {
    const schemas = first.sources.map((s) => {
      const schema = catalog.resolve(s.name);
      if (!schema) throw verificationError(source, `Unknown index [${s.name}]`, s.pos);
      return schema;
    });
    const specs = mergeSchemas(schemas);
    allFields = [...specs.keys()];
    sources = first.sources.map((s) => s.name);
    for (const m of first.metadata) {
      if (!(m.name in METADATA_TYPES)) throw verificationError(source, `unsupported metadata field [${m.name}]`, m.pos);
    }
    metadataFields = first.metadata.map((m) => m.name);
    const columns: Column[] = [
      ...allFields
        .filter((f) => !prunedTo || prunedTo.has(f))
        .map((f) => ({ name: f, type: esqlType(specs.get(f)!.type), sourceField: f })),
      ...metadataFields.filter((m) => !allFields.includes(m)).map((m) => ({ name: m, type: METADATA_TYPES[m] })),
    ];
    origin = { kind: "documents", columns, specs };
    const kqlSchema = mapSchema(Object.fromEntries(specs));
    ctx.kql = kqlHook({
      schema: kqlSchema,
      onFields: (fields) => {
        if (!fields) ctx.readsDocument = true;
        else for (const f of fields) if (specs.has(f)) required.add(f);
      },
    });
  } else if (first.kind === "ROW") {
    const values: TypedExpr[] = [];
    const columns: Column[] = [];
    for (const field of first.fields) {
      const expr = compileExpr(field.expr, makeScope(source, []));
      values.push(expr);
      const name = fieldName(field);
      const prior = columns.findIndex((c) => c.name === name);
      if (prior >= 0) {
        columns.splice(prior, 1);
        values.splice(prior, 1);
      }
      columns.push({ name, type: expr.type });
    }
    origin = { kind: "row", columns, values };
  } else throw verificationError(source, "a query must start with FROM or ROW", first.pos);

  let layout = origin.columns;
  const stages: Stage[] = [];
  const hoisted: HoistedFilter[] = [];
  let hoisting = origin.kind === "documents";
  let hasLimit = false;
  let prefixStages = 0;
  let prefixOpen = origin.kind === "documents";
  let restReadsDocument = false;
  let partialStats: PartialStats | undefined;
  for (const command of rest) {
    const planned = planCommand(ctx, layout, command);
    if (command.kind === "LIMIT") hasLimit = true;
    const condition = planned.condition;
    if (
      hoisting &&
      condition &&
      !condition.usesNow &&
      [...condition.reads].every((i) => layout[i].sourceField !== undefined)
    ) {
      hoisted.push({ layout, condition });
    } else {
      stages.push(planned.stage);
      if (prefixOpen && ROW_LOCAL.has(command.kind) && !planned.usesNow) prefixStages++;
      else {
        if (prefixOpen) partialStats = planned.partial;
        prefixOpen = false;
      }
      if (!prefixOpen && condition?.usesDoc) restReadsDocument = true;
    }
    if (!ROW_PRESERVING.has(command.kind)) hoisting = false;
    if (command.kind === "STATS" || command.kind === "MV_EXPAND") ctx.kql = undefined;
    layout = planned.layout;
  }
  for (const c of layout) ctx.markRead(c);
  return {
    sources,
    metadataFields,
    origin,
    stages,
    prefixStages,
    restReadsDocument,
    partialStats,
    output: layout,
    hoisted,
    hasLimit,
    aggregating: rest.some((c) => c.kind === "STATS"),
    requiredFields: required,
    readsDocument: ctx.readsDocument,
    allFields,
  };
}

function planCommand(ctx: PlanContext, layout: Column[], command: Command): Planned {
  switch (command.kind) {
    case "WHERE":
      return planWhere(ctx, layout, command);
    case "EVAL":
      return planEval(ctx, layout, command);
    case "STATS":
      return planStats(ctx, layout, command);
    case "KEEP":
      return planKeep(ctx, layout, command);
    case "DROP":
      return planDrop(ctx, layout, command);
    case "RENAME":
      return planRename(ctx, layout, command);
    case "SORT":
      return planSort(ctx, layout, command);
    case "LIMIT":
      return planLimit(ctx, layout, command);
    case "GROK":
      return planGrok(ctx, layout, command);
    case "DISSECT":
      return planDissect(ctx, layout, command);
    case "MV_EXPAND":
      return planMvExpand(ctx, layout, command);
    default:
      throw verificationError(ctx.source, `[${command.kind}] can only be the first command`, command.pos);
  }
}

/** Reads a document into a row of the given layout (only the listed indexes; the rest stay null). */
export function documentReader(
  layout: Column[],
  specs: Map<string, FieldSpec>,
  metadata: MetadataReader | undefined,
  indexes?: Iterable<number>,
): (doc: Document) => Value[] {
  const wanted = indexes ? [...indexes] : layout.map((_, i) => i);
  const readers = wanted.map((i) => {
    const c = layout[i];
    if (c.sourceField) return sourceReader(c.sourceField, specs.get(c.sourceField)!);
    const name = c.name as "_id" | "_index" | "_version";
    return (doc: Document): Value => metadata?.(doc)?.[name] ?? null;
  });
  const width = layout.length;
  return (doc) => {
    const values: Value[] = new Array(width).fill(null);
    for (let k = 0; k < wanted.length; k++) values[wanted[k]] = readers[k](doc);
    return values;
  };
}

/** The hoisted WHERE conditions as one document predicate. */
export function hoistedPredicate(
  filters: HoistedFilter[],
  specs: Map<string, FieldSpec>,
): ((doc: Document, rt: Runtime) => boolean) | undefined {
  if (filters.length === 0) return undefined;
  const tests = filters.map((f) => {
    const read = documentReader(f.layout, specs, undefined, f.condition.reads);
    return (doc: Document, rt: Runtime) => f.condition.eval({ values: read(doc), doc }, rt) === true;
  });
  return (doc, rt) => tests.every((t) => t(doc, rt));
}
