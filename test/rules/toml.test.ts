import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { basename } from "node:path";
import { test } from "node:test";
import { parseDateMath, parseDuration, parseRuleToml, RuleLoadError } from "../../src/rules/index.ts";
import { awsTomlFiles, census, topLevelTomls } from "./reference.ts";

const MINIMAL = `[rule]
rule_id = "00000000-0000-4000-8000-000000000001"
name = "Test rule"
type = "query"
query = "event.action:GetSecretValue"
`;

test("every CloudTrail rule of the census loads with its effective schedule", () => {
  const rows = census();
  const files = awsTomlFiles();
  assert.equal(rows.length, 203);
  assert.equal(files.size, 203);
  for (const row of rows) {
    const path = files.get(row.file);
    assert.ok(path, `${row.file} is in the reference folder`);
    const rule = parseRuleToml(readFileSync(path, "utf8"), path);
    assert.equal(rule.ruleId, row.rule_id, row.file);
    assert.equal(rule.name, row.name, row.file);
    assert.equal(rule.type, row.type, row.file);
    if (row.language) assert.equal(rule.language, row.language, row.file);
    assert.equal(rule.interval, row.interval_eff, row.file);
    assert.equal(rule.from, row.from_eff, row.file);
    assert.equal(rule.maxSignals, row.max_signals_eff, row.file);
    assert.equal(rule.intervalMs, parseDuration(row.interval_eff), row.file);
    assert.equal(rule.lookbackMs, parseDateMath(row.from_eff), row.file);
    assert.equal(rule.to, "now");
    assert.equal(rule.origin, path);
  }
});

test("the three top-level reference TOMLs load", () => {
  const rules = topLevelTomls.map((path) => parseRuleToml(readFileSync(path, "utf8"), path));
  assert.deepEqual(
    rules.map((r) => [basename(r.origin), r.type, r.interval, r.from]),
    [
      ["initial_access_assume_role_with_web_identity_kubernetes_sa_from_external_asn.toml", "query", "5m", "now-6m"],
      ["initial_access_assume_role_with_web_identity_kubernetes_sa_from_external_asn.v1.toml", "query", "5m", "now-6m"],
      ["lateral_movement_k8_assumed_web_identity_session_with_multi_phase_api_use.toml", "esql", "1h", "now-24h"],
    ],
  );
});

test("rule types trailwatch cannot run still load with their own parameters", () => {
  const files = awsTomlFiles();
  const byType = new Map<string, ReturnType<typeof parseRuleToml>>();
  for (const path of files.values()) {
    const rule = parseRuleToml(readFileSync(path, "utf8"), path);
    if (!byType.has(rule.type)) byType.set(rule.type, rule);
  }
  const ml = byType.get("machine_learning")!;
  assert.equal(ml.query, undefined);
  assert.equal(ml.language, undefined);
  assert.equal(typeof ml.parameters.machine_learning_job_id, "string");
  assert.equal(typeof ml.parameters.anomaly_threshold, "number");
  assert.equal(byType.get("eql")!.language, "eql");
  const newTerms = byType.get("new_terms")!.newTerms as { fields: string[]; historyWindowStart: string };
  assert.ok(newTerms.fields.length >= 1);
  assert.match(newTerms.historyWindowStart, /^now-\d+d$/);
  assert.deepEqual(byType.get("new_terms")!.parameters.new_terms_fields, newTerms.fields);
  assert.equal(byType.get("new_terms")!.parameters.new_terms, undefined);
  const threshold = byType.get("threshold")!.threshold as { field: string[]; value: number };
  assert.ok(Array.isArray(threshold.field) && typeof threshold.value === "number");
});

test("alert suppression, building blocks and investigation fields are carried", () => {
  const files = awsTomlFiles();
  const suppressed = parseRuleToml(
    readFileSync(files.get("credential_access_credentials_in_s3_bucket.toml")!, "utf8"),
    "suppressed.toml",
  );
  assert.deepEqual(suppressed.alertSuppression, {
    group_by: ["source.ip", "cloud.account.id"],
    duration: { value: 5, unit: "m" },
    missing_fields_strategy: "suppress",
  });
  assert.ok(suppressed.investigationFields!.includes("source.ip"));
  const bbr = parseRuleToml(
    readFileSync(files.get("extra/rules_building_block/defense_evasion_aws_rds_snapshot_created.toml")!, "utf8"),
    "bbr.toml",
  );
  assert.equal(bbr.buildingBlockType, "default");
  assert.equal(bbr.parameters.building_block_type, "default");
});

