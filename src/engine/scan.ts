/**
 * `scan`: read archives, normalize each record as Elastic's pipeline would, enrich it, offer it to every rule, then
 * replay each rule's schedule over what it selected. Records delivered twice (same eventID, e.g. two trails) are one
 * event unless `kibanaCompatible`, where each copy is its own document as in Elasticsearch. Rules that read the alerts
 * index then run over the alerts of that first pass.
 */
import type { Readable } from "node:stream";
import type { AlertDocument } from "../alerts/build.ts";
import type { Document } from "../doc/document.ts";
import { cloudtrailSchema } from "../ecs/index.ts";
import type { Enricher, EnrichmentSpec } from "../enrich/index.ts";
import { enricherFromShared, shareBundledData } from "../enrich/load.ts";
import type { Rule } from "../rules/index.ts";
import {
  type InputFile,
  listInputFiles,
  readFiles,
  type SourceProblem,
  type TimeRange,
} from "../sources/index.ts";
import { runAlertIndexRules } from "./alert-rules.ts";
import { RuleWarnings } from "./candidate.ts";
import { planRules, type RulePlan } from "./plans.ts";
import { recordScreen } from "./prefilter.ts";
import { emptyCounts, type RecordCounts, RecordStage } from "./select/record-stage.ts";
import { runWorkerPool } from "./workers/pool.ts";
import type { WorkerSetup } from "./workers/protocol.ts";

export interface ScanOptions {
  inputs: string[];
  rules: Rule[];
  enricher: Enricher;
  range?: TimeRange;
  namespace?: string;
  /** Agent tags the pipeline sees, e.g. `actor_target_mapping` to run its entity script. */
  tags?: string[];
  kibanaCompatible?: boolean;
  stdin?: Readable;
  onProblem?: (problem: SourceProblem) => void;
  onProgress?: (stats: ScanStats) => void;
  /** Test raw records before parsing them (default true); false parses every record, for differential tests. */
  prefilter?: boolean;
  /**
   * Worker threads reading files in parallel (default 1: everything in this thread). Needs `enrichment`, since each
   * worker builds its own enricher; stdin is always read here.
   */
  workers?: number;
  /**
   * With it, `workers` is an upper bound: one worker per this many bytes of (compressed) input, and a single thread
   * below twice that, since starting a worker costs more than it saves on a small input.
   */
  minBytesPerWorker?: number;
  /** How `enricher` was built, for workers to build theirs the same way. */
  enrichment?: EnrichmentSpec;
}

export interface ScanStats {
  files: number;
  bytes: number;
  records: number;
  duplicates: number;
  outOfRange: number;
  pipelineErrors: number;
  /** Records the pre-filter let through to parsing and normalization. */
  parsed: number;
  candidates: number;
}

export interface RuleOutcome {
  rule: Rule;
  candidates: number;
  alerts: number;
  warnings: string[];
}

export interface ScanResult {
  alerts: AlertDocument[];
  stats: ScanStats;
  rules: RuleOutcome[];
  problems: SourceProblem[];
}

/** Thrown before anything is read when the rules themselves are wrong. */
export class RuleConfigError extends Error {
  constructor(readonly messages: string[]) {
    super(messages.join("\n"));
  }
}

