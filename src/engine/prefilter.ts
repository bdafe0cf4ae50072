/**
 * Select before parsing: from the rules that run, one test on a record's raw text that every record any rule could
 * select passes. Records failing it are never parsed or normalized. When some rule's selection cannot be derived
 * (a negation or wildcard at the top, a field trailwatch derives rather than copies), there is no test and every
 * record is parsed.
 */
import type { Schema } from "../doc/schema.ts";
import type { Rule } from "../rules/index.ts";
import type { RecordScreen } from "./select/file-screen.ts";
import { esqlRequirement, kqlRequirement } from "./select/query-requirement.ts";
import { rawNeedles } from "./select/raw-needles.ts";
import { RareNeedle } from "./select/rare-needle.ts";
import { compileRawRangeTest } from "./select/raw-range-test.ts";
import { compileRawTest, type RawTest } from "./select/raw-test.ts";
import { anyOf, type Requirement } from "./select/requirement.ts";

export type { RecordScreen } from "./select/file-screen.ts";
export type { RawTest } from "./select/raw-test.ts";

/** The rules must be ones the engine planned (their queries parse). */
export function recordPrefilter(rules: Rule[], schema: Schema): RawTest | undefined {
  return compileRawTest(rulesRequirement(rules, schema));
}

/** The pre-filter with the needles that let whole files be screened before decoding (see select/file-screen.ts). */
export function recordScreen(rules: Rule[], schema: Schema): (RecordScreen & { test: RawTest }) | undefined {
  const requirement = rulesRequirement(rules, schema);
  const test = compileRawTest(requirement);
  const rangeTest = compileRawRangeTest(requirement);
  const needles = rawNeedles(requirement);
  return test && rangeTest && needles ? { test, rangeTest, needles: needles.map((n) => new RareNeedle(n)) } : undefined;
}

function rulesRequirement(rules: Rule[], schema: Schema): Requirement | undefined {
  return rules.length === 0 ? undefined : anyOf(rules.map((rule) => ruleRequirement(rule, schema)));
}

function ruleRequirement(rule: Rule, schema: Schema): Requirement | undefined {
  // A new terms rule selects only documents its KQL query matches.
  if ((rule.type === "query" || rule.type === "new_terms") && rule.language === "kuery") {
    return kqlRequirement(rule.query ?? "", schema);
  }
  if (rule.type === "esql") return esqlRequirement(rule.query ?? "");
  return undefined;
}
