/**
 * The alerts index: its mapping as ES|QL sees it, alerts read back as documents, and the reference higher-order rule
 * run by `runAlertIndexRules` over hand-made alerts that should and should not correlate.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import type { AlertDocument } from "../../src/alerts/build.ts";
import { fieldValues } from "../../src/doc/document.ts";
import { cloudtrailSchema } from "../../src/ecs/index.ts";
import { readsAlertsIndex, runAlertIndexRules } from "../../src/engine/alert-rules.ts";
import { ALERTS_INDEX, alertDocument, alertsSchema } from "../../src/engine/alerts-index.ts";
import { indicesCatalog, readsIndex } from "../../src/engine/catalog.ts";
import { planRules } from "../../src/engine/plans.ts";
import { compileEsql } from "../../src/lang/esql/index.ts";
import { parseRuleToml, type Rule } from "../../src/rules/index.ts";
import { referenceDir } from "../rules/reference.ts";

const HIGHER_ORDER = "credential_access_iam_long_term_access_key_correlated_with_elevated_detection_alerts.toml";
const rule = parseRuleToml(readFileSync(join(referenceDir, "aws", HIGHER_ORDER), "utf8"), HIGHER_ORDER);
const NEW_IP_RULE = "9f8e3c5e-f72e-4e91-93f6-e98a4fae3e4f";
const CLOUDTRAIL = "logs-aws.cloudtrail-default";

let uuid = 0;
/** An event alert as `scan` writes it: the source event's nested fields, kibana.* as flat dotted keys. */
function alert(opts: {
  at: string;
  ruleId: string;
  ip: string;
  severity?: string;
  risk?: number;
  status?: string;
  tags?: string[];
}): AlertDocument {
  const severity = opts.severity ?? "medium";
  return {
    "@timestamp": opts.at,
    event: { kind: "signal", action: "GetCallerIdentity" },
    source: { ip: opts.ip },
    user: { entity: { id: ["arn:aws:iam::111122223333:user/ci"] } },
    aws: { cloudtrail: { user_identity: { access_key_id: "AKIAEXAMPLEEXAMPLE01" } } },
    "kibana.alert.uuid": `alert-${++uuid}`,
    "kibana.alert.workflow_status": opts.status ?? "open",
    "kibana.alert.severity": severity,
    "kibana.alert.risk_score": opts.risk ?? 47,
    "kibana.alert.rule.rule_id": opts.ruleId,
    "kibana.alert.rule.name":
      opts.ruleId === NEW_IP_RULE ? "AWS Long-Term Access Key First Seen from Source IP" : "Other",
    "kibana.alert.rule.type": "query",
    "kibana.alert.rule.tags": opts.tags ?? ["Domain: Cloud"],
  };
}

const IP = "203.0.113.7";
const firstSeen = (at: string, ip = IP) => alert({ at, ruleId: NEW_IP_RULE, ip, severity: "low", risk: 21 });

function run(alerts: AlertDocument[], rules: Rule[] = [rule]) {
  const outcomes: { warnings: string[] }[] = [];
  const out = runAlertIndexRules(rules, alerts, { onOutcome: (o) => outcomes.push(o) });
  for (const o of outcomes) assert.deepEqual(o.warnings, []);
  return out;
}

test("the alerts mapping: risk score a number, severity a keyword, source.ip an ip, no aws.* fields", () => {
  const schema = alertsSchema(cloudtrailSchema);
  assert.equal(schema.field("kibana.alert.risk_score")?.type, "float");
  assert.equal(schema.field("kibana.alert.severity")?.type, "keyword");
  assert.equal(schema.field("kibana.alert.rule.tags")?.type, "keyword");
  assert.equal(schema.field("@timestamp")?.type, "date");
  assert.equal(schema.field("source.ip")?.type, "ip");
  assert.equal(schema.field("event.dataset")?.type, "keyword");
  assert.equal(schema.field("event.dataset")?.constant, undefined);
  assert.equal(schema.field("aws.cloudtrail.user_identity.access_key_id"), undefined);
});

test("alerts read back as nested documents, flat dotted keys and nested fields alike", () => {
  const doc = alertDocument({ ...alert({ at: "2026-11-20T10:00:00Z", ruleId: "x", ip: IP }), "event.kind": "signal" });
  assert.deepEqual(fieldValues(doc, "kibana.alert.rule.rule_id"), ["x"]);
  assert.deepEqual(fieldValues(doc, "event.action"), ["GetCallerIdentity"]);
  assert.equal((doc.kibana as { alert: { severity: string } }).alert.severity, "medium");
});

