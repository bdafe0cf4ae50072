/**
 * `npm run detection-report`: simulates a week of an EKS estate with every labelled attack, runs the built-in rules
 * over it with `scan` exactly as `trailwatch scan` does, and prints per rule which attacks were caught or missed (and
 * why), and which benign workloads raised alerts. Exit code 1 when a result differs from the ground truth's
 * expectations.
 *
 *   npm run detection-report [-- --hours 168 --clusters 2 --seed trailwatch]
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { scan } from "../src/engine/index.ts";
import { createEnricher, loadBundledAsn, loadBundledGeo } from "../src/enrich/index.ts";
import { builtinRules } from "../src/rules/index.ts";
import { evaluateAlerts, type RuleEvaluation } from "../src/simulate/evaluate.ts";
import { ATTACK_KINDS, DEFAULT_START, simulate } from "../src/simulate/index.ts";

const { values } = parseArgs({
  options: {
    hours: { type: "string", default: "168" },
    accounts: { type: "string", default: "1" },
    clusters: { type: "string", default: "2" },
    seed: { type: "string", default: "trailwatch" },
    start: { type: "string", default: DEFAULT_START },
  },
});

const out = mkdtempSync(join(tmpdir(), "tw-detection-report-"));
try {
  const t0 = performance.now();
  const sim = await simulate({
    out,
    start: Date.parse(values.start),
    hours: Number(values.hours),
    accounts: Number(values.accounts),
    clusters: Number(values.clusters),
    seed: values.seed,
    attacks: ATTACK_KINDS,
  });
  const simSeconds = (performance.now() - t0) / 1000;
  const rules = builtinRules();
  const t1 = performance.now();
  const result = await scan({
    inputs: [join(out, "AWSLogs")],
    rules,
    enricher: createEnricher({ asn: loadBundledAsn(), geo: loadBundledGeo() }),
    onProblem: (p) => process.stderr.write(`detection-report: ${p.origin}: ${p.message}\n`),
  });
  const scanSeconds = (performance.now() - t1) / 1000;
  const evaluations = evaluateAlerts(
    result.alerts as unknown as Record<string, unknown>[],
    sim.truth,
    rules.map((r) => ({ id: r.ruleId, name: r.name })),
  );

  const lines = [
    "trailwatch detection report: the built-in rules over a simulated EKS estate",
    `simulated ${sim.truth.start} → ${sim.truth.end}: ${sim.truth.accounts.length} account(s), ${sim.truth.clusters.length} cluster(s), seed "${sim.truth.seed}"`,
    `  ${sim.records} records in ${sim.files} files, generated in ${simSeconds.toFixed(1)}s (${Math.round(sim.records / simSeconds)} records/s)`,
    `  scan: ${result.stats.records} records in ${scanSeconds.toFixed(1)}s, ${result.alerts.length} alert(s)`,
    "",
  ];
  let surprises = 0;
  for (const e of evaluations) surprises += report(e, lines);
  lines.push(surprises ? `${surprises} result(s) differ from the ground truth's expectations.` : "Every result matches the ground truth's expectations.");
  process.stdout.write(`${lines.join("\n")}\n`);
  process.exitCode = surprises ? 1 : 0;
} finally {
  rmSync(out, { recursive: true, force: true });
}

function report(e: RuleEvaluation, lines: string[]): number {
  let surprises = 0;
  lines.push(`${e.ruleName} (${e.ruleId}): ${e.alerts} alert(s)`);
  lines.push("  attacks:");
  for (const a of e.attacks) {
    const verdict = a.caught ? "caught" : "missed";
    const mark = a.asExpected ? "" : "  << UNEXPECTED";
    if (!a.asExpected) surprises++;
    lines.push(`    ${verdict.padEnd(7)}${a.attack.id.padEnd(24)}${String(a.alerts).padStart(5)} alert(s)${mark}`);
    if (a.expectation) lines.push(`           why: ${a.expectation.why}`);
  }
  lines.push("  benign workloads raising alerts:");
  const noisy = e.benign.filter((b) => b.alerts > 0 || b.expected);
  if (!noisy.length) lines.push("    none");
  for (const b of noisy) {
    const mark = b.expected === b.alerts > 0 ? "" : "  << UNEXPECTED";
    if (mark) surprises++;
    lines.push(`    ${b.benign.id.padEnd(31)}${String(b.alerts).padStart(5)} alert(s)${mark}`);
    const why = b.benign.expectedAlerts.find((x) => x.ruleId === e.ruleId)?.why;
    if (why) lines.push(`           why: ${why}`);
  }
  if (e.unattributed) {
    surprises++;
    lines.push(`  alerts matching nothing in the ground truth: ${e.unattributed}  << UNEXPECTED`);
  }
  lines.push("");
  return surprises;
}
