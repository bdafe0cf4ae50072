import assert from "node:assert/strict";
import { test } from "node:test";
import { builtinRules, parseKibanaRules, type Rule, RuleLoadError } from "../../src/rules/index.ts";

/** A rule as Kibana's export writes it: the parameters plus the rule-level fields and saved-object bookkeeping. */
function exported(rule: Rule): Record<string, unknown> {
  return {
    id: "3f1c6a2e-0000-4000-8000-000000000000",
    created_at: "2026-05-01T00:00:00.000Z",
    updated_by: "elastic",
    name: rule.name,
    tags: rule.tags,
    interval: rule.interval,
    enabled: false,
    actions: [],
    ...rule.parameters,
  };
}

const SUMMARY = {
  exported_count: 2,
  exported_rules_count: 2,
  missing_rules: [],
  missing_rules_count: 0,
  excluded_action_connection_count: 0,
};

function withoutOrigin(rule: Rule): Omit<Rule, "origin" | "enabled"> {
  const { origin: _origin, enabled: _enabled, ...rest } = rule;
  return rest;
}

test("a Kibana NDJSON export loads to the same rules, skipping the summary line", () => {
  const rules = builtinRules();
  const ndjson = [...rules.map((r) => JSON.stringify(exported(r))), JSON.stringify(SUMMARY), ""].join("\n");
  const loaded = parseKibanaRules(ndjson, "export.ndjson");
  assert.equal(loaded.length, 2);
  for (const [i, rule] of loaded.entries()) {
    assert.equal(rule.origin, "export.ndjson");
    assert.equal(rule.enabled, false);
    assert.deepEqual(withoutOrigin(rule), withoutOrigin(rules[i]));
  }
  assert.equal(loaded[0].parameters.id, undefined, "saved-object fields are not parameters");
});

test("exception lists and connectors in an export are skipped", () => {
  const [rule] = builtinRules();
  const ndjson = [
    JSON.stringify(exported(rule)),
    JSON.stringify({ list_id: "endpoint_list", type: "endpoint", namespace_type: "agnostic" }),
    JSON.stringify({ id: "c1", type: "action", attributes: { actionTypeId: ".slack" } }),
    JSON.stringify({ ...SUMMARY, exported_count: 3 }),
  ].join("\n");
  assert.deepEqual(
    parseKibanaRules(ndjson, "x.ndjson").map((r) => r.ruleId),
    [rule.ruleId],
  );
});

test("a JSON object or array of rules loads", () => {
  const rules = builtinRules();
  assert.equal(parseKibanaRules(JSON.stringify(exported(rules[1]), null, 2), "one.json")[0].ruleId, rules[1].ruleId);
  assert.deepEqual(
    parseKibanaRules(JSON.stringify(rules.map(exported)), "all.json").map((r) => r.query),
    rules.map((r) => r.query),
  );
});

test("Kibana-only schedule forms and new_terms fields are read", () => {
  const rule = parseKibanaRules(
    JSON.stringify({
      rule_id: "nt-1",
      name: "New terms",
      type: "new_terms",
      query: "event.action:*",
      interval: "10m",
      from: "now-660s",
      max_signals: 50,
      new_terms_fields: ["user.name"],
      history_window_start: "now-7d",
      timestamp_override_fallback_disabled: true,
    }),
    "nt.json",
  )[0];
  assert.deepEqual([rule.intervalMs, rule.lookbackMs, rule.maxSignals], [600_000, 660_000, 50]);
  assert.deepEqual(rule.newTerms, { fields: ["user.name"], historyWindowStart: "now-7d" });
  assert.equal(rule.timestampOverrideFallbackDisabled, true);
  assert.equal(rule.language, "kuery");
});

test("a bad line names the line, the rule and the field", () => {
  const [rule] = builtinRules();
  const ndjson = [JSON.stringify(exported(rule)), JSON.stringify({ ...exported(rule), interval: "hourly" })].join("\n");
  assert.throws(
    () => parseKibanaRules(ndjson, "bad.ndjson"),
    (error: unknown) =>
      error instanceof RuleLoadError &&
      error.line === 2 &&
      error.message ===
        `bad.ndjson:2: rule ${rule.ruleId}: interval: invalid duration "hourly": expected a positive whole number followed by s, m, h or d (e.g. "5m")`,
  );
});

test("broken JSON reports line and column", () => {
  const [rule] = builtinRules();
  const ndjson = `${JSON.stringify(exported(rule))}\n{"rule_id": "x",, "name": "y"}\n`;
  assert.throws(
    () => parseKibanaRules(ndjson, "broken.ndjson"),
    (error: unknown) => error instanceof RuleLoadError && error.line === 2 && error.column === 17,
  );
  const pretty = '{\n  "rule_id": "x",\n  "name": "y"\n  "type": "query"\n}';
  assert.throws(
    () => parseKibanaRules(pretty, "pretty.json"),
    (error: unknown) => error instanceof RuleLoadError && error.line === 4 && error.column === 3,
  );
});

test("an export with no rules is an error", () => {
  assert.throws(() => parseKibanaRules(`${JSON.stringify(SUMMARY)}\n`, "empty.ndjson"), /no rules in this export/);
  assert.throws(() => parseKibanaRules("  \n", "blank.ndjson"), /empty file/);
});