test("a wildcard reaches the hidden alerts index only when it starts with a dot", () => {
  assert.ok(readsIndex([".alerts-security.*"], ALERTS_INDEX));
  assert.ok(!readsIndex(["*"], ALERTS_INDEX));
  assert.ok(!readsIndex([".alerts-security.*"], CLOUDTRAIL));
  const catalog = indicesCatalog([[ALERTS_INDEX, alertsSchema(cloudtrailSchema)]]);
  assert.throws(
    () => compileEsql("FROM .alerts-security.* | KEEP aws.cloudtrail.user_identity.access_key_id", catalog),
    /Unknown column/,
  );
});

test("the reference higher-order rule is classified for the second pass, not skipped", () => {
  assert.ok(readsAlertsIndex(rule, CLOUDTRAIL));
  const planned = planRules([rule], { schema: cloudtrailSchema, index: CLOUDTRAIL, kibanaCompatible: false });
  assert.deepEqual(planned.alertIndexRules, [rule]);
  assert.deepEqual(planned.warnings, []);
  assert.deepEqual(planned.plans, []);
});

test("first-seen-IP alert plus an elevated alert on the same IP in one window: one correlated alert", () => {
  const out = run([
    firstSeen("2026-11-20T10:00:30Z"),
    alert({ at: "2026-11-20T10:02:00Z", ruleId: "other-high", ip: IP, severity: "high", risk: 73 }),
    alert({ at: "2026-11-20T10:02:30Z", ruleId: "unrelated", ip: "198.51.100.1", severity: "critical", risk: 99 }),
  ]);
  assert.equal(out.length, 1);
  const a = out[0];
  assert.equal(a["kibana.alert.rule.rule_id"], rule.ruleId);
  assert.equal(a["source.ip"], IP);
  assert.equal(a["Esql.alert_count_long_term_key_new_ip_rule"], 1);
  assert.equal(a["Esql.alert_count_other_elevated_rule"], 1);
  assert.deepEqual([a["Esql.kibana_alert_severity_values"]].flat().sort(), ["high", "low"]);
  assert.deepEqual(a["Esql.user_entity_id_values"], "arn:aws:iam::111122223333:user/ci");
});

test("medium severity by name alone counts as elevated, even with a low risk score", () => {
  const out = run([
    firstSeen("2026-11-20T10:00:30Z"),
    alert({ at: "2026-11-20T10:01:00Z", ruleId: "custom", ip: IP, severity: "medium", risk: 10 }),
  ]);
  assert.equal(out.length, 1);
});

const negatives: [string, AlertDocument[]][] = [
  [
    "the other alert is low severity",
    [
      firstSeen("2026-11-20T10:00:30Z"),
      alert({ at: "2026-11-20T10:01:00Z", ruleId: "o", ip: IP, severity: "low", risk: 21 }),
    ],
  ],
  [
    "the other alert is on another IP",
    [
      firstSeen("2026-11-20T10:00:30Z"),
      alert({ at: "2026-11-20T10:01:00Z", ruleId: "o", ip: "198.51.100.1", risk: 73 }),
    ],
  ],
  [
    "the other alert is closed",
    [
      firstSeen("2026-11-20T10:00:30Z"),
      alert({ at: "2026-11-20T10:01:00Z", ruleId: "o", ip: IP, risk: 73, severity: "high", status: "closed" }),
    ],
  ],
  [
    "the other alert comes from a higher-order rule",
    [
      firstSeen("2026-11-20T10:00:30Z"),
      alert({ at: "2026-11-20T10:01:00Z", ruleId: "o", ip: IP, risk: 73, tags: ["Rule Type: Higher-Order Rule"] }),
    ],
  ],
  [
    "the two alerts are further apart than the rule's 6-minute look-back",
    [firstSeen("2026-11-20T10:00:30Z"), alert({ at: "2026-11-20T10:20:00Z", ruleId: "o", ip: IP, risk: 73 })],
  ],
  ["only the first-seen-IP alert", [firstSeen("2026-11-20T10:00:30Z"), firstSeen("2026-11-20T10:01:30Z")]],
];

for (const [name, alerts] of negatives) {
  test(`no correlation when ${name}`, () => {
    assert.deepEqual(run(alerts), []);
  });
}
