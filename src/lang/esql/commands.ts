/** Planning of the row-by-row processing commands: each yields the new column layout and a streaming stage. */
import type { Command, Expr, Field, Name } from "./ast.ts";
import { compileDissect, DissectError, dissectCell } from "./dissect.ts";
import {
  type CallHook,
  compileBoolean,
  compileExpr,
  makeScope,
  type TypedExpr,
  verificationError,
} from "./expressions.ts";
import { compileGrok, GrokError, grokCell } from "./grok.ts";
import { type Column, MULTIVALUE_WARNING, type Row, siteOf } from "./runtime.ts";
import { rowStage, type Stage } from "./stage.ts";
import type { PartialStats } from "./stats.ts";
import { isString, type Value } from "./values.ts";
import { isWildcard, patternRank, wildcardMatcher } from "./wildcards.ts";

export interface PlanContext {
  source: string;
  /** Second planning pass over the pruned FROM layout: names that only referred to pruned columns are ignored. */
  lenient: boolean;
  markRead(column: Column): void;
  /** Set when an expression reads the whole source document (KQL() with field patterns). */
  readsDocument: boolean;
  /** KQL() support while rows are still source documents (FROM, before STATS/MV_EXPAND). */
  kql?: CallHook;
}

export interface Planned {
  layout: Column[];
  stage: Stage;
  /** The compiled WHERE condition, for hoisting into the document filter. */
  condition?: TypedExpr;
  /** An expression of this command reads NOW(): its result differs between runs. */
  usesNow?: boolean;
  /** A STATS whose groups can be built over parts of the input and merged exactly. */
  partial?: PartialStats;
}

export function noteReads(ctx: PlanContext, layout: Column[], expr: TypedExpr): void {
  for (const i of expr.reads) ctx.markRead(layout[i]);
}

/** The column name of an EVAL/STATS field: the assigned name, a bare column's own name, or the expression text. */
export function fieldName(field: Field): string {
  return field.expr.kind === "column" && field.name === field.expr.name ? field.expr.name : field.name;
}

/** Appends columns, dropping earlier columns of the same names (later columns shadow earlier ones). */
function appendColumns(layout: Column[], added: Column[]): { layout: Column[]; keep: number[] } {
  const names = new Set(added.map((c) => c.name));
  const keep: number[] = [];
  layout.forEach((c, i) => {
    if (!names.has(c.name)) keep.push(i);
  });
  return { layout: [...keep.map((i) => layout[i]), ...added], keep };
}

export function planWhere(ctx: PlanContext, layout: Column[], command: Extract<Command, { kind: "WHERE" }>): Planned {
  const condition = compileBoolean(command.condition, makeScope(ctx.source, layout, ctx.kql));
  noteReads(ctx, layout, condition);
  return {
    layout,
    condition,
    usesNow: condition.usesNow,
    stage: rowStage((row, rt) => (condition.eval(row, rt) === true ? row : undefined)),
  };
}

export function planEval(ctx: PlanContext, layout0: Column[], command: Extract<Command, { kind: "EVAL" }>): Planned {
  let layout = layout0;
  let usesNow = false;
  const steps: { keep: number[]; expr: TypedExpr }[] = [];
  for (const field of command.fields) {
    const expr = compileExpr(field.expr, makeScope(ctx.source, layout));
    if (expr.type === "time_duration" || expr.type === "date_period")
      throw verificationError(ctx.source, `cannot assign a time span to column [${fieldName(field)}]`, field.expr.pos);
    noteReads(ctx, layout, expr);
    usesNow ||= expr.usesNow;
    const next = appendColumns(layout, [{ name: fieldName(field), type: expr.type }]);
    steps.push({ keep: next.keep, expr });
    layout = next.layout;
  }
  return {
    layout,
    usesNow,
    stage: rowStage((row, rt) => {
      let values = row.values;
      for (const step of steps) {
        const v = step.expr.eval({ ...row, values }, rt);
        const out: Value[] = new Array(step.keep.length + 1);
        for (let i = 0; i < step.keep.length; i++) out[i] = values[step.keep[i]];
        out[step.keep.length] = v;
        values = out;
      }
      return { ...row, values };
    }),
  };
}

function projectStage(indexes: number[]): Stage {
  return rowStage((row) => ({ ...row, values: indexes.map((i) => row.values[i]) }));
}

function noMatch(ctx: PlanContext, pattern: Name): Error {
  return verificationError(
    ctx.source,
    isWildcard(pattern.name) ? `No matches found for pattern [${pattern.name}]` : `Unknown column [${pattern.name}]`,
    pattern.pos,
  );
}

export function planKeep(ctx: PlanContext, layout: Column[], command: Extract<Command, { kind: "KEEP" }>): Planned {
  // Each column goes to the pattern that claims it with the highest precedence (exact > prefix* > *);
  // among equals the rightmost pattern wins. Output follows pattern order, then input order.
  const owner = layout.map(() => -1);
  const matchers = command.patterns.map((p) => wildcardMatcher(p.name));
  command.patterns.forEach((p, k) => {
    let any = false;
    layout.forEach((c, i) => {
      if (!matchers[k](c.name)) return;
      any = true;
      const current = owner[i];
      if (current < 0 || patternRank(p.name) >= patternRank(command.patterns[current].name)) owner[i] = k;
    });
    if (!any && !ctx.lenient) throw noMatch(ctx, p);
  });
  const indexes: number[] = [];
  command.patterns.forEach((_, k) => {
    owner.forEach((o, i) => {
      if (o === k) indexes.push(i);
    });
  });
  return { layout: indexes.map((i) => layout[i]), stage: projectStage(indexes) };
}

