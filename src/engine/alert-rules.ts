/**
 * Higher-order rules: ES|QL rules whose FROM reads the security alerts index run in a second pass over the alerts
 * a scan produced, replaying their schedule on the alerts' own timestamps (an alert's `@timestamp` is the execution
 * that created it). One pass: alerts these rules raise are not fed back to them (the reference higher-order rules
 * exclude each other's alerts by tag anyway).
 */
import type { AlertDocument } from "../alerts/build.ts";
import type { Schema } from "../doc/schema.ts";
import { cloudtrailSchema } from "../ecs/index.ts";
import { QueryError } from "../lang/errors.ts";
import { compileEsql, parseEsql } from "../lang/esql/index.ts";
import type { Rule } from "../rules/index.ts";
import { ALERTS_INDEX, alertDocument, alertsSchema } from "./alerts-index.ts";
import { RuleWarnings } from "./candidate.ts";
import { indicesCatalog, readsIndex } from "./catalog.ts";
import { EsqlRulePlan } from "./esql-rule.ts";

export interface AlertRuleOptions {
  kibanaCompatible?: boolean;
  /** The mapping of the documents the first pass alerted on (default: CloudTrail's). */
  eventSchema?: Schema;
  /** Per rule: how many alerts it read and raised, and what went wrong (a rule that cannot run says why). */
  onOutcome?: (outcome: { rule: Rule; candidates: number; alerts: number; warnings: string[] }) => void;
}

/** Whether a rule is one of these: an ES|QL rule reading the alerts index (and nothing else of ours). */
export function readsAlertsIndex(rule: Rule, eventIndex: string): boolean {
  if (rule.type !== "esql" || !rule.query) return false;
  const sources = fromPatterns(rule.query);
  return readsIndex(sources, ALERTS_INDEX) && !readsIndex(sources, eventIndex);
}

/** The FROM patterns of a query, read from its parse tree (a query that does not parse has none). */
function fromPatterns(query: string): string[] {
  try {
    const first = parseEsql(query).commands[0];
    return first?.kind === "FROM" ? first.sources.map((s) => s.name) : [];
  } catch (err) {
    if (err instanceof QueryError) return [];
    throw err;
  }
}

export function runAlertIndexRules(
  rules: Rule[],
  alerts: AlertDocument[],
  options: AlertRuleOptions = {},
): AlertDocument[] {
  const schema = alertsSchema(options.eventSchema ?? cloudtrailSchema);
  const catalog = indicesCatalog([[ALERTS_INDEX, schema]]);
  const docs = alerts.map((alert) => ({ id: String(alert["kibana.alert.uuid"] ?? ""), doc: alertDocument(alert) }));
  const out: AlertDocument[] = [];
  for (const rule of rules) {
    const warnings = new RuleWarnings();
    let plan: EsqlRulePlan;
    try {
      plan = new EsqlRulePlan(rule, compileEsql(rule.query ?? "", catalog), {
        kibanaCompatible: options.kibanaCompatible ?? false,
        index: ALERTS_INDEX,
      });
    } catch (err) {
      if (!(err instanceof QueryError)) throw err;
      options.onOutcome?.({ rule, candidates: 0, alerts: 0, warnings: [`${err.pretty()}\n  skipped`] });
      continue;
    }
    for (const { id, doc } of docs) plan.offer(doc, id);
    const count = plan.replay((alert) => out.push(alert), warnings);
    options.onOutcome?.({ rule, candidates: plan.candidateCount, alerts: count, warnings: warnings.list() });
  }
  return out;
}
