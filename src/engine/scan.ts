/**
 * `scan`: read archives, normalize each record as Elastic's pipeline would, enrich it, offer it to every rule, then
 * replay each rule's schedule over what it selected. Records delivered twice (same eventID, e.g. two trails) are one
 * event unless `kibanaCompatible`, where each copy is its own document as in Elasticsearch.
 */
import { createHash } from "node:crypto";
import type { Readable } from "node:stream";
import type { AlertDocument } from "../alerts/build.ts";
import { type Document, fieldValues } from "../doc/document.ts";
import { cloudtrailSchema, normalizeRecord } from "../ecs/index.ts";
import type { Enricher } from "../enrich/index.ts";
import type { Rule } from "../rules/index.ts";
import { readSources, type SourceProblem, type TimeRange } from "../sources/index.ts";
import { RuleWarnings } from "./candidate.ts";
import { planRules, type RulePlan } from "./plans.ts";

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
}

export interface ScanStats {
  files: number;
  bytes: number;
  records: number;
  duplicates: number;
  outOfRange: number;
  pipelineErrors: number;
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
    candidates: 0,
  };
  const problems: SourceProblem[] = [];
  const report = (p: SourceProblem) => {
    problems.push(p);
    options.onProblem?.(p);
  };
  const seenEventIds = new Set<string>();
  const perOrigin = new Map<string, number>();
  const { from, to } = options.range ?? {};

  const onRecord = (text: string, origin: string) => {
    stats.records++;
    const position = (perOrigin.get(origin) ?? 0) + 1;
    perOrigin.set(origin, position);
    const doc = normalizeRecord(text, { namespace });
    const failure = fieldValues(doc, "error.message")[0];
    if (failure !== undefined) {
      stats.pipelineErrors++;
      report({ origin, message: `record ${position}: ${String(failure)}` });
      if (fieldValues(doc, "@timestamp").length === 0) return;
    }
    const time = Date.parse(String(fieldValues(doc, "@timestamp")[0]));
    if ((from !== undefined && time < from) || (to !== undefined && time > to)) {
      stats.outOfRange++;
      return;
    }
    options.enricher.enrich(doc);
    const id = documentId(doc, origin, position, kibanaCompatible);
    offer(planned.plans, doc, id, seenEventIds, stats, kibanaCompatible);
  };

  const summary = await readSources(options.inputs, {
    range: options.range,
    stdin: options.stdin,
    onRecord,
    onProblem: report,
    onFileDone: () => {
      stats.files++;
      options.onProgress?.(stats);
    },
  });
  stats.bytes = summary.bytes;

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

/**
 * The `_id` a document gets. By default the CloudTrail eventID, so a record delivered twice is one event. With
 * Kibana compatibility, an id per copy, derived as Filebeat's aws-s3 input does (hash of the object, record offset).
 */
function documentId(doc: Document, origin: string, position: number, perCopy: boolean): string {
  const eventId = fieldValues(doc, "event.id")[0];
  if (!perCopy && eventId !== undefined) return String(eventId);
  const objectHash = createHash("sha256").update(origin).digest("hex").slice(0, 10);
  return `${objectHash}-${String(position).padStart(12, "0")}`;
}
