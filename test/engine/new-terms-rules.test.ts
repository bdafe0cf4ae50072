/**
 * Every `type = "new_terms"` rule in Elastic's reference set, loaded and run through `scan` over every dataset in
 * ../shared/datasets: all are planned, none warns, and each alert names as many new terms as its rule has fields.
 * `watch` runs them too.
 */
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { before, test } from "node:test";
import { fileURLToPath } from "node:url";
import { type ScanResult, scan } from "../../src/engine/index.ts";
import { createEnricher, loadBundledAsn, loadBundledGeo } from "../../src/enrich/index.ts";
import { loadRules, type Rule } from "../../src/rules/index.ts";
import { runCli } from "../helpers/run-cli.ts";
import { referenceDir } from "../rules/reference.ts";

const datasets = fileURLToPath(new URL("../../../shared/datasets/", import.meta.url));

let rules: Rule[] = [];
let result: ScanResult & { skipped: string[] };

before(async () => {
  const loaded = await loadRules([join(referenceDir, "aws")]);
  assert.deepEqual(loaded.errors, []);
  rules = loaded.rules.filter((r) => r.type === "new_terms");
  result = await scan({
    inputs: [datasets],
    rules,
    enricher: createEnricher({ asn: loadBundledAsn(), geo: loadBundledGeo() }),
  });
});

test("all 49 new terms rules run over every dataset without a skip or a warning", () => {
  assert.equal(rules.length, 49);
  assert.deepEqual(result.skipped, []);
  assert.equal(result.rules.length, rules.length);
  const warned = result.rules.filter((o) => o.warnings.length > 0).map((o) => `${o.rule.name}: ${o.warnings}`);
  assert.deepEqual(warned, []);
  // The only problems are the datasets' own pipeline failures (records that fail Elastic's pipeline too).
  assert.deepEqual(
    result.problems.filter((p) => !/in pipeline 'logs-aws\.cloudtrail/.test(p.message)),
    [],
  );
  assert.ok(result.stats.records > 10_000, `${result.stats.records} records`);
});

test("the datasets raise new terms alerts, each naming one value per new_terms field, each id once", () => {
  const fieldCount = new Map(rules.map((r) => [r.name, (r.newTerms as { fields: string[] }).fields.length]));
  assert.ok(result.alerts.length > 10, `${result.alerts.length} alerts`);
  for (const alert of result.alerts) {
    const terms = alert["kibana.alert.new_terms"];
    assert.ok(Array.isArray(terms), "kibana.alert.new_terms is a list");
    assert.equal(terms.length, fieldCount.get(String(alert["kibana.alert.rule.name"])));
  }
  assert.equal(new Set(result.alerts.map((a) => a["kibana.alert.uuid"])).size, result.alerts.length);
  const perRule = result.rules.reduce((n, o) => n + o.alerts, 0);
  assert.equal(perRule, result.alerts.length);
});

test("two worker threads raise the same new terms alerts as one", async () => {
  const two = await scan({
    inputs: [datasets],
    rules,
    enricher: createEnricher({ asn: loadBundledAsn(), geo: loadBundledGeo() }),
    enrichment: {},
    workers: 2,
  });
  assert.deepEqual(two.alerts, result.alerts);
  assert.deepEqual(
    two.rules.map((o) => [o.rule.ruleId, o.candidates, o.alerts]),
    result.rules.map((o) => [o.rule.ruleId, o.candidates, o.alerts]),
  );
});

test("watch runs new terms rules beside the others", (t) => {
  const work = mkdtempSync(join(tmpdir(), "tw-new-terms-watch-"));
  t.after(() => rmSync(work, { recursive: true, force: true }));
  mkdirSync(join(work, "in"));
  const aws = join(referenceDir, "aws");
  const newTerms = rules[0];
  const query = "collection_cloudtrail_logging_created.toml";
  const options = ["--once", "--state", join(work, "s"), "--rules", newTerms.origin, "--rules", join(aws, query)];
  const run = runCli(["watch", join(work, "in"), ...options]);
  assert.equal(run.code, 0, run.stderr);
  assert.doesNotMatch(run.stderr, /skipped/);
  assert.match(run.stderr, /with 2 rule\(s\)/);
});
