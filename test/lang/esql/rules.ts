/** The ES|QL rules of the reference detection-rules folder, and a permissive catalog that maps every field they name. */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "smol-toml";
import { type FieldSpec, mapSchema } from "../../../src/doc/schema.ts";
import type { Expr } from "../../../src/lang/esql/ast.ts";
import { type Catalog, type EsqlQuery, parseEsql } from "../../../src/lang/esql/index.ts";

export const RULES_DIR = fileURLToPath(
  new URL("../../../../shared/reference/elastic-detection-rules/aws/", import.meta.url),
);

function tomlFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return tomlFiles(path);
    return name.endsWith(".toml") ? [path] : [];
  });
}

export interface EsqlRule {
  file: string;
  query: string;
}

/** Every ES|QL rule under aws/ (including aws/extra/**), named by its path relative to aws/. */
export function esqlRules(): EsqlRule[] {
  return tomlFiles(RULES_DIR)
    .map((path) => ({
      path,
      rule: (parse(readFileSync(path, "utf8")) as { rule: { language?: string; query?: string } }).rule,
    }))
    .filter(({ rule }) => rule.language === "esql")
    .map(({ path, rule }) => ({ file: relative(RULES_DIR, path), query: rule.query! }))
    .sort((a, b) => (a.file < b.file ? -1 : 1));
}

/** Walks an expression tree. */
export function walk(expr: Expr, visit: (e: Expr) => void): void {
  visit(expr);
  switch (expr.kind) {
    case "call":
      for (const a of expr.args) walk(a, visit);
      break;
    case "neg":
    case "not":
    case "isnull":
    case "cast":
      walk(expr.operand, visit);
      break;
    case "binary":
      walk(expr.left, visit);
      walk(expr.right, visit);
      break;
    case "in":
      walk(expr.value, visit);
      for (const a of expr.list) walk(a, visit);
      break;
    case "like":
      walk(expr.value, visit);
      break;
  }
}

/** Every expression of a query, command by command. */
export function expressionsOf(query: EsqlQuery): Expr[] {
  const out: Expr[] = [];
  for (const c of query.commands) {
    switch (c.kind) {
      case "WHERE":
        out.push(c.condition);
        break;
      case "EVAL":
      case "ROW":
        out.push(...c.fields.map((f) => f.expr));
        break;
      case "STATS":
        for (const a of c.aggregates) {
          out.push(a.expr);
          if (a.filter) out.push(a.filter);
        }
        out.push(...c.groups.map((g) => g.expr));
        break;
      case "SORT":
        out.push(...c.keys.map((k) => k.expr));
        break;
      case "GROK":
      case "DISSECT":
        out.push(c.input);
        break;
    }
  }
  return out;
}

const DATE_FIELDS = /(^@timestamp$|^event\.ingested$|creation_date$)/;
const LONG_FIELDS = /(^source\.as\.number$|^kibana\.alert\.risk_score$|^process\.pid$)/;

/** A catalog that maps every source field the rules name (as keyword, or date/ip/long where ECS says so). */
export function permissiveCatalog(rules: EsqlRule[]): Catalog {
  const specs: Record<string, FieldSpec> = {};
  const assigned = new Set<string>();
  for (const { query } of rules) {
    const parsed = parseEsql(query);
    for (const c of parsed.commands) {
      if (c.kind === "EVAL") for (const f of c.fields) assigned.add(f.name);
      if (c.kind === "STATS")
        for (const f of [...c.aggregates, ...c.groups]) if (f.expr.kind !== "column") assigned.add(f.name);
    }
    const names: string[] = [];
    for (const e of expressionsOf(parsed)) walk(e, (x) => x.kind === "column" && names.push(x.name));
    for (const c of parsed.commands)
      if (c.kind === "KEEP") names.push(...c.patterns.map((p) => p.name).filter((n) => !n.includes("*")));
    for (const name of names) {
      if (name.startsWith("Esql") || name.startsWith("_")) continue;
      specs[name] = {
        type: DATE_FIELDS.test(name)
          ? "date"
          : name === "source.ip"
            ? "ip"
            : LONG_FIELDS.test(name)
              ? "long"
              : "keyword",
      };
    }
  }
  // Names only ever assigned by the queries (EVAL outputs, GROK captures) are not source fields.
  for (const name of assigned) if (!(name in specs)) delete specs[name];
  const schema = mapSchema(specs);
  return { resolve: () => schema };
}
