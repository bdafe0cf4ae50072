/**
 * `scan`: read archives, normalize each record as Elastic's pipeline would, enrich it, offer it to every rule, then
 * replay each rule's schedule over what it selected. Records delivered twice (same eventID, e.g. two trails) are one
 * event unless `kibanaCompatible`, where each copy is its own document as in Elasticsearch.
 */
import type { Readable } from "node:stream";
import type { AlertDocument } from "../alerts/build.ts";
import type { Document } from "../doc/document.ts";
import { cloudtrailSchema } from "../ecs/index.ts";
import type { Enricher } from "../enrich/index.ts";
import type { Rule } from "../rules/index.ts";
import { readSources, type SourceProblem, type TimeRange } from "../sources/index.ts";
import { RuleWarnings } from "./candidate.ts";
import { planRules, type RulePlan } from "./plans.ts";
import { recordPrefilter } from "./prefilter.ts";
import { RecordStage } from "./select/record-stage.ts";

export interface ScanOptions {
  inputs: string[];
  rules: Rule[];
  enricher: Enricher;
  range?: TimeRange;
  namespace?: string;
  kibanaCompatible?: boolean;
  stdin?: Readable;
  onProblem?: (problem: SourceProblem) => void;
  onProgress?: (stats: ScanStats) => void;
  /** Test raw records before parsing them (default true); false parses every record, for differential tests. */
  prefilter?: boolean;
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
  const seenEventIds = new Set<string>();
  const prefilter =
    options.prefilter === false ? undefined : recordPrefilter(planned.plans.map((p) => p.rule), cloudtrailSchema);
  const stage = new RecordStage({
    namespace,
    enricher: options.enricher,
    range: options.range,
    kibanaCompatible,
    prefilter,
  });

  const onRecord = (text: string, origin: string) => {
    const staged = stage.process(text, origin, (message) => report({ origin, message }));
    if (staged) offer(planned.plans, staged.doc, staged.id, seenEventIds, stats, kibanaCompatible);
  };

  const summary = await readSources(options.inputs, {
    range: options.range,
    stdin: options.stdin,
    onRecord,
    onProblem: report,
    onFileDone: (path) => {
      stage.doneWith(path === "-" ? "<stdin>" : path);
      Object.assign(stats, stage.counts);
      stats.files++;
      options.onProgress?.(stats);
    },
  });
  stats.bytes = summary.bytes;
  Object.assign(stats, stage.counts);

  const alerts: AlertDocument[] = [];
  const outcomes: RuleOutcome[] = planned.plans.map((plan) => {
    const warnings = new RuleWarnings();
    const count = plan.replay((a) => alerts.push(a), warnings);
    return { rule: plan.rule, candidates: plan.candidateCount, alerts: count, warnings: warnings.list() };
  });
  alerts.sort((a, b) => String(a["@timestamp"]).localeCompare(String(b["@timestamp"])));
  return { alerts, stats, rules: outcomes, problems, skipped: planned.warnings };
}

/**
 * Offers a document to every rule. Only documents some rule selected are remembered for de-duplication, so memory
 * follows what rules select, not the archive; a later copy of such a document is skipped.
 */
function offer(plans: RulePlan[], doc: Document, id: string, seen: Set<string>, stats: ScanStats, keepCopies: boolean) {
  if (!keepCopies && seen.has(id)) {
    stats.duplicates++;
    return;
  }
  let selected = false;
  for (const plan of plans) selected = plan.offer(doc, id) || selected;
  if (!selected) return;
  stats.candidates++;
  if (!keepCopies) seen.add(id);
}
