/**
 * Writes the small sample archive `npm start` scans, with the simulator: one hour of one EKS cluster's CloudTrail in
 * the S3 delivery layout, with every labelled attack. Its ground truth goes next to the archive, not inside it, so
 * that scanning the sample reads CloudTrail only. Deterministic: same output on every run.
 *
 *   npx tsx scripts/make-sample-data.ts [samples/eks-irsa]
 */
import { cpSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ATTACK_KINDS, GROUND_TRUTH_FILE, simulate } from "../src/simulate/index.ts";

const out = process.argv[2] ?? "samples/eks-irsa";
const work = mkdtempSync(join(tmpdir(), "tw-sample-"));
try {
  const result = await simulate({
    out: work,
    start: Date.parse("2026-11-20T09:00:00Z"),
    hours: 1,
    accounts: 1,
    clusters: 1,
    seed: "sample",
    attacks: ATTACK_KINDS,
  });
  rmSync(out, { recursive: true, force: true });
  cpSync(join(work, "AWSLogs"), join(out, "AWSLogs"), { recursive: true });
  cpSync(join(work, GROUND_TRUTH_FILE), `${out}.${GROUND_TRUTH_FILE}`);
  process.stdout.write(`wrote ${result.records} records in ${result.files} files under ${out}, ground truth in ${out}.${GROUND_TRUTH_FILE}\n`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
