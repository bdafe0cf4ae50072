/** SORT and LIMIT. */
import type { Command } from "./ast.ts";
import { noteReads, type PlanContext, type Planned } from "./commands.ts";
import { compileExpr, makeScope } from "./expressions.ts";
import type { Column, Row } from "./runtime.ts";
import type { Stage } from "./stage.ts";
import { compareScalars, type Scalar, type Value } from "./values.ts";

export function planSort(ctx: PlanContext, layout: Column[], command: Extract<Command, { kind: "SORT" }>): Planned {
  const keys = command.keys.map((k) => {
    const expr = compileExpr(k.expr, makeScope(ctx.source, layout));
    noteReads(ctx, layout, expr);
    const desc = k.order === "DESC";
    // Nulls sort as the largest value: last ascending, first descending, unless NULLS says otherwise.
    const nullsFirst = k.nulls ? k.nulls === "FIRST" : desc;
    return { expr, desc, nullsFirst };
  });
  const stage: Stage = (rt, next) => {
    const buffer: { row: Row; sortValues: (Scalar | null)[] }[] = [];
    return {
      push(row) {
        buffer.push({
          row,
          sortValues: keys.map((k) => representative(k.expr.eval(row, rt), k.desc, k.expr.type)),
        });
        return true;
      },
      finish() {
        buffer.sort((a, b) => {
          for (let i = 0; i < keys.length; i++) {
            const x = a.sortValues[i];
            const y = b.sortValues[i];
            if (x === y) continue;
            if (x === null) return keys[i].nullsFirst ? -1 : 1;
            if (y === null) return keys[i].nullsFirst ? 1 : -1;
            const c = compareScalars(x, y, keys[i].expr.type);
            if (c !== 0) return keys[i].desc ? -c : c;
          }
          return 0;
        });
        for (const { row } of buffer) if (!next.push(row)) break;
        next.finish();
      },
    };
  };
  return { layout, stage };
}

/** A multivalue sorts by its minimum ascending and by its maximum descending. */
function representative(v: Value, desc: boolean, type: Column["type"]): Scalar | null {
  if (!Array.isArray(v)) return v;
  let best = v[0];
  for (const x of v) if (compareScalars(x, best, type) > 0 === desc && x !== best) best = x;
  return best;
}

export function limitStage(count: number): Stage {
  return (_rt, next) => {
    let left = count;
    let finished = false;
    const finish = () => {
      if (!finished) {
        finished = true;
        next.finish();
      }
    };
    return {
      push(row) {
        if (left <= 0) return false;
        left--;
        const more = next.push(row);
        return more && left > 0;
      },
      finish,
    };
  };
}

export function planLimit(_ctx: PlanContext, layout: Column[], command: Extract<Command, { kind: "LIMIT" }>): Planned {
  return { layout, stage: limitStage(command.count) };
}
