/**
 * Derives a rule's Requirement from its query: KQL through the language's own analysis, ES|QL from the WHERE
 * commands that directly follow FROM (before any command could rename or compute a column, so their columns are
 * document fields). Only equality on exact values is used: `f == "v"`, `"v" == f`, `f IN ("a", "b")`, combined with
 * AND / OR; anything else (NOT, LIKE, ranges, functions) contributes nothing, which weakens an AND and voids an OR.
 */
import type { Schema } from "../../doc/schema.ts";
import type { Command, Expr } from "../../lang/esql/ast.ts";
import { parseEsql } from "../../lang/esql/index.ts";
import { kqlRequiredValues, parseKql } from "../../lang/kql/index.ts";
import { allOf, anyOf, type Requirement } from "./requirement.ts";

export function kqlRequirement(query: string, schema: Schema): Requirement | undefined {
  const values = kqlRequiredValues(parseKql(query), schema);
  if (!values) return undefined;
  return allOf([...values].map(([field, vals]) => ({ kind: "values", field, values: vals })));
}

export function esqlRequirement(query: string): Requirement | undefined {
  const commands: Command[] = parseEsql(query).commands;
  if (commands[0]?.kind !== "FROM") return undefined;
  const leading: Requirement[] = [];
  for (const command of commands.slice(1)) {
    if (command.kind !== "WHERE") break;
    const req = conditionRequirement(command.condition);
    if (req) leading.push(req);
  }
  return allOf(leading);
}

function conditionRequirement(expr: Expr): Requirement | undefined {
  switch (expr.kind) {
    case "binary":
      if (expr.op === "AND") return allOf([conditionRequirement(expr.left), conditionRequirement(expr.right)]);
      if (expr.op === "OR") return anyOf([conditionRequirement(expr.left), conditionRequirement(expr.right)]);
      if (expr.op === "==") return equality(expr.left, [expr.right]) ?? equality(expr.right, [expr.left]);
      return undefined;
    case "in":
      return expr.negated ? undefined : equality(expr.value, expr.list);
    default:
      return undefined;
  }
}

function equality(column: Expr, literals: Expr[]): Requirement | undefined {
  if (column.kind !== "column") return undefined;
  const values: string[] = [];
  for (const literal of literals) {
    if (literal.kind !== "literal" || typeof literal.value !== "string") return undefined;
    values.push(literal.value);
  }
  return { kind: "values", field: column.name, values };
}
