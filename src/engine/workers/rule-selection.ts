/**
 * Inside a worker: whether some rule may select a document, from the same compiled predicates the rule plans use
 * (a KQL rule's query, an ES|QL rule's leading row filter) and the same window-time check. The main thread offers the
 * documents that pass to the real plans, so this only has to let through every document a plan would keep.
 */
import type { Document } from "../../doc/document.ts";
import type { Schema } from "../../doc/schema.ts";
import { compileEsql } from "../../lang/esql/index.ts";
import { compileKql } from "../../lang/kql/index.ts";
import type { Rule } from "../../rules/index.ts";
import { cloudTrailCatalog } from "../catalog.ts";
import { windowTime } from "../schedule.ts";

export type DocumentSelection = (doc: Document) => boolean;

/** The rules must be ones the engine planned. */
export function ruleSelection(rules: Rule[], schema: Schema, index: string): DocumentSelection {
  const tests = rules.map((rule) => {
    const matches = rulePredicate(rule, schema, index);
    return (doc: Document) => matches(doc) && windowTime(doc, rule) !== undefined;
  });
  return (doc) => tests.some((t) => t(doc));
}

function rulePredicate(rule: Rule, schema: Schema, index: string): DocumentSelection {
  if (rule.type === "esql") {
    return compileEsql(rule.query ?? "", cloudTrailCatalog(index, schema)).rowFilter ?? (() => true);
  }
  if ((rule.type === "query" || rule.type === "new_terms") && rule.language === "kuery") {
    return compileKql(rule.query ?? "", schema);
  }
  return () => true;
}
