/**
 * STATS … BY: groups rows by the BY values (a multivalued key puts the row in every group of its values, nulls form
 * their own group) and keeps one accumulator per aggregate per group, so memory follows the number of groups.
 */
import { QueryError } from "../errors.ts";
import type { Command, Expr } from "./ast.ts";
import { fieldName, noteReads, type PlanContext, type Planned } from "./commands.ts";
import {
  compileBoolean,
  compileExpr,
  makeScope,
  type Scope,
  type TypedExpr,
  verificationError,
} from "./expressions.ts";
import { type Accumulator, aggregateFunctions } from "./functions/aggregates.ts";
import type { ArgInfo } from "./functions/types.ts";
import type { Column, Row, Runtime } from "./runtime.ts";
import type { Sink, Stage } from "./stage.ts";
import { outputValue, type Value } from "./values.ts";

interface AggregateSlot {
  name: string;
  args: TypedExpr[];
  infos: ArgInfo[];
  type: string;
  filter?: TypedExpr;
}

interface Group {
  keys: Value[];
  accumulators: Accumulator[];
  rows: number;
}

export function planStats(ctx: PlanContext, layout: Column[], command: Extract<Command, { kind: "STATS" }>): Planned {
  const inputScope = makeScope(ctx.source, layout);
  const groups = command.groups.map((g) => {
    const expr = compileExpr(g.expr, inputScope);
    noteReads(ctx, layout, expr);
    if (expr.type === "time_duration" || expr.type === "date_period")
      throw verificationError(ctx.source, "cannot group by a time span", g.expr.pos);
    return { name: fieldName(g), expr };
  });
  const groupLayout: Column[] = groups.map((g) => ({ name: g.name, type: g.expr.type }));
  const slots: AggregateSlot[] = [];
  const outputs: { name: string; expr: TypedExpr }[] = [];
  for (const field of command.aggregates) {
    const filter = field.filter ? compileBoolean(field.filter, inputScope) : undefined;
    if (filter) noteReads(ctx, layout, filter);
    let sawAggregate = false;
    const hook = (call: Extract<Expr, { kind: "call" }>, scope: Scope): TypedExpr | undefined => {
      const def = aggregateFunctions[call.name];
      if (!def) return undefined;
      if (scope !== postScope)
        throw verificationError(ctx.source, `nested aggregations [${call.name}] are not allowed`, call.pos);
      sawAggregate = true;
      if (call.star && call.name !== "COUNT")
        throw verificationError(ctx.source, `[${call.name}] does not accept [*]`, call.pos);
      const argExprs = call.star ? [] : call.args;
      if (argExprs.length < def.min || argExprs.length > def.max)
        throw verificationError(
          ctx.source,
          `function [${call.name}] expects ${def.min === def.max ? `exactly ${def.min}` : `between ${def.min} and ${def.max}`} arguments, found [${argExprs.length}]`,
          call.pos,
        );
      const args = argExprs.map((a) => compileExpr(a, inputScope));
      for (const a of args) noteReads(ctx, layout, a);
      const infos: ArgInfo[] = args.map((a) => ({ type: a.type, constant: a.constant, span: a.span }));
      const type = def.resolve(infos, call.star);
      if (type.includes(" ")) throw verificationError(ctx.source, type, call.pos);
      const slot = slots.length;
      slots.push({ name: call.name, args, infos, type, filter });
      const at = groups.length + slot;
      return {
        type: type as TypedExpr["type"],
        eval: (row: Row) => row.values[at],
        usesNow: false,
        usesDoc: false,
        reads: new Set(),
      };
    };
    const postScope: Scope = makeScope(ctx.source, groupLayout, hook);
    let expr: TypedExpr;
    try {
      expr = compileExpr(field.expr, postScope);
    } catch (e) {
      const unknown = e instanceof QueryError ? /^Unknown column \[(.*)\]$/.exec(e.detail) : null;
      if (unknown && inputScope.index.has(unknown[1]))
        throw verificationError(
          ctx.source,
          `column [${unknown[1]}] must appear in the STATS BY clause or be used in an aggregate function`,
          field.expr.pos,
        );
      throw e;
    }
    if (!sawAggregate)
      throw verificationError(
        ctx.source,
        `expected an aggregate function in STATS, found [${ctx.source.slice(field.expr.pos, field.expr.end)}]`,
        field.expr.pos,
      );
    outputs.push({ name: fieldName(field), expr });
  }
  // Output: aggregates then groups; for duplicate names the rightmost column wins.
  const all = [
    ...outputs.map((o) => ({
      column: { name: o.name, type: o.expr.type } as Column,
      agg: o as { expr: TypedExpr } | undefined,
      group: -1,
    })),
    ...groups.map((g, i) => ({ column: { name: g.name, type: g.expr.type } as Column, agg: undefined, group: i })),
  ];
  const kept = all.filter((e, i) => !all.slice(i + 1).some((later) => later.column.name === e.column.name));
  const hasBy = groups.length > 0;

  const newGroup = (keys: Value[]): Group => ({
    keys,
    accumulators: slots.map((s) => aggregateFunctions[s.name].create(s.infos, s.type as Column["type"])),
    rows: 0,
  });
  const add = (table: GroupTable, row: Row, rt: Runtime) => {
    const keyValues = groups.map((g) => g.expr.eval(row, rt));
    for (const keys of crossProduct(keyValues)) {
      const id = JSON.stringify(keys);
      let group = table.get(id);
      if (!group) {
        group = newGroup(keys);
        table.set(id, group);
      }
      group.rows++;
      slots.forEach((slot, i) => {
        if (slot.filter && slot.filter.eval(row, rt) !== true) return;
        group!.accumulators[i].add(slot.args.length === 0 ? true : slot.args[0].eval(row, rt));
      });
    }
  };
  const emit = (table: GroupTable, rt: Runtime, next: Sink) => {
    // Without BY, no rows still make one row.
    for (const group of !hasBy && table.size === 0 ? [newGroup([])] : table.values()) {
      const post: Row = { values: [...group.keys, ...group.accumulators.map((a) => a.result())] };
      const values = kept.map((e) => (e.agg ? e.agg.expr.eval(post, rt) : group.keys[e.group]));
      const groupKey = JSON.stringify(group.keys.map((k, i) => outputValue(k, groups[i].expr.type)));
      if (!next.push({ values, groupKey, groupCount: group.rows })) break;
    }
    next.finish();
  };
  const stage: Stage = (rt, next) => {
    const table: GroupTable = new Map();
    return {
      push(row) {
        add(table, row, rt);
        return true;
      },
      finish: () => emit(table, rt, next),
    };
  };
  const exprs = [...groups.map((g) => g.expr), ...slots.flatMap((s) => (s.filter ? [...s.args, s.filter] : s.args))];
  const mergeable =
    !exprs.some((e) => e.usesNow || e.usesDoc) &&
    slots.every((s) => aggregateFunctions[s.name].create(s.infos, s.type as Column["type"]).merge !== undefined);
  const partial: PartialStats | undefined = mergeable
    ? {
        aggregate(rows, rt) {
          const table: GroupTable = new Map();
          for (const row of rows) add(table, row, rt);
          return table;
        },
        merge(tables) {
          // A group in one table only is taken as it is (emitting reads groups, never changes them); one in several
          // is merged into a new group, so the tables stay as they were for other merges.
          const merged: GroupTable = new Map();
          const fresh = new Set<Group>();
          const fold = (into: Group, later: Group) => {
            into.rows += later.rows;
            for (let i = 0; i < slots.length; i++) if (!into.accumulators[i].merge!(later.accumulators[i])) return false;
            return true;
          };
          for (const table of tables) {
            for (const [id, later] of table) {
              let group = merged.get(id);
              if (!group) {
                merged.set(id, later);
                continue;
              }
              if (!fresh.has(group)) {
                const copy = newGroup(group.keys);
                if (!fold(copy, group)) return undefined;
                fresh.add(copy);
                merged.set(id, copy);
                group = copy;
              }
              if (!fold(group, later)) return undefined;
            }
          }
          return merged;
        },
        emit,
      }
    : undefined;
  return { layout: kept.map((e) => e.column), stage, partial };
}

