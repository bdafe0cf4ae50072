/**
 * ES|QL rules replay their schedule over rows prepared once per candidate. That must change nothing: every ES|QL
 * reference rule over CloudTrail, over ../shared/datasets and a re-timed copy of it packed into two days (so
 * windows overlap and groups span executions), raises the same alerts, counts and warnings as running every
 * execution over whole documents, in scan replay and in live executions.
 */
import assert from "node:assert/strict";
import { join, resolve } from "node:path";
import { before, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import type { AlertDocument } from "../../src/alerts/build.ts";
import { type Document, setField } from "../../src/doc/document.ts";
import { cloudtrailSchema } from "../../src/ecs/index.ts";
import { createEnricher, loadBundledAsn } from "../../src/enrich/index.ts";
import { type Candidate, RuleWarnings } from "../../src/engine/candidate.ts";
import { cloudTrailCatalog } from "../../src/engine/catalog.ts";
import { EsqlRulePlan, type GroupAlertState, mergeGroupAlert } from "../../src/engine/esql-rule.ts";
import { planRules } from "../../src/engine/plans.ts";
import { executionAt, tickAtOrAfter } from "../../src/engine/schedule.ts";
import { RecordStage } from "../../src/engine/select/record-stage.ts";
import { compileEsql } from "../../src/lang/esql/index.ts";
import { loadRules, type Rule } from "../../src/rules/index.ts";
import { readInputFile } from "../../src/sources/index.ts";
import { datasetFiles } from "../helpers/datasets.ts";

const repoRoot = fileURLToPath(new URL("../../", import.meta.url));
const shared = resolve(repoRoot, "../shared");
const referenceRules = join(shared, "reference/elastic-detection-rules/aws");
const index = "logs-aws.cloudtrail-default";
const TWO_DAYS = 48 * 3600_000;
const START = Date.parse("2026-03-02T00:00:00Z");

let rules: Rule[];
let documents: { doc: Document; id: string }[];

before(async () => {
  const loaded = await loadRules([referenceRules]);
  assert.deepEqual(loaded.errors, []);
  const esql = loaded.rules.filter((r) => r.type === "esql");
  const planned = planRules(esql, { schema: cloudtrailSchema, index, kibanaCompatible: false });
  rules = planned.plans.map((p) => p.rule);
  documents = await datasetDocuments();
});

async function datasetDocuments(): Promise<{ doc: Document; id: string }[]> {
  const stage = new RecordStage({
    namespace: "default",
    enricher: createEnricher({ asn: loadBundledAsn() }),
    kibanaCompatible: false,
  });
  const out: { doc: Document; id: string }[] = [];
  for (const file of datasetFiles()) {
    await readInputFile(file, {
      record: (text) => {
        const staged = stage.process(text, file, () => {});
        if (staged) out.push(staged);
      },
      problem: () => {},
    });
  }
  // A quarter of the events again, packed into two days: many executions share them and groups gather across
  // sources (a quarter keeps the whole-document runs of week-long look-backs quick).
  const sample = out.filter((_, i) => i % 4 === 0);
  const retimed = sample.map(({ doc, id }, i) => {
    const copy = structuredClone(doc);
    const at = new Date(START + Math.floor((i * TWO_DAYS) / sample.length)).toISOString();
    setField(copy, "@timestamp", at);
    setField(copy, "event.ingested", at);
    return { doc: copy, id: `${id}-retimed` };
  });
  return [...out, ...retimed];
}

/** The default plan (incremental STATS where it applies), then without incremental STATS, then whole documents. */
function plans(rule: Rule, kibanaCompatible: boolean): [EsqlRulePlan, EsqlRulePlan, EsqlRulePlan] {
  const make = (noPreparedRows: boolean, noIncrementalStats: boolean) =>
    new EsqlRulePlan(rule, compileEsql(rule.query ?? "", cloudTrailCatalog(index, cloudtrailSchema)), {
      kibanaCompatible,
      index,
      noPreparedRows,
      noIncrementalStats,
    });
  return [make(false, false), make(false, true), make(true, false)];
}

function replay(plan: EsqlRulePlan): { alerts: AlertDocument[]; count: number; warnings: string[] } {
  for (const { doc, id } of documents) plan.offer(doc, id);
  const alerts: AlertDocument[] = [];
  const warnings = new RuleWarnings();
  const count = plan.replay((a) => alerts.push(a), warnings);
  return { alerts, count, warnings: warnings.list() };
}

describe("ES|QL schedule replay over prepared rows", () => {
  it("covers every ES|QL reference rule that reads CloudTrail", () => {
    // Of the 26 ES|QL reference rules, one reads the alerts index (it runs over alerts) and one Kubernetes audit
    // logs; test/lang/esql/prepared.test.ts runs all 26 over synthetic documents.
    assert.equal(rules.length, 24);
    assert.ok(rules.some((r) => r.name.startsWith("AWS Lateral Movement from Kubernetes SA")));
  });

  for (const kibanaCompatible of [false, true]) {
    it(`raises the same alerts as whole-document executions (kibanaCompatible: ${kibanaCompatible})`, () => {
      let alerting = 0;
      let candidates = 0;
      const merging: string[] = [];
      for (const rule of rules) {
        const [incremental, prepared, whole] = plans(rule, kibanaCompatible);
        const expected = replay(whole);
        assert.deepEqual(replay(prepared), expected, rule.name);
        assert.deepEqual(replay(incremental), expected, rule.name);
        assert.equal(prepared.mergedExecutions, 0);
        candidates += prepared.candidateCount;
        if (expected.count > 0) alerting++;
        if (incremental.mergedExecutions > 0) merging.push(rule.name);
      }
      // The incremental path must be taken, for the lateral-movement rule (also built in) above all.
      assert.ok(merging.some((name) => name.startsWith("AWS Lateral Movement from Kubernetes SA")), `${merging}`);
      assert.ok(merging.length >= 5, `${merging.length} rules merge: ${merging}`);
      // The comparison means something only if rules select events and raise alerts.
      assert.ok(candidates > 1000, `${candidates} candidates`);
      assert.ok(alerting >= 3, `${alerting} rules alert`);
    });
  }

  it("live executions raise the same alerts and merges as whole-document executions", () => {
    let alerts = 0;
    let rulesAlerting = 0;
    for (const rule of rules) {
      const [prepared, , whole] = plans(rule, false);
      // The store keeps one candidate per rule and id, as here.
      const byId = new Map<string, Candidate>();
      for (const { doc, id } of documents) {
        const c = prepared.select(doc, id);
        if (c && !byId.has(id)) byId.set(id, c);
      }
      const candidates = [...byId.values()].sort((a, b) => a.time - b.time);
      if (!candidates.length) continue;
      const live = (plan: EsqlRulePlan) => {
        const alerted = new Set<string>();
        const kept = new Map<string, GroupAlertState>();
        const warnings = new RuleWarnings();
        const raised: unknown[] = [];
        // Every execution whose window holds a candidate, in order (the datasets span years: skip the gaps).
        let next = 0;
        let tick = tickAtOrAfter(candidates[0].time, rule.intervalMs);
        while (next < candidates.length) {
          const execution = executionAt(tick, rule);
          while (next < candidates.length && candidates[next].time < execution.from) next++;
          const window = candidates.slice(next).filter((c) => c.time <= execution.to);
          for (const r of plan.execute(execution, window, (id) => alerted.has(id), warnings)) {
            if (r.sourceId) alerted.add(r.sourceId);
            if (r.groupKey !== undefined)
              kept.set(r.groupKey, mergeGroupAlert(kept.get(r.groupKey), r.rowCount ?? 0, execution, () => r.alert));
            raised.push(r);
          }
          const gap = next < candidates.length ? tickAtOrAfter(candidates[next].time, rule.intervalMs) : tick;
          tick = window.length ? tick + rule.intervalMs : Math.max(tick + rule.intervalMs, gap);
        }
        return { raised, kept: [...kept.values()], warnings: warnings.list() };
      };
      const expected = live(whole);
      assert.deepEqual(live(prepared), expected, rule.name);
      alerts += expected.raised.length;
      if (expected.raised.length) rulesAlerting++;
    }
    assert.ok(alerts > 10 && rulesAlerting >= 3, `${alerts} alerts from ${rulesAlerting} rules`);
  });
});
