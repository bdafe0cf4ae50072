/**
 * Where a scan's time goes, stage by stage, measured in this thread over a sample of the corpus's files: read,
 * gunzip, decode, split, pre-filter, parse (JSON.parse alone, for scale), normalize, enrich, evaluate. Also the
 * normalizer's own throughput (every record normalized) and the KQL built-in rule's cost per event.
 */
import { readFileSync } from "node:fs";
import { type Document, fieldValues } from "../src/doc/document.ts";
import { cloudtrailSchema, normalizeRecord } from "../src/ecs/index.ts";
import { RuleWarnings } from "../src/engine/candidate.ts";
import { planRules } from "../src/engine/plans.ts";
import { recordScreen } from "../src/engine/prefilter.ts";
import { screenFile } from "../src/engine/select/file-screen.ts";
import { candidateSelection } from "../src/engine/workers/candidate-selection.ts";
import { bundledEnricher } from "../src/enrich/index.ts";
import { compileKql } from "../src/lang/kql/index.ts";
import { builtinRules } from "../src/rules/index.ts";
import { RecordSplitter } from "../src/sources/index.ts";
import { inflateWhole } from "../src/sources/gunzip.ts";

export interface StageProfile {
  files: number;
  records: number;
  passed: number;
  /** Seconds per stage over the sample. */
  stages: Record<string, number>;
  /** Seconds per stage of the general path (decode, split, pre-filter every record), for comparison. */
  general: Record<string, number>;
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
  const inflated = timed("gunzip", () => buffers.map((b) => inflateWhole(b, 32 << 20).data));
  const screen = recordScreen(rules, cloudtrailSchema);
  if (!screen) throw new Error("the built-in rules have no pre-filter");
  // Warm both paths up on a few files first, so neither is measured while the JIT is still compiling it.
  for (const b of inflated.slice(0, 5)) {
    screenFile(b, screen);
    splitRecords(b.toString("utf8")).filter(screen.test);
  }
  const screened = timed("screen (record starts, needles, raw test of the records holding one)", () =>
    inflated.map((b) => screenFile(b, screen)),
  );
  if (screened.some((s) => s === undefined)) throw new Error("a corpus file is not in CloudTrail's own shape");
  const passed = screened.flatMap((s) => s?.passed.map((p) => p.text) ?? []);
  // The general path, which files of other shapes take: decode everything, split in JavaScript, test every record.
  const general: Record<string, number> = {};
  const timedGeneral = <T>(name: string, work: () => T): T => {
    const t = performance.now();
    const out = work();
    general[name] = (performance.now() - t) / 1000;
    return out;
  };
  const texts = timedGeneral("decode", () => inflated.map((b) => b.toString("utf8")));
  const records = timedGeneral("split", () => texts.flatMap(splitRecords));
  const generalPassed = timedGeneral("pre-filter", () => records.filter(screen.test));
  const screenedRecords = screened.reduce((sum, s) => sum + (s?.records ?? 0), 0);
  if (generalPassed.length !== passed.length || screenedRecords !== records.length) throw new Error("the screen and the general path disagree");
  timed("parse (JSON.parse only, for scale)", () => passed.forEach((r) => JSON.parse(r)));
  timed("normalize start-up (first record: user-agent patterns; once per worker)", () => normalizeRecord(records[0]));
  const docs = timed("normalize", () => passed.map((r) => normalizeRecord(r)));
  const enricher = timed("enrich start-up (bundled ASN/geo tables; once per worker)", bundledEnricher);
  timed("enrich", () => docs.forEach((d) => enricher.enrich(d)));
  const { plans } = planRules(rules, { schema: cloudtrailSchema, index: INDEX, kibanaCompatible: false });
  const selects = candidateSelection(plans);
  const idOf = (doc: Document, i: number) => String(fieldValues(doc, "event.id")[0] ?? i);
  const selected = timed("evaluate (rules' row filters and projection, in workers)", () =>
    docs.flatMap((doc, i) => {
      const one = selects(doc, idOf(doc, i));
      return one ? [{ ...one, id: idOf(doc, i) }] : [];
    }),
  );
  timed("evaluate (schedule replay, main thread)", () => {
    for (const c of selected) for (const r of c.rules) plans[r].offer(c.doc, c.id);
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
    general,
    normalizeAllPerSecond,
    kqlNsPerEvent: kqlCost(all),
  };
}

function splitRecords(text: string): string[] {
  const out: string[] = [];
  const splitter = new RecordSplitter({ record: (r) => out.push(r), problem: () => {} });
  splitter.push(text);
  splitter.end();
  return out;
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