export async function scan(options: ScanOptions): Promise<ScanResult & { skipped: string[] }> {
  const namespace = options.namespace ?? "default";
  const index = `logs-aws.cloudtrail-${namespace}`;
  const kibanaCompatible = options.kibanaCompatible ?? false;
  const planned = planRules(options.rules, { schema: cloudtrailSchema, index, kibanaCompatible });
  if (planned.errors.length) throw new RuleConfigError(planned.errors);
  if (!planned.plans.length) throw new RuleConfigError([...planned.warnings, "no rule can run on CloudTrail"]);

  const stats: ScanStats = {
    files: 0,
    bytes: 0,
    records: 0,
    duplicates: 0,
    outOfRange: 0,
    pipelineErrors: 0,
    parsed: 0,
    candidates: 0,
  };
  const problems: SourceProblem[] = [];
  const report = (p: SourceProblem) => {
    problems.push(p);
    options.onProblem?.(p);
  };
  const selection = new Selection(planned.plans, stats, kibanaCompatible);
  const usePrefilter = options.prefilter !== false;
  const files = await listInputFiles(options.inputs, options.range ?? {}, (origin, message) =>
    report({ origin, message }),
  );
  const workers = workerCount(options, files);
  if (workers > 1 && options.enrichment && !options.inputs.includes("-")) {
    const setup: WorkerSetup = {
      rules: planned.plans.map((p) => p.rule),
      namespace,
      tags: options.tags,
      range: options.range,
      kibanaCompatible,
      prefilter: usePrefilter,
      enrichment: options.enrichment,
    };
    const enrichment = options.enrichment;
    // Normalizes the records workers leave undecoded (see scan-worker.ts), with the tables the workers share.
    let stage: RecordStage | undefined;
    let counted = emptyCounts();
    await runWorkerPool({
      workers,
      setup,
      files,
      sharedData: () => {
        const shared = shareBundledData(enrichment);
        const enricher = enricherFromShared(enrichment, shared, options.enricher);
        stage = new RecordStage({ namespace, tags: options.tags, enricher, range: options.range, kibanaCompatible });
        return shared;
      },
      onResult: (file, result) => {
        for (const problem of result.problems) report(problem);
        addCounts(stats, result.counts);
        for (const c of result.candidates) selection.offer(c.doc, c.id, c.rules);
        if (result.deferred.length) {
          if (!stage) throw new Error("internal error: a worker's records arrived before the shared tables were loaded");
          for (const { text, position } of result.deferred) {
            const problem = (message: string) => report({ origin: file.path, message });
            const staged = stage.normalizeAt(text, file.path, position, problem);
            if (staged) selection.offer(staged.doc, staged.id);
          }
          counted = addCounts(stats, stage.counts, counted);
        }
        stats.files++;
        stats.bytes += file.size;
        options.onProgress?.(stats);
      },
    });
  } else {
    const screen = usePrefilter ? recordScreen(planned.plans.map((p) => p.rule), cloudtrailSchema) : undefined;
    const stage = new RecordStage({
      namespace,
      tags: options.tags,
      enricher: options.enricher,
      range: options.range,
      kibanaCompatible,
      prefilter: screen?.test,
      // Kibana-compatible ids number every record of a file: those files are split the general way.
      screen: kibanaCompatible ? undefined : screen,
    });
    let counted = emptyCounts();
    const summary = await readFiles(files, {
      stdin: options.stdin,
      onRecord: (text, origin) => {
        const staged = stage.process(text, origin, (message) => report({ origin, message }));
        if (staged) selection.offer(staged.doc, staged.id);
      },
      onProblem: report,
      onWholeFile: (data, origin) => {
        const staged = stage.processFile(data, origin, (message) => report({ origin, message }));
        for (const one of staged ?? []) selection.offer(one.doc, one.id);
        return staged !== undefined;
      },
      onFileDone: (path) => {
        stage.doneWith(path === "-" ? "<stdin>" : path);
        counted = addCounts(stats, stage.counts, counted);
        stats.files++;
        options.onProgress?.(stats);
      },
    });
    addCounts(stats, stage.counts, counted);
    stats.bytes = summary.bytes;
  }

  const alerts: AlertDocument[] = [];
  const outcomes: RuleOutcome[] = planned.plans.map((plan) => {
    const warnings = new RuleWarnings();
    const count = plan.replay((a) => alerts.push(a), warnings);
    return { rule: plan.rule, candidates: plan.candidateCount, alerts: count, warnings: warnings.list() };
  });
  // Higher-order rules read the alerts index: a second pass over what the first raised.
  alerts.push(
    ...runAlertIndexRules(planned.alertIndexRules, alerts, { kibanaCompatible, onOutcome: (o) => outcomes.push(o) }),
  );
  alerts.sort((a, b) => String(a["@timestamp"]).localeCompare(String(b["@timestamp"])));
  return { alerts, stats, rules: outcomes, problems, skipped: planned.warnings };
}

/** How many workers read `files`: `workers`, or fewer for a small input when `minBytesPerWorker` is set. */
export function workerCount(options: Pick<ScanOptions, "workers" | "minBytesPerWorker">, files: InputFile[]): number {
  const most = options.workers ?? 1;
  if (options.minBytesPerWorker === undefined) return most;
  const bytes = files.reduce((sum, f) => sum + f.size, 0);
  return Math.max(1, Math.min(most, Math.floor(bytes / options.minBytesPerWorker)));
}

/** Adds what a stage counted since `since` to the scan's stats; returns the new baseline. */
function addCounts(stats: ScanStats, counts: RecordCounts, since: RecordCounts = emptyCounts()): RecordCounts {
  stats.records += counts.records - since.records;
  stats.outOfRange += counts.outOfRange - since.outOfRange;
  stats.pipelineErrors += counts.pipelineErrors - since.pipelineErrors;
  stats.parsed += counts.parsed - since.parsed;
  return { ...counts };
}

/**
 * Offers documents to every rule, in input order. Only documents some rule selected are remembered for
 * de-duplication, so memory follows what rules select, not the archive; a later copy of such a document is skipped.
 */
class Selection {
  private readonly seen = new Set<string>();
  constructor(
    private readonly plans: RulePlan[],
    private readonly stats: ScanStats,
    private readonly keepCopies: boolean,
  ) {}

  /** `only`: the plans (by index) that already selected the document, which may be cut down to what they read. */
  offer(doc: Document, id: string, only?: readonly number[]): void {
    if (!this.keepCopies && this.seen.has(id)) {
      this.stats.duplicates++;
      return;
    }
    let selected = false;
    for (const plan of only ? only.map((i) => this.plans[i]) : this.plans) selected = plan.offer(doc, id) || selected;
    if (!selected) return;
    this.stats.candidates++;
    if (!this.keepCopies) this.seen.add(id);
  }
}