test("defaults are Kibana's", () => {
  const rule = parseRuleToml(MINIMAL, "min.toml");
  assert.equal(rule.interval, "5m");
  assert.equal(rule.from, "now-6m");
  assert.equal(rule.to, "now");
  assert.equal(rule.intervalMs, 300_000);
  assert.equal(rule.lookbackMs, 360_000);
  assert.equal(rule.maxSignals, 100);
  assert.equal(rule.language, "kuery");
  assert.equal(rule.version, 1);
  assert.equal(rule.enabled, true);
  assert.deepEqual([rule.tags, rule.threat, rule.references, rule.falsePositives], [[], [], [], []]);
  assert.deepEqual(
    [rule.parameters.from, rule.parameters.to, rule.parameters.max_signals, rule.parameters.rule_id],
    ["now-6m", "now", 100, "00000000-0000-4000-8000-000000000001"],
  );
  assert.equal(rule.parameters.name, undefined, "name is a rule field, not a parameter");
});

function loadError(text: string, file = "rules/bad.toml"): RuleLoadError {
  try {
    parseRuleToml(text, file);
  } catch (error) {
    assert.ok(error instanceof RuleLoadError, String(error));
    return error;
  }
  assert.fail("expected a RuleLoadError");
}

test("a TOML syntax error reports file, line and column", () => {
  const error = loadError(`[rule]\nrule_id = "x"\nseverity = high\n`);
  assert.equal(error.file, "rules/bad.toml");
  assert.equal(error.line, 3);
  assert.equal(error.column, 12);
  assert.equal(error.message, "rules/bad.toml:3:12: TOML syntax error: invalid value");
  assert.doesNotMatch(error.message, /\n/);
});

test("a bad interval names the field and its line", () => {
  const error = loadError(MINIMAL.replace("[rule]\n", '[rule]\ninterval = "5 minutes"\n'));
  assert.match(error.message, /^rules\/bad\.toml:2: rule\.interval: invalid duration "5 minutes"/);
  assert.equal(error.line, 2);
  const from = loadError(`${MINIMAL}from = "now-1M"\n`);
  assert.match(from.detail, /^rule\.from: invalid date math "now-1M": months/);
  assert.equal(from.line, 6);
  assert.match(loadError(`${MINIMAL}from = "now"\n`).detail, /^rule\.from: "now" must be earlier than to/);
});

test("missing required keys are named", () => {
  for (const key of ["rule_id", "name", "type", "query"]) {
    const text = MINIMAL.split("\n")
      .filter((line) => !line.startsWith(`${key} =`))
      .join("\n");
    assert.match(loadError(text).detail, new RegExp(`^rule\\.${key}: required`), key);
  }
  assert.match(
    loadError(MINIMAL.replace('type = "query"', 'type = "esql"').replace(/query = .*/, 'query = "  "')).detail,
    /^rule\.query: required for esql rules/,
  );
  assert.match(loadError('[metadata]\nmaturity = "production"\n').detail, /no \[rule\] table/);
});

test("wrongly typed values are named", () => {
  assert.match(
    loadError(`${MINIMAL}risk_score = 101\n`).detail,
    /^rule\.risk_score: expected a whole number between 0 and 100/,
  );
  assert.match(loadError(`${MINIMAL}severity = "urgent"\n`).detail, /^rule\.severity: "urgent"/);
  assert.match(loadError(`${MINIMAL}tags = "a"\n`).detail, /^rule\.tags: expected a list of strings/);
  assert.match(loadError(`${MINIMAL}max_signals = 0\n`).detail, /^rule\.max_signals:/);
  const threat = loadError(
    `${MINIMAL}[[rule.threat]]\nframework = "MITRE ATT&CK"\n[rule.threat.tactic]\nid = "TA0001"\n`,
  );
  assert.match(threat.detail, /^rule\.threat\[0\]\.tactic\.name: expected a string/);
  assert.equal(threat.line, 6);
});
