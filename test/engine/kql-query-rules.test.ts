/**
 * Every `type = "query"` (KQL) rule in Elastic's reference set, loaded and run through `scan` over every dataset in
 * ../shared/datasets: no rule fails, warns or is skipped, and the Stratus Red Team detonations (labelled by their
 * file names: one ATT&CK technique per file) raise the rule written for that technique, on the detonation's events.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { before, test } from "node:test";
import { fileURLToPath } from "node:url";
import { type ScanResult, scan } from "../../src/engine/index.ts";
import { createEnricher, loadBundledAsn, loadBundledGeo } from "../../src/enrich/index.ts";
import { loadRules, type Rule } from "../../src/rules/index.ts";
import { referenceDir } from "../rules/reference.ts";

const datasets = fileURLToPath(new URL("../../../shared/datasets/", import.meta.url));
const stratus = join(datasets, "stratus-red-team", "detonation-logs");

/** Stratus technique file → the Elastic rule written for what it detonates. */
const PINNED: [string, string][] = [
  ["aws.defense-evasion.cloudtrail-stop.json", "AWS CloudTrail Log Suspended"],
  ["aws.defense-evasion.cloudtrail-delete.json", "AWS CloudTrail Log Deleted"],
  [
    "aws.defense-evasion.cloudtrail-event-selectors.json",
    "AWS CloudTrail Management Events Disabled via PutEventSelectors",
  ],
  ["aws.defense-evasion.organizations-leave.json", "AWS Attempt to Leave Organization"],
  ["aws.defense-evasion.vpc-remove-flow-logs.json", "AWS VPC Flow Logs Deletion"],
  ["aws.defense-evasion.dns-delete-logs.json", "AWS Route 53 Resolver Query Log Configuration Deleted"],
  ["aws.exfiltration.ec2-share-ami.json", "AWS EC2 AMI Shared with Another Account"],
  ["aws.lateral-movement.ec2-instance-connect.json", "AWS EC2 Instance Connect SSH Public Key Uploaded"],
  ["aws.persistence.iam-create-user-login-profile.json", "AWS IAM Login Profile Added to User"],
  ["aws.persistence.lambda-layer-extension.json", "AWS Lambda Layer Added to Existing Function"],
];

let rules: Rule[] = [];
let result: ScanResult & { skipped: string[] };

before(async () => {
  const loaded = await loadRules([join(referenceDir, "aws")]);
  assert.deepEqual(loaded.errors, []);
  rules = loaded.rules.filter((r) => r.type === "query");
  result = await scan({
    inputs: [datasets],
    rules,
    enricher: createEnricher({ asn: loadBundledAsn(), geo: loadBundledGeo() }),
  });
});

test("all 90 KQL query rules run over every dataset without an error, a warning or a skip", () => {
  assert.equal(rules.length, 90);
  assert.ok(
    rules.every((r) => r.language === "kuery"),
    "query rules are KQL",
  );
  assert.deepEqual(result.skipped, []);
  assert.deepEqual(result.problems, []);
  assert.equal(result.rules.length, rules.length);
  const warned = result.rules.filter((o) => o.warnings.length > 0).map((o) => `${o.rule.name}: ${o.warnings}`);
  assert.deepEqual(warned, []);
  assert.ok(result.stats.records > 10_000, `${result.stats.records} records`);
});

for (const [file, ruleName] of PINNED) {
  test(`${file} raises "${ruleName}" on its own events`, () => {
    const records = JSON.parse(readFileSync(join(stratus, file), "utf8")) as { eventID: string }[];
    const ids = new Set(records.map((r) => r.eventID));
    const hits = result.alerts.filter(
      (a) => a["kibana.alert.rule.name"] === ruleName && ids.has(a["kibana.alert.original_event.id"] as string),
    );
    assert.ok(hits.length > 0, `no "${ruleName}" alert on ${file}`);
  });
}
