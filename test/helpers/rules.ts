/** Small rules for tests, built on a built-in rule so every field the engine reads is set. */
import { builtinRules, type Rule } from "../../src/rules/index.ts";

const MIN = 60_000;

/** A new-terms rule over `fields` for ListUsers calls: every 5 minutes over 6, history 7 days. */
export function newTermsRule(fields: string[], extra: Partial<Rule> = {}): Rule {
  return {
    ...builtinRules()[0],
    ruleId: "nt-test",
    name: "new terms test",
    type: "new_terms",
    language: "kuery",
    query: 'event.action: "ListUsers"',
    index: ["logs-aws.cloudtrail-*"],
    interval: "5m",
    from: "now-6m",
    intervalMs: 5 * MIN,
    lookbackMs: 6 * MIN,
    maxSignals: 100,
    timestampOverride: undefined,
    newTerms: { fields, historyWindowStart: "now-7d" },
    origin: "test.toml",
    ...extra,
  };
}
