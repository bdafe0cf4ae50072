/**
 * `npm run bench` (`--quick` for a 30,000-record corpus): on one corpus, the same files and the same number of
 * cores, measures the gunzip-only ceiling, `trailwatch scan` end to end, and DuckDB running the lateral-movement rule;
 * then workers 1 vs N, a third of the corpus vs all of it, and a per-stage profile. Checks that the scan found the
 * planted incidents, prints everything and writes bench/README.md.
 */
import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import { ensureBuilt } from "./build.ts";
import { gunzipCeiling } from "./ceiling.ts";
import { ensureCorpus, LATERAL_KEY, OUTSIDE_SUBJECT } from "./corpus.ts";
import { duckdbLateralMovement, duckdbLateralMovementProcess } from "./duckdb.ts";
import { profileStages } from "./profile.ts";
import { type BenchResults, writeReport } from "./report.ts";
import { runScan, type ScanRun } from "./scan-run.ts";

const quick = process.argv.includes("--quick");
const records = quick ? 30_000 : 300_000;
const workers = availableParallelism();
const log = (line: string) => process.stderr.write(`${line}\n`);

ensureBuilt(log);
const corpus = await ensureCorpus(records, log);
log(`corpus: ${corpus.records} records, ${corpus.files.length} files, ${(corpus.bytes / 1e6).toFixed(1)} MB gzipped`);

log(`(a) gunzip ceiling, ${workers} worker(s) …`);
const ceiling = await gunzipCeiling(corpus.files, workers);
log(`(b) trailwatch scan, ${workers} worker(s) …`);
const scan = await runScan([corpus.root], workers);
log(`(c) DuckDB, ${workers} thread(s) …`);
const duck = await duckdbLateralMovement(corpus.root, workers);
const duckProcess = await duckdbLateralMovementProcess(corpus.root, workers);
log("(b0) scan with a rule that selects nothing …");
const floor = await runScan([corpus.root], workers, [fileURLToPath(new URL("rules/selects-nothing.toml", import.meta.url))]);
log("scan with 1 worker …");
const single = await runScan([corpus.root], 1);
const thirdDays = corpus.days.slice(0, Math.max(1, Math.round(corpus.days.length / 3)));
const thirdRecords = corpus.recordsPerDay.slice(0, thirdDays.length).reduce((a, b) => a + b, 0);
log(`scan of ${thirdRecords} records …`);
const third = await runScan(thirdDays, workers);
log("per-stage profile …");
const profile = profileStages(corpus.files.slice(0, Math.min(corpus.files.length, 60)));

const found = plantedFound(scan);
const results: BenchResults = {
  quick,
  workers,
  corpus: { records: corpus.records, files: corpus.files.length, gzBytes: corpus.bytes, inflatedBytes: ceiling.inflatedBytes },
  ceiling: { seconds: ceiling.seconds },
  scan: { seconds: scan.seconds, peakRssMb: scan.peakRssMb, alerts: scan.alerts.length, summary: scan.summary },
  floor: { seconds: floor.seconds },
  single: { seconds: single.seconds, peakRssMb: single.peakRssMb },
  third: { records: thirdRecords, seconds: third.seconds, peakRssMb: third.peakRssMb },
  duckdb: {
    seconds: duck.seconds,
    processSeconds: duckProcess.seconds,
    foundPlanted: duck.keys.includes(LATERAL_KEY) && duckProcess.keys.includes(LATERAL_KEY),
  },
  profile,
  found,
};
const text = writeReport(results);
process.stdout.write(text);
if (!found.lateral || !found.outside) {
  log("the scan did not find the planted incidents");
  process.exitCode = 1;
}

function plantedFound(run: ScanRun) {
  const values = run.alerts.map((a) => JSON.stringify(a));
  return {
    lateral: values.some((v) => v.includes(LATERAL_KEY) && v.includes("Lateral Movement")),
    outside: values.some((v) => v.includes(OUTSIDE_SUBJECT) && v.includes("External ASN")),
  };
}