export function planDrop(ctx: PlanContext, layout: Column[], command: Extract<Command, { kind: "DROP" }>): Planned {
  const dropped = new Set<number>();
  for (const p of command.patterns) {
    const match = wildcardMatcher(p.name);
    let any = false;
    layout.forEach((c, i) => {
      if (match(c.name)) {
        dropped.add(i);
        any = true;
      }
    });
    if (!any && !ctx.lenient) throw noMatch(ctx, p);
  }
  const indexes = layout.map((_, i) => i).filter((i) => !dropped.has(i));
  return { layout: indexes.map((i) => layout[i]), stage: projectStage(indexes) };
}

export function planRename(
  ctx: PlanContext,
  layout0: Column[],
  command: Extract<Command, { kind: "RENAME" }>,
): Planned {
  // Track where each output column comes from, so a rename that replaces an existing column stays one projection.
  let layout = layout0.map((c, i) => ({ column: c, from: i }));
  for (const { from, to } of command.pairs) {
    const i = layout.findIndex((e) => e.column.name === from.name);
    if (i < 0) {
      if (ctx.lenient) continue;
      throw verificationError(ctx.source, `Unknown column [${from.name}]`, from.pos);
    }
    const renamed = { column: { ...layout[i].column, name: to.name }, from: layout[i].from };
    layout = layout.map((e, k) => (k === i ? renamed : e)).filter((e, k) => k === i || e.column.name !== to.name);
  }
  const indexes = layout.map((e) => e.from);
  return { layout: layout.map((e) => e.column), stage: projectStage(indexes) };
}

/** GROK's and DISSECT's input: a string expression over the current columns. */
function compileTextInput(ctx: PlanContext, layout: Column[], expr: Expr, command: string): TypedExpr {
  const input = compileExpr(expr, makeScope(ctx.source, layout));
  if (!isString(input.type) && input.type !== "null") {
    throw verificationError(ctx.source, `Input for ${command} must be of type [string] but is [${input.type}]`, expr.pos);
  }
  noteReads(ctx, layout, input);
  return input;
}

export function planGrok(ctx: PlanContext, layout: Column[], command: Extract<Command, { kind: "GROK" }>): Planned {
  const input = compileTextInput(ctx, layout, command.input, "GROK");
  let grok: ReturnType<typeof compileGrok>;
  try {
    grok = compileGrok(command.pattern.value);
  } catch (e) {
    if (e instanceof GrokError) throw verificationError(ctx.source, e.message, command.pattern.pos);
    throw e;
  }
  const next = appendColumns(
    layout,
    grok.fields.map((f) => ({ name: f.name, type: f.type })),
  );
  return {
    layout: next.layout,
    usesNow: input.usesNow,
    stage: rowStage((row, rt) => {
      const extracted = grokCell(grok, input.eval(row, rt));
      return { ...row, values: [...next.keep.map((i) => row.values[i]), ...extracted] };
    }),
  };
}

export function planDissect(
  ctx: PlanContext,
  layout: Column[],
  command: Extract<Command, { kind: "DISSECT" }>,
): Planned {
  const input = compileTextInput(ctx, layout, command.input, "DISSECT");
  let dissect: ReturnType<typeof compileDissect>;
  try {
    dissect = compileDissect(command.pattern.value, command.appendSeparator);
  } catch (e) {
    if (e instanceof DissectError) throw verificationError(ctx.source, e.message, command.pattern.pos);
    throw e;
  }
  const site = siteOf(ctx.source, command.pos, command.end);
  const next = appendColumns(
    layout,
    dissect.fields.map((name) => ({ name, type: "keyword" as const })),
  );
  return {
    layout: next.layout,
    usesNow: input.usesNow,
    stage: rowStage((row, rt) => {
      const extracted = dissectCell(dissect, input.eval(row, rt), () => rt.warn(site, MULTIVALUE_WARNING));
      return { ...row, values: [...next.keep.map((i) => row.values[i]), ...extracted] };
    }),
  };
}

export function planMvExpand(
  ctx: PlanContext,
  layout: Column[],
  command: Extract<Command, { kind: "MV_EXPAND" }>,
): Planned {
  const i = layout.findIndex((c) => c.name === command.column.name);
  if (i < 0) throw verificationError(ctx.source, `Unknown column [${command.column.name}]`, command.column.pos);
  ctx.markRead(layout[i]);
  // The expanded column moves to the end, like Elasticsearch's MV_EXPAND output.
  const others = layout.map((_, k) => k).filter((k) => k !== i);
  const out = [...others.map((k) => layout[k]), { name: layout[i].name, type: layout[i].type }];
  const stage: Stage = (_rt, next) => ({
    push(row: Row) {
      const v = row.values[i];
      const base = others.map((k) => row.values[k]);
      const list = Array.isArray(v) ? v : [v];
      for (const x of list) {
        if (!next.push({ values: [...base, x], groupKey: row.groupKey, groupCount: row.groupCount })) return false;
      }
      return true;
    },
    finish: () => next.finish(),
  });
  return { layout: out, stage };
}
