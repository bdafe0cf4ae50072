/**
 * Select-before-parsing must be exact: every reference rule the engine supports, over all of ../shared/datasets/ and a
 * corpus generated from those records (re-keyed, re-timed, re-spelled with JSON escapes and pretty-printing), gives
 * the same alerts with the pre-filter on and off, and no record a rule selects is ever rejected by its raw test. Files
 * in CloudTrail's own shape are screened on their bytes (select/file-screen.ts), the others split the general way.
 */
import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { after, before, test } from "node:test";
import { fileURLToPath } from "node:url";
import { gunzipSync, gzipSync } from "node:zlib";
import { cloudtrailSchema } from "../../src/ecs/index.ts";
import { createEnricher, loadBundledAsn } from "../../src/enrich/index.ts";
import { type ScanResult, scan } from "../../src/engine/index.ts";
import { planRules } from "../../src/engine/plans.ts";
import { recordPrefilter, recordScreen } from "../../src/engine/prefilter.ts";
import { screenFile } from "../../src/engine/select/file-screen.ts";
import { RecordStage } from "../../src/engine/select/record-stage.ts";
import { loadRules, type Rule } from "../../src/rules/index.ts";
import { readInputFile } from "../../src/sources/index.ts";
import { datasetFiles } from "../helpers/datasets.ts";

const repoRoot = fileURLToPath(new URL("../../", import.meta.url));
const shared = resolve(repoRoot, "../shared");
const datasets = join(shared, "datasets");
const referenceRules = join(shared, "reference/elastic-detection-rules/aws");
const enricher = createEnricher({ asn: loadBundledAsn() });
const index = "logs-aws.cloudtrail-default";

let corpus: string;
let rules: Rule[];
let records: string[];
let generated: string[];

before(async () => {
  const loaded = await loadRules([referenceRules]);
  assert.deepEqual(loaded.errors, []);
  const planned = planRules(loaded.rules, { schema: cloudtrailSchema, index, kibanaCompatible: false });
  rules = planned.plans.map((p) => p.rule);
  records = await datasetRecords();
  corpus = mkdtempSync(join(tmpdir(), "trailwatch-differential-"));
  generated = writeGeneratedCorpus(corpus, records);
});

after(() => rmSync(corpus, { recursive: true, force: true }));

async function datasetRecords(): Promise<string[]> {
  const out: string[] = [];
  for (const file of datasetFiles()) {
    await readInputFile(file, { record: (text) => out.push(text), problem: () => {} });
  }
  return out;
}

