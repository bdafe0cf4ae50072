/** Counts ES|QL syntax features from parse trees, in the categories of the reference esql-census.json. */
import type { EsqlQuery, Expr, StringLiteral } from "../../../src/lang/esql/ast.ts";
import { expressionsOf, walk } from "./rules.ts";

export type Tally = Record<string, [occurrences: number, rules: number]>;

export interface Census {
  commands: Tally;
  functions: Tally;
  operators: Tally;
  misc: Tally;
}

function operatorOf(e: Expr): string | undefined {
  switch (e.kind) {
    case "binary":
      return e.op;
    case "neg":
      return "-";
    case "not":
      return "NOT (prefix)";
    case "in":
      return e.negated ? "NOT IN" : "IN";
    case "like":
      return e.negated ? `NOT ${e.op}` : e.op;
    case "isnull":
      return e.negated ? "IS NOT NULL" : "IS NULL";
    default:
      return undefined;
  }
}

/** String literals anywhere in a query: expression literals, LIKE/RLIKE patterns, GROK/DISSECT patterns. */
function stringLiterals(query: EsqlQuery): { tripleQuoted: boolean }[] {
  const out: { tripleQuoted: boolean }[] = [];
  for (const e of expressionsOf(query))
    walk(e, (x) => {
      if (x.kind === "literal" && typeof x.value === "string") out.push({ tripleQuoted: !!x.tripleQuoted });
      if (x.kind === "like") out.push(...x.patterns);
    });
  for (const c of query.commands) if (c.kind === "GROK" || c.kind === "DISSECT") out.push(c.pattern as StringLiteral);
  return out;
}

export function census(queries: EsqlQuery[]): Census {
  const result: Census = { commands: {}, functions: {}, operators: {}, misc: {} };
  for (const query of queries) {
    const local: Record<keyof Census, Record<string, number>> = {
      commands: {},
      functions: {},
      operators: {},
      misc: {},
    };
    const bump = (kind: keyof Census, key: string, n = 1) => {
      if (n > 0) local[kind][key] = (local[kind][key] ?? 0) + n;
    };
    for (const c of query.commands) {
      bump("commands", c.kind);
      if (c.kind === "FROM" && c.metadata.length > 0)
        bump("misc", `FROM ... METADATA ${c.metadata.map((m) => m.name).join(",")}`);
      if (c.kind === "STATS" && c.groups.length > 0) bump("misc", "STATS ... BY");
      if (c.kind === "SORT") for (const k of c.keys) if (k.order) bump("misc", `SORT ${k.order}`);
      if (c.kind === "GROK")
        for (const m of c.pattern.value.matchAll(/%\{(\w+)/g)) bump("misc", `GROK pattern ${m[1]}`);
    }
    for (const e of expressionsOf(query))
      walk(e, (x) => {
        if (x.kind === "call") bump("functions", x.name);
        const op = operatorOf(x);
        if (op) bump("operators", op);
        if (x.kind === "timespan") bump("misc", `time span literal (${x.unit})`);
        if (x.kind === "column" && x.backquoted) bump("misc", "backquoted identifier");
      });
    bump("misc", "triple-quoted string", stringLiterals(query).filter((s) => s.tripleQuoted).length);
    for (const kind of Object.keys(local) as (keyof Census)[])
      for (const [key, n] of Object.entries(local[kind])) {
        const entry = result[kind][key] ?? [0, 0];
        result[kind][key] = entry;
        entry[0] += n;
        entry[1] += 1;
      }
  }
  return result;
}
