/**
 * Select before parsing: from the rules that run, one test on a record's raw text that every record any rule could
 * select passes. Records failing it are never parsed or normalized. When some rule's selection cannot be derived
 * (a negation or wildcard at the top, a field trailwatch derives rather than copies), there is no test and every
 * record is parsed.
 */
import type { Schema } from "../doc/schema.ts";
import type { Rule } from "../rules/index.ts";
import { esqlRequirement, kqlRequirement } from "./select/query-requirement.ts";
import { compileRawTest, type RawTest } from "./select/raw-test.ts";
import { anyOf, type Requirement } from "./select/requirement.ts";

export type { RawTest } from "./select/raw-test.ts";

/** The rules must be ones the engine planned (their queries parse). */
export function recordPrefilter(rules: Rule[], schema: Schema): RawTest | undefined {
  if (rules.length === 0) return undefined;
  return compileRawTest(anyOf(rules.map((rule) => ruleRequirement(rule, schema))));
}

function ruleRequirement(rule: Rule, schema: Schema): Requirement | undefined {
  if (rule.type === "query" && rule.language === "kuery") return kqlRequirement(rule.query ?? "", schema);
  if (rule.type === "esql") return esqlRequirement(rule.query ?? "");
  return undefined;
}
