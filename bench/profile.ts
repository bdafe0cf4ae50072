/**
 * Where a scan's time goes, stage by stage, measured in this thread over a sample of the corpus's files: read,
 * gunzip, decode, split, pre-filter, parse (JSON.parse alone, for scale), normalize, enrich, evaluate. Also the
 * normalizer's own throughput (every record normalized) and the KQL built-in rule's cost per event.
 */
import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { type Document, fieldValues } from "../src/doc/document.ts";
import { cloudtrailSchema, normalizeRecord } from "../src/ecs/index.ts";
import { RuleWarnings } from "../src/engine/candidate.ts";
import { planRules } from "../src/engine/plans.ts";
import { recordPrefilter } from "../src/engine/prefilter.ts";
import { ruleSelection } from "../src/engine/workers/rule-selection.ts";
import { bundledEnricher } from "../src/enrich/index.ts";
import { compileKql } from "../src/lang/kql/index.ts";
import { builtinRules } from "../src/rules/index.ts";
import { RecordSplitter } from "../src/sources/index.ts";

export interface StageProfile {
  files: number;
  records: number;
  passed: number;
  /** Seconds per stage over the sample. */
  stages: Record<string, number>;
  normalizeAllPerSecond: number;
  kqlNsPerEvent: number;
}

const INDEX = "logs-aws.cloudtrail-default";

export function profileStages(files: string[]): StageProfile {
  const rules = builtinRules();
  const stages: Record<string, number> = {};
  const timed = <T>(name: string, work: () => T): T => {
    const t = performance.now();
    const out = work();
    stages[name] = (stages[name] ?? 0) + (performance.now() - t) / 1000;
    return out;
  };
  const buffers = timed("read", () => files.map((f) => readFileSync(f)));
  const inflated = timed("gunzip", () => buffers.map((b) => gunzipSync(b)));
  const texts = timed("decode", () => inflated.map((b) => b.toString("utf8")));
  const records = timed("split", () =>
    texts.flatMap((text) => {
      const out: string[] = [];
      const splitter = new RecordSplitter({ record: (r) => out.push(r), problem: () => {} });
      splitter.push(text);
      splitter.end();
      return out;
    }),
  );
  const test = recordPrefilter(rules, cloudtrailSchema);
  const passed = timed("prefilter", () => (test ? records.filter(test) : records));
  timed("parse (JSON.parse only, for scale)", () => passed.forEach((r) => JSON.parse(r)));
  timed("normalize start-up (first record: user-agent patterns; once per worker)", () => normalizeRecord(records[0]));
  const docs = timed("normalize", () => passed.map((r) => normalizeRecord(r)));
  const enricher = timed("enrich start-up (bundled ASN/geo tables; once per worker)", bundledEnricher);
  timed("enrich", () => docs.forEach((d) => enricher.enrich(d)));
  const selects = ruleSelection(rules, cloudtrailSchema, INDEX);
  const selected = timed("evaluate (row filters, in workers)", () => docs.filter(selects));
  const { plans } = planRules(rules, { schema: cloudtrailSchema, index: INDEX, kibanaCompatible: false });
  timed("evaluate (schedule replay, main thread)", () => {
    selected.forEach((doc, i) => {
      for (const plan of plans) plan.offer(doc, String(fieldValues(doc, "event.id")[0] ?? i));
    });
    for (const plan of plans) plan.replay(() => {}, new RuleWarnings());
  });

  const sample = records.slice(0, 20_000);
  const t0 = performance.now();
  const all = sample.map((r) => normalizeRecord(r));
  const normalizeAllPerSecond = sample.length / ((performance.now() - t0) / 1000);
  return {
    files: files.length,
    records: records.length,
    passed: passed.length,
    stages,
    normalizeAllPerSecond,
    kqlNsPerEvent: kqlCost(all),
  };
}

/** ns per event for the built-in KQL rule's compiled predicate over normalized documents. */
function kqlCost(docs: Document[]): number {
  const rule = builtinRules().find((r) => r.language === "kuery");
  if (!rule || !docs.length) return Number.NaN;
  const matches = compileKql(rule.query ?? "", cloudtrailSchema);
  let hits = 0;
  const rounds = 5;
  const t = process.hrtime.bigint();
  for (let i = 0; i < rounds; i++) for (const d of docs) if (matches(d)) hits++;
  const ns = Number(process.hrtime.bigint() - t);
  if (hits < 0) throw new Error("unreachable");
  return ns / (rounds * docs.length);
}
