import { type AlertFormat, formatAlerts } from "../alerts/index.ts";
import { availableParallelism } from "node:os";
import { RuleConfigError, type ScanStats, scan } from "../engine/index.ts";
import { lazyBundledEnricher } from "../enrich/index.ts";
import { loadEnricher, loadRuleOption, openOutput, pipelineTags, timeOption } from "./setup.ts";
import { UsageError } from "./usage-error.ts";

export interface ScanCommandOptions {
  /** `--actor-target-mapping`: the integration option that runs the pipeline's entity script. */
  actorTargetMapping?: boolean;
  rules?: string[];
  format?: AlertFormat;
  output?: string;
  from?: string;
  to?: string;
  asnDb?: string;
  geoDb?: string;
  namespace: string;
  kibanaCompatible?: boolean;
  quiet?: boolean;
  /** As typed after --workers; default: the number of cores. */
  workers?: string;
}

export async function runScan(inputs: string[], opts: ScanCommandOptions): Promise<number> {
  const started = Date.now();
  const from = timeOption("--from", opts.from);
  const to = timeOption("--to", opts.to);
  if (from !== undefined && to !== undefined && from > to) throw new UsageError("--from is after --to");
  const workers = workerCount(opts.workers);
  // Left to the default, fewer workers for a small input: a worker's start-up (≈ 0.25 s) costs more than it saves
  // below ≈ 30 MB of compressed CloudTrail on the bench machine.
  const minBytesPerWorker = opts.workers === undefined ? DEFAULT_BYTES_PER_WORKER : undefined;
  const rules = await loadRuleOption(opts.rules);
  // Without database files there is nothing to validate up front, and with workers the main thread never enriches.
  const enricher =
    opts.asnDb || opts.geoDb ? await loadEnricher(opts.asnDb, opts.geoDb) : lazyBundledEnricher();
  const say = (line: string) => {
    if (!opts.quiet) process.stderr.write(`${line}\n`);
  };
  const progress = !opts.quiet && process.stderr.isTTY ? progressLine(started) : undefined;

  let result: Awaited<ReturnType<typeof scan>>;
  try {
    result = await scan({
      inputs,
      rules,
      enricher,
      range: { from, to },
      namespace: opts.namespace,
      tags: pipelineTags(opts),
      kibanaCompatible: opts.kibanaCompatible,
      workers,
      minBytesPerWorker,
      enrichment: { asnDb: opts.asnDb, geoDb: opts.geoDb },
      onProblem: (p) => {
        progress?.clear();
        process.stderr.write(`trailwatch: ${p.origin}: ${p.message}\n`);
      },
      onProgress: progress?.update,
    });
  } catch (err) {
    if (err instanceof RuleConfigError) {
      for (const m of err.messages) process.stderr.write(`trailwatch: ${m}\n`);
      return 1;
    }
    throw err;
  }
  progress?.clear();
  for (const w of result.skipped) say(`trailwatch: ${w}`);

  const format: AlertFormat = opts.format ?? (process.stdout.isTTY && !opts.output ? "table" : "ndjson");
  const out = openOutput(opts.output);
  out.write(formatAlerts(result.alerts, format, format === "table" && !opts.output && process.stdout.isTTY === true));
  await out.close();

  for (const r of result.rules) {
    for (const w of r.warnings) say(`trailwatch: rule "${r.rule.name}": ${w}`);
  }
  const s = result.stats;
  const seconds = (Date.now() - started) / 1000;
  say(
    `scanned ${s.files} file(s), ${s.records} record(s) (${s.candidates} selected by a rule, ${s.duplicates} duplicate(s)) ` +
      `in ${seconds.toFixed(1)}s with ${result.rules.length} rule(s): ${result.alerts.length} alert(s)`,
  );
  return result.problems.length ? 2 : 0;
}

/** Each worker adds ≈40 MB to a ≈190 MB scan; past this many the 500 MB memory bound would not hold. */
const MAX_DEFAULT_WORKERS = 8;
const DEFAULT_BYTES_PER_WORKER = 16 << 20;

function workerCount(value: string | undefined): number {
  if (value === undefined) return Math.min(availableParallelism(), MAX_DEFAULT_WORKERS);
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`--workers ${value}: expected a whole number of at least 1`);
  return n;
}

function progressLine(started: number) {
  let shown = false;
  return {
    update(stats: ScanStats) {
      const seconds = Math.max(0.001, (Date.now() - started) / 1000);
      process.stderr.write(
        `\r${stats.files} files, ${stats.records} records (${Math.round(stats.records / seconds)}/s), ${stats.candidates} selected `,
      );
      shown = true;
    },
    clear() {
      if (shown) process.stderr.write("\r\u001b[K");
      shown = false;
    },
  };
}