/** Variants of each real record, each a JSON spelling or content change the pre-filter must get right. */
function variants(text: string, i: number, actions: string[]): Record<"compact" | "nested" | "pretty", string[]> {
  let record: Record<string, unknown>;
  try {
    record = JSON.parse(text);
  } catch {
    return { compact: [text], nested: [], pretty: [] };
  }
  if (typeof record !== "object" || record === null || Array.isArray(record)) return { compact: [text], nested: [], pretty: [] };
  const day = String(1 + (i % 28)).padStart(2, "0");
  // eventVersion first, as CloudTrail writes records: compact files of them are screened on their bytes.
  const moved: Record<string, unknown> = {
    eventVersion: record.eventVersion ?? "1.08",
    ...record,
    eventID: `gen-${i}`,
    eventTime: `2026-02-${day}T${String(i % 24).padStart(2, "0")}:00:00Z`,
    eventName: actions[(i * 7) % actions.length],
    userIdentity: { ...(record.userIdentity as object), type: i % 2 ? "AssumedRole" : "WebIdentityUser" },
  };
  const compact = JSON.stringify(moved);
  const escapeFirstLetter = (s: string) =>
    s.replace(/"eventName":"(.)/, (_m, c: string) => `"eventName":"\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
  return {
    compact: [
      compact,
      escapeFirstLetter(JSON.stringify({ ...moved, eventID: `gen-${i}-u` })),
      JSON.stringify({ ...moved, eventID: `gen-${i}-slash` }).replaceAll("/", "\\/"),
      JSON.stringify({ ...moved, eventID: `gen-${i}-array`, eventSource: [moved.eventSource] }),
      // A needle in a field no rule reads.
      JSON.stringify({ ...moved, eventID: `gen-${i}-note`, eventName: "Other", requestParameters: { note: moved.eventName } }),
    ],
    // A copy nested inside another record (such files go the general way).
    nested: [JSON.stringify({ ...moved, eventID: `gen-${i}-nested`, requestParameters: { event: moved } })],
    pretty: [JSON.stringify({ ...moved, eventID: `gen-${i}-pretty` }, null, 2)],
  };
}

function writeGeneratedCorpus(dir: string, texts: string[]): string[] {
  const actions = [
    ...new Set(texts.flatMap((t) => /"eventName"\s*:\s*"([A-Za-z]+)"/.exec(t)?.[1] ?? [])),
    "AssumeRoleWithWebIdentity",
  ].sort();
  // Every fifth record is enough to cover each dataset's shapes and keeps the test quick.
  const made = texts.flatMap((t, i) => (i % 5 === 0 ? [variants(t, i, actions)] : []));
  // Compact records in files of their own (CloudTrail's shape, screened), the others in theirs.
  const write = (kind: string, records: string[]) => {
    for (let f = 0; f * 500 < records.length; f++) {
      const body = `{"Records":[${records.slice(f * 500, (f + 1) * 500).join(",")}]}`;
      const name = `111122223333_CloudTrail_us-east-1_${kind}${String(f).padStart(3, "0")}.json.gz`;
      writeFileSync(join(dir, name), gzipSync(body));
    }
  };
  const kinds = ["compact", "nested", "pretty"] as const;
  return kinds.flatMap((kind) => {
    const records = made.flatMap((v) => v[kind]);
    write(kind, records);
    return records;
  });
}

async function scanBoth(ruleSet: Rule[]): Promise<[ScanResult, ScanResult]> {
  const run = (prefilter: boolean) => scan({ inputs: [datasets, corpus], rules: ruleSet, enricher, prefilter });
  return [await run(true), await run(false)];
}

function comparable(result: ScanResult) {
  return {
    alerts: result.alerts.map((a) => JSON.stringify(a)),
    rules: result.rules.map((r) => [r.rule.ruleId, r.candidates, r.alerts, r.warnings]),
    candidates: result.stats.candidates,
    records: result.stats.records,
    // Not `duplicates`: a copy of a selected event is only recognised as one when it is parsed.
  };
}

test("most reference rules have a derivable raw test; with one that has none, every record is parsed", () => {
  const derivable = rules.filter((r) => recordPrefilter([r], cloudtrailSchema) !== undefined);
  assert.ok(rules.length > 100, `${rules.length} supported reference rules`);
  assert.ok(derivable.length > rules.length * 0.9, `${derivable.length} of ${rules.length} derivable`);
  assert.ok(derivable.length < rules.length);
  assert.equal(recordPrefilter(rules, cloudtrailSchema), undefined);
});

test("no record any reference rule selects is rejected by that rule's raw test", () => {
  const plans = planRules(rules, { schema: cloudtrailSchema, index, kibanaCompatible: false }).plans;
  const tests = plans.map((plan) => recordPrefilter([plan.rule], cloudtrailSchema));
  const screens = plans.map((plan) => recordScreen([plan.rule], cloudtrailSchema));
  const stage = new RecordStage({ namespace: "default", enricher, kibanaCompatible: false });
  let checked = 0;
  const check = (text: string, origin: string) => {
    const staged = stage.process(text, origin, () => {});
    if (!staged) return;
    plans.forEach((plan, p) => {
      const raw = tests[p];
      if (!raw || !plan.offer(staged.doc, staged.id)) return;
      checked++;
      assert.ok(raw(text), `${plan.rule.name} selects a record its raw test rejects:\n${text.slice(0, 400)}`);
      const screen = screens[p];
      if (!screen) return;
      const bytes = Buffer.from(text);
      assert.ok(screen.needles.some((n) => bytes.includes(n.bytes)), `${plan.rule.name}: no needle in\n${text.slice(0, 400)}`);
      assert.ok(screen.rangeTest(bytes)(0, bytes.length), `${plan.rule.name}: byte test rejects\n${text.slice(0, 400)}`);
    });
  };
  records.forEach((text, i) => check(text, `dataset#${i}`));
  generated.forEach((text, i) => check(text, `generated#${i}`));
  assert.ok(checked > 1000, `${checked} selections checked`);
});

test("the rules with a raw test together (pre-filter active): identical alerts, fewer records parsed", async () => {
  const derivable = rules.filter((r) => recordPrefilter([r], cloudtrailSchema) !== undefined);
  assert.ok(recordPrefilter(derivable, cloudtrailSchema));
  const screen = recordScreen(derivable, cloudtrailSchema);
  assert.ok(screen);
  const screened = readdirSync(corpus).filter((name) => screenFile(gunzipSync(readFileSync(join(corpus, name))), screen));
  assert.ok(
    screened.length > 0 && screened.every((name) => name.includes("compact")),
    `screened: ${screened.join(", ")}`,
  );
  const [on, off] = await scanBoth(derivable);
  assert.deepEqual(comparable(on), comparable(off));
  assert.ok(on.alerts.length > 0, "the corpus raises alerts");
  assert.ok(on.stats.parsed < off.stats.parsed, `${on.stats.parsed} of ${off.stats.parsed} records parsed`);
});
