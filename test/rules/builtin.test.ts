import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { parse } from "smol-toml";
import { builtinRules, type Rule } from "../../src/rules/index.ts";
import { referenceDir } from "./reference.ts";

const ESQL_ID = "a1b2c3d4-e5f6-4789-a0b1-c2d3e4f5a6b7";
const KQL_ID = "ae32268b-bfd0-4c35-b002-13461b5830ca";

type ReferenceRule = Record<string, unknown> & { threat: unknown; investigation_fields: { field_names: string[] } };

function reference(file: string): ReferenceRule {
  // smol-toml tables have a null prototype; compare as plain JSON.
  return JSON.parse(JSON.stringify(parse(readFileSync(join(referenceDir, file), "utf8")))).rule;
}

function builtin(id: string): Rule {
  const rule = builtinRules().find((r) => r.ruleId === id);
  assert.ok(rule, id);
  return rule;
}

const esqlReference = reference("lateral_movement_k8_assumed_web_identity_session_with_multi_phase_api_use.toml");
const kqlV1Reference = reference(
  "initial_access_assume_role_with_web_identity_kubernetes_sa_from_external_asn.v1.toml",
);

test("the built-in rules are Elastic's two IRSA rules, in a stable order", () => {
  assert.deepEqual(
    builtinRules().map((r) => [r.ruleId, r.type, r.language, r.version, r.origin]),
    [
      [
        ESQL_ID,
        "esql",
        "esql",
        1,
        "built-in:lateral_movement_k8_assumed_web_identity_session_with_multi_phase_api_use",
      ],
      [
        KQL_ID,
        "query",
        "kuery",
        1,
        "built-in:initial_access_assume_role_with_web_identity_kubernetes_sa_from_external_asn",
      ],
    ],
  );
});

test("the ES|QL query is byte for byte the reference query, comment line included", () => {
  const rule = builtin(ESQL_ID);
  assert.equal(rule.query, esqlReference.query);
  assert.match(rule.query!, /\n {2}\/\/ S3 PutObject\/GetObject is too {2}common in legit pod SA behavior \n/);
});

test("the KQL query is the version-1 query of the seed page", () => {
  const rule = builtin(KQL_ID);
  assert.equal(rule.query, kqlV1Reference.query);
  const seed = readFileSync(new URL("../../../shared/seeds/001_2af1b2772cb4e3b3.txt", import.meta.url), "utf8");
  const collapse = (s: string) => s.replace(/\s+/g, " ").trim();
  assert.ok(seed.includes(collapse(rule.query!)), "the seed page shows the same query");
  assert.doesNotMatch(rule.query!, /aws-load-balancer-controller/, "not the version-2 query");
});

for (const [id, ref] of [
  [ESQL_ID, esqlReference],
  [KQL_ID, kqlV1Reference],
] as const) {
  test(`built-in ${id} carries Elastic's metadata`, () => {
    const rule = builtin(id);
    assert.equal(rule.name, ref.name);
    assert.equal(rule.description, ref.description);
    assert.equal(rule.interval, ref.interval);
    assert.equal(rule.from, ref.from);
    assert.equal(rule.maxSignals, 100);
    assert.equal(rule.severity, ref.severity);
    assert.equal(rule.riskScore, ref.risk_score);
    assert.deepEqual(rule.tags, ref.tags);
    assert.deepEqual(rule.threat, ref.threat);
    assert.deepEqual(rule.references, ref.references);
    assert.deepEqual(rule.investigationFields, ref.investigation_fields.field_names);
    assert.deepEqual(rule.index, ref.index);
    assert.equal(rule.timestampOverride, "event.ingested");
    assert.deepEqual(rule.author, ["Elastic"]);
    assert.equal(rule.license, "Elastic License v2");
    assert.equal(rule.falsePositives.length, 1);
    assert.equal(rule.enabled, true);
    assert.ok(rule.note?.startsWith("## Triage and analysis\n"));
    assert.notEqual(rule.note, ref.note, "the investigation guide is written by us");
  });
}

test("the schedules are 1h over 24h and 5m over 6m", () => {
  assert.deepEqual(
    [builtin(ESQL_ID), builtin(KQL_ID)].map((r) => [r.intervalMs, r.lookbackMs]),
    [
      [3_600_000, 86_400_000],
      [300_000, 360_000],
    ],
  );
  assert.equal(builtin(ESQL_ID).index, undefined, "ES|QL rules take their indices from FROM");
});

test("the ATT&CK mapping matches the seed pages", () => {
  const ids = (rule: Rule) =>
    rule.threat.flatMap((t) => [
      t.tactic.id,
      ...(t.technique ?? []).flatMap((tech) => [tech.id, ...(tech.subtechnique ?? []).map((s) => s.id)]),
    ]);
  assert.deepEqual(ids(builtin(ESQL_ID)), [
    "TA0008",
    "T1550",
    "T1550.001",
    "T1021",
    "T1021.007",
    "TA0007",
    "T1526",
    "TA0006",
    "T1555",
    "T1555.006",
  ]);
  assert.deepEqual(ids(builtin(KQL_ID)), ["TA0001", "T1078", "T1078.004"]);
});

test("the ES|QL guide names the columns the query really emits", () => {
  const note = builtin(ESQL_ID).note!;
  const emitted = [...String(esqlReference.query).matchAll(/(Esql\.\w+) =/g)].map((m) => m[1]);
  const named = new Set([...note.matchAll(/`(Esql\.\w+)`/g)].map((m) => m[1]));
  const nonexistent = ["Esql.source_asn_names", "Esql.user_agent_values"];
  for (const column of named) {
    assert.ok(emitted.includes(column) || nonexistent.includes(column), `${column} is a query column`);
  }
  for (const column of [
    "Esql.source_as_organization_name_values",
    "Esql.user_agent_original_values",
    "Esql.first_seen",
  ]) {
    assert.ok(named.has(column), column);
  }
  assert.match(note, /`Esql\.source_asn_names` and `Esql\.user_agent_values`\. The query emits no\s+such columns/);
  assert.match(note, /aws\.cloudtrail\.user_identity\.access_key_id/);
  assert.match(note, /Kubernetes audit logs/);
});

test("the KQL guide covers the triage steps", () => {
  const note = builtin(KQL_ID).note!;
  for (const topic of [
    /`event\.outcome` is `success`/,
    /source\.as\.organization\.name/,
    /proxies/,
    /VPN/,
    /audit logs/,
    /Response and remediation/,
  ]) {
    assert.match(note, topic);
  }
});

test("builtinRules returns fresh rules", () => {
  const first = builtinRules();
  first[0].tags.push("changed");
  assert.ok(!builtinRules()[0].tags.includes("changed"));
});
