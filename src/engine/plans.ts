/**
 * Turns loaded rules into runnable plans: KQL query rules into event plans, KQL new terms rules into new terms plans,
 * ES|QL rules into ES|QL plans. A rule whose query does not parse is a configuration error (reported with its file,
 * line and column); a rule that fails verification here (fields or indices other than CloudTrail's) or of a type
 * trailwatch does not run yet is skipped with a warning.
 */
import type { Schema } from "../doc/schema.ts";
import { QueryError } from "../lang/errors.ts";
import { compileEsql } from "../lang/esql/index.ts";
import { compileKql } from "../lang/kql/index.ts";
import type { Rule } from "../rules/index.ts";
import { readsAlertsIndex } from "./alert-rules.ts";
import { cloudTrailCatalog, readsIndex } from "./catalog.ts";
import { EsqlRulePlan } from "./esql-rule.ts";
import { EventRulePlan } from "./event-rule.ts";
import { indexPatternMatches } from "./index-patterns.ts";
import { NewTermsRulePlan, planNewTermsRule } from "./new-terms-rule.ts";

export type RulePlan = EventRulePlan | EsqlRulePlan | NewTermsRulePlan;

export interface PlanOptions {
  schema: Schema;
  /** The index our documents live in, e.g. `logs-aws.cloudtrail-default`. */
  index: string;
  kibanaCompatible: boolean;
}

export interface PlanResult {
  plans: RulePlan[];
  /** Higher-order rules: they read the alerts index, so they run over the scan's alerts (`runAlertIndexRules`). */
  alertIndexRules: Rule[];
  errors: string[];
  warnings: string[];
}

export function planRules(rules: Rule[], options: PlanOptions): PlanResult {
  const result: PlanResult = { plans: [], alertIndexRules: [], errors: [], warnings: [] };
  for (const rule of rules) {
    const label = `${rule.origin}: rule "${rule.name}"`;
    if (rule.enabled && readsAlertsIndex(rule, options.index)) {
      result.alertIndexRules.push(rule);
      continue;
    }
    try {
      const plan = planRule(rule, options);
      if (typeof plan === "string") result.warnings.push(`${label}: ${plan}; skipped`);
      else result.plans.push(plan);
    } catch (err) {
      if (!(err instanceof QueryError)) throw err;
      // A query that does not parse is the user's mistake; one that reads indices or fields trailwatch does not
      // have (another data source, the alerts index) cannot run here, so it is skipped and the rest still run.
      if (err.kind === "parse") result.errors.push(`${label}: ${err.pretty()}`);
      else result.warnings.push(`${label}: ${err.pretty()}\n  skipped`);
    }
  }
  return result;
}

function planRule(rule: Rule, options: PlanOptions): RulePlan | string {
  if (!rule.enabled) return "disabled";
  if ((rule.type === "query" || rule.type === "new_terms") && rule.language === "kuery") {
    if (rule.index && !indexPatternMatches(rule.index, options.index)) {
      return `reads ${rule.index.join(", ")}, which holds no CloudTrail`;
    }
    const matches = compileKql(rule.query ?? "", options.schema);
    if (rule.type === "new_terms") return planNewTermsRule(rule, matches, options.schema, options.index);
    return new EventRulePlan(rule, matches, options.index);
  }
  if (rule.type === "esql") {
    const query = compileEsql(rule.query ?? "", cloudTrailCatalog(options.index, options.schema));
    if (!readsIndex(query.sources, options.index)) {
      return `reads ${query.sources.join(", ")}, which holds no CloudTrail`;
    }
    return new EsqlRulePlan(rule, query, { kibanaCompatible: options.kibanaCompatible, index: options.index });
  }
  return `${rule.type} rules${rule.language ? ` (${rule.language})` : ""} are not supported yet`;
}
