/**
 * Higher-order rules in a scan: a rule reading `.alerts-security.*` runs over the alerts the first pass raised, as
 * Elastic's reference correlation rule does over Kibana's alerts index.
 */
import assert from "node:assert/strict";
import { resolve } from "node:path";
import { test } from "node:test";
import { scan } from "../../src/engine/index.ts";
import { createEnricher, loadBundledAsn } from "../../src/enrich/index.ts";
import { builtinRules, loadRules, type Rule } from "../../src/rules/index.ts";
import { assumedRoleCall, OUTSIDE_IP, webIdentityAssume, writeArchive } from "../helpers/cloudtrail.ts";

const HIGHER_ORDER = resolve(
  import.meta.dirname,
  "../../../shared/reference/elastic-detection-rules/aws/credential_access_iam_long_term_access_key_correlated_with_elevated_detection_alerts.toml",
);
const FIRST_SEEN_ID = "9f8e3c5e-f72e-4e91-93f6-e98a4fae3e4f";
const enricher = createEnricher({ asn: loadBundledAsn() });

/** A stand-in for the sibling rule the correlation names: low severity, alerting on GetCallerIdentity. */
function firstSeenStandIn(): Rule {
  const base = builtinRules().find((r) => r.language === "kuery");
  assert.ok(base);
  return {
    ...base,
    ruleId: FIRST_SEEN_ID,
    name: "First seen (stand-in)",
    query: 'event.action: "GetCallerIdentity"',
    severity: "low",
    riskScore: 21,
    tags: [],
  };
}

async function run(records: ReturnType<typeof webIdentityAssume>[]) {
  const loaded = await loadRules([HIGHER_ORDER]);
  assert.deepEqual(loaded.errors, []);
  const external = builtinRules().filter((r) => r.language === "kuery");
  const rules = [...external, firstSeenStandIn(), ...loaded.rules];
  const result = await scan({ inputs: [writeArchive([records])], rules, enricher });
  const correlated = result.alerts.filter((a) => a["kibana.alert.rule.name"] === loaded.rules[0].name);
  return { result, correlated };
}

test("the correlation fires when the sibling rule and a high alert share a source IP", async () => {
  const { result, correlated } = await run([
    webIdentityAssume({ at: "2026-11-20T10:00:10Z", ip: OUTSIDE_IP }),
    assumedRoleCall({ at: "2026-11-20T10:01:00Z", action: "GetCallerIdentity", ip: OUTSIDE_IP }),
  ]);
  assert.equal(correlated.length, 1);
  assert.equal(correlated[0]["source.ip"], OUTSIDE_IP);
  assert.equal(correlated[0]["Esql.alert_count_long_term_key_new_ip_rule"], 1);
  assert.equal(correlated[0]["Esql.alert_count_other_elevated_rule"], 1);
  const outcome = result.rules.find((o) => o.rule.ruleId === correlated[0]["kibana.alert.rule.rule_id"]);
  assert.equal(outcome?.alerts, 1);
});

test("no correlation when the sibling's alert comes from another address", async () => {
  const { correlated } = await run([
    webIdentityAssume({ at: "2026-11-20T10:00:10Z", ip: OUTSIDE_IP }),
    assumedRoleCall({ at: "2026-11-20T10:01:00Z", action: "GetCallerIdentity", ip: "198.51.100.7" }),
  ]);
  assert.deepEqual(correlated, []);
});
