import assert from "node:assert/strict";
import { join } from "node:path";
import { test } from "node:test";
import { scan } from "../../src/engine/index.ts";
import { createEnricher, loadBundledAsn, loadBundledGeo } from "../../src/enrich/index.ts";
import { builtinRules } from "../../src/rules/index.ts";
import { evaluateAlerts } from "../../src/simulate/evaluate.ts";
import { ATTACK_KINDS, RULE_IDS } from "../../src/simulate/index.ts";
import { simulateInto } from "./simulated-archive.ts";

test("scan over a simulated day catches every attack the rules are meant to catch, and only those", async () => {
  const archive = await simulateInto({ start: Date.parse("2026-11-16T00:00:00Z"), hours: 24, accounts: 1, clusters: 1, seed: "detection", attacks: ATTACK_KINDS });
  try {
    const rules = builtinRules();
    const result = await scan({
      inputs: [join(archive.dir, "AWSLogs")],
      rules,
      enricher: createEnricher({ asn: loadBundledAsn(), geo: loadBundledGeo() }),
    });
    assert.deepEqual(result.problems, []);
    const evaluations = evaluateAlerts(result.alerts as unknown as Record<string, unknown>[], archive.result.truth, rules.map((r) => ({ id: r.ruleId, name: r.name })));
    const verdicts = Object.fromEntries(
      evaluations.map((e) => [e.ruleId, Object.fromEntries(e.attacks.map((a) => [a.attack.kind, a.caught]))]),
    );
    assert.deepEqual(verdicts, {
      [RULE_IDS.externalAsn]: { "outside-token-exchange": true, "in-cluster-compromise": false, "ec2-token-replay": false, "slow-attacker": false, "pod-identity": false },
      [RULE_IDS.lateralMovement]: { "outside-token-exchange": false, "in-cluster-compromise": true, "ec2-token-replay": true, "slow-attacker": false, "pod-identity": false },
    });
    for (const e of evaluations) {
      for (const a of e.attacks) assert.ok(a.asExpected, `${e.ruleName}: ${a.attack.kind}`);
      assert.equal(e.unattributed, 0, `${e.ruleName}: alerts matching nothing`);
      for (const b of e.benign) assert.equal(b.alerts > 0, b.expected, `${e.ruleName}: ${b.benign.id}`);
    }
    // One alert per outside exchange (4) from the ASN rule; the lateral rule keys on the attacker's access keys.
    const asnRule = evaluations.find((e) => e.ruleId === RULE_IDS.externalAsn)!;
    assert.equal(asnRule.attacks.find((a) => a.attack.kind === "outside-token-exchange")!.alerts, 4);
    const lateral = evaluations.find((e) => e.ruleId === RULE_IDS.lateralMovement)!;
    assert.ok(lateral.benign.some((b) => b.benign.id.endsWith("/external-secrets") && b.alerts > 0), "external-secrets is the known noisy workload");
  } finally {
    archive.cleanup();
  }
});