/** A STATS's groups over some rows, by key, in the order the rows first reached them. Opaque outside this file. */
export type GroupTable = Map<string, Group>;

/**
 * A STATS whose aggregates merge exactly: groups built over consecutive runs of rows merge, in row order, into what
 * the STATS would have built over all of them, group order included (the order groups first appear).
 */
export interface PartialStats {
  /** Groups the rows (warnings go to `rt`). */
  aggregate(rows: Iterable<Row>, rt: Runtime): GroupTable;
  /** The groups over the tables' rows in this order, or undefined when an aggregate cannot merge them exactly. */
  merge(tables: readonly GroupTable[]): GroupTable | undefined;
  /** Pushes the groups' output rows to `next`, as the STATS does when its input ends, then finishes `next`. */
  emit(table: GroupTable, rt: Runtime, next: Sink): void;
}

/** Every combination of single key values; a null key stays one null value. */
function crossProduct(cells: Value[]): Value[][] {
  // The common case, every key single-valued: the row is in one group.
  if (!cells.some(Array.isArray)) return [cells];
  let out: Value[][] = [[]];
  for (const cell of cells) {
    const options: Value[] = Array.isArray(cell) ? [...new Set(cell)] : [cell];
    out = out.flatMap((prefix) => options.map((o) => [...prefix, o]));
  }
  return out;
}
