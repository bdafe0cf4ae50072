/**
 * The live loop with injected time: objects arrive in memory at chosen instants, the clock jumps instead of sleeping,
 * and alerts are read back from the DuckDB state store.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { cloudtrailSchema } from "../../src/ecs/index.ts";
import { planRules, scan } from "../../src/engine/index.ts";
import { type WatchOptions, watch } from "../../src/engine/watch/watch.ts";
import { createEnricher, loadBundledAsn } from "../../src/enrich/index.ts";
import { builtinRules } from "../../src/rules/index.ts";
import type { ObjectSource } from "../../src/sources/live/object-source.ts";
import { StateStore } from "../../src/store/state-store.ts";
import { fakeClock, MemorySource } from "../helpers/live.ts";
import { assumedRoleCall, type CloudTrailRecord, OUTSIDE_IP, webIdentityAssume, writeArchive } from "../helpers/cloudtrail.ts";

const LATERAL = "a1b2c3d4-e5f6-4789-a0b1-c2d3e4f5a6b7";
const EXTERNAL_ASN = "ae32268b-bfd0-4c35-b002-13461b5830ca";
const enricher = createEnricher({ asn: loadBundledAsn() });
const T0 = Date.parse("2026-11-20T10:00:00Z");
const MIN = 60_000;

function tempDir(t: { after(fn: () => void): void }) {
  const dir = mkdtempSync(join(tmpdir(), "tw-watch-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

const plans = (kibanaCompatible = false) =>
  planRules(builtinRules(), { schema: cloudtrailSchema, index: "logs-aws.cloudtrail-default", kibanaCompatible })
    .plans;

async function run(
  store: StateStore,
  source: ObjectSource,
  start: number,
  until: number,
  extra: Partial<WatchOptions> = {},
) {
  const stop = new AbortController();
  const status: string[] = [];
  const summary = await watch({
    sources: [source],
    plans: plans(),
    store,
    enricher,
    sinks: ["stdout"],
    clock: fakeClock(start, until, stop),
    pollIntervalMs: 5 * MIN,
    signal: stop.signal,
    onStatus: (l) => status.push(l),
    onProblem: (o, m) => assert.fail(`${o}: ${m}`),
    ...extra,
  });
  return { summary, status };
}

/** A session that triggers both rules: a web-identity assume from outside Amazon, then three sensitive actions. */
function session(at: number, key: string): CloudTrailRecord[] {
  const t = (m: number) => new Date(at + m * MIN).toISOString();
  return [
    webIdentityAssume({ at: t(0), key, ip: OUTSIDE_IP }),
    assumedRoleCall({ at: t(1), key, action: "ListRoles" }),
    assumedRoleCall({ at: t(2), key, action: "GetSecretValue", source: "secretsmanager.amazonaws.com" }),
    assumedRoleCall({ at: t(3), key, action: "CreateAccessKey" }),
  ];
}

const idsByRule = (alerts: { ruleId: string; id: string }[]) =>
  alerts.map((a) => `${a.ruleId === LATERAL ? "lateral" : a.ruleId === EXTERNAL_ASN ? "asn" : a.ruleId}:${a.id}`).sort();

test("objects arriving hours late and out of order alert once each, and each object is acknowledged", async (t) => {
  const store = await StateStore.open(tempDir(t));
  const source = new MemorySource();
  const first = session(T0 - 5 * 60 * MIN, "ASIALATE000000000001");
  const second = session(T0 - 6 * 60 * MIN, "ASIALATE000000000002");
  // Delivered late, the older session after the newer one, one record split off into a later object.
  source.add("b.json.gz", T0 + 20 * MIN, second.slice(0, 3));
  source.add("a.json.gz", T0 + 7 * MIN, first);
  source.add("c.json.gz", T0 + 50 * MIN, second.slice(3));
  // The same records delivered again by a second trail.
  source.add("a-copy.json.gz", T0 + 90 * MIN, first);
  const { summary } = await run(store, source, T0, T0 + 4 * 60 * MIN);
  const alerts = await store.alerts();
  assert.equal(alerts.filter((a) => a.ruleId === EXTERNAL_ASN).length, 2);
  const lateral = alerts.filter((a) => a.ruleId === LATERAL);
  assert.deepEqual(
    lateral.map((a) => a.alert["aws.cloudtrail.user_identity.access_key_id"]).sort(),
    ["ASIALATE000000000001", "ASIALATE000000000002"],
  );
  // The split session was aggregated across its two objects once the second one arrived.
  const split = lateral.find((a) => a.alert["aws.cloudtrail.user_identity.access_key_id"] === "ASIALATE000000000002");
  assert.equal(split?.alert["Esql.total_calls"], 4);
  assert.equal(summary.objects, 4);
  assert.deepEqual([...new Set(source.acknowledged)].sort(), ["mem:a-copy.json.gz", "mem:a.json.gz", "mem:b.json.gz", "mem:c.json.gz"]);
  assert.deepEqual([...(await store.undelivered())], [["stdout", alerts.length]]);
  await store.close();
});

test("with every file there before the first execution, watch raises the alerts scan raises, with the same ids", async (t) => {
  const files = [session(T0 - 30 * MIN, "ASIASAME000000000001"), session(T0 - 20 * MIN, "ASIASAME000000000002")];
  const scanned = await scan({ inputs: [writeArchive(files)], rules: builtinRules(), enricher });
  const store = await StateStore.open(tempDir(t));
  const source = new MemorySource();
  files.forEach((records, i) => source.add(`f${i}.json.gz`, T0 - MIN, records));
  await run(store, source, T0, T0 + 2 * 60 * MIN);
  const watched = await store.alerts();
  const fromScan = scanned.alerts.map((a) => ({ ruleId: String(a["kibana.alert.rule.rule_id"]), id: String(a["kibana.alert.uuid"]) }));
  assert.equal(fromScan.length, 4);
  assert.deepEqual(idsByRule(watched), idsByRule(fromScan));
  await store.close();
});

test("after downtime every missed execution runs from the checkpoint, and the catch-up is reported", async (t) => {
  const dir = tempDir(t);
  const source = new MemorySource();
  source.add("a.json.gz", T0, session(T0 - 10 * MIN, "ASIADOWN000000000001"));
  let store = await StateStore.open(dir);
  await run(store, source, T0, T0, { once: true });
  await store.close();
  // Down for three hours: 36 executions of the 5-minute rule and 3 of the hourly one are due on restart.
  store = await StateStore.open(dir);
  const { status, summary } = await run(store, source, T0 + 3 * 60 * MIN, T0, { once: true });
  assert.equal(summary.executions, 36 + 3);
  assert.ok(status.some((l) => /AssumeRoleWithWebIdentity from Kubernetes SA and External ASN": catching up 36 executions missed since 2026-11-20T10:00:00Z/.test(l)));
  assert.ok(status.some((l) => /Lateral Movement.*catching up 3 executions/.test(l)));
  assert.equal(status.filter((l) => / execution 2026-11-20T1\d:\d\d:00Z over \[/.test(l)).length, 39);
  // The events ingested before the downtime were still seen by the first missed executions.
  assert.equal((await store.alerts()).length, 2);
  await store.close();
});

test("a restart halfway through a stream gives the alerts of an uninterrupted run", async (t) => {
  const stream = new MemorySource();
  for (let i = 0; i < 6; i++) stream.add(`s${i}.json.gz`, T0 + i * 17 * MIN, session(T0 + i * 17 * MIN - 8 * MIN, `ASIARESTART00000000${i}`));
  const whole = await StateStore.open(tempDir(t));
  await run(whole, stream, T0, T0 + 3 * 60 * MIN);
  const expected = idsByRule(await whole.alerts());
  await whole.close();
  assert.equal(expected.length, 12);

  const dir = tempDir(t);
  let store = await StateStore.open(dir);
  await run(store, stream, T0, T0 + 45 * MIN);
  await store.close();
  store = await StateStore.open(dir);
  await run(store, stream, T0 + 45 * MIN, T0 + 3 * 60 * MIN);
  assert.deepEqual(idsByRule(await store.alerts()), expected);
  await store.close();
});

test("candidates no future window can select are pruned", async (t) => {
  const store = await StateStore.open(tempDir(t));
  const source = new MemorySource();
  source.add("a.json.gz", T0, session(T0 - 10 * MIN, "ASIAPRUNE00000000001"));
  await run(store, source, T0, T0 + 2 * 60 * MIN);
  // The 5-minute rule's 6-minute window has long passed; the hourly rule still looks back 24 hours.
  const counts = await store.counts();
  const lateralWindow = await store.windowCandidates(LATERAL, 0, Number.MAX_SAFE_INTEGER);
  assert.equal((await store.windowCandidates(EXTERNAL_ASN, 0, Number.MAX_SAFE_INTEGER)).length, 0);
  assert.equal(lateralWindow.length, 4);
  assert.equal(counts.candidates, 4);
  await store.close();
});

test("Kibana-compatible: an aggregating rule alerts again at every execution whose window holds the session", async (t) => {
  const store = await StateStore.open(tempDir(t));
  const source = new MemorySource();
  source.add("a.json.gz", T0 + MIN, session(T0 - 10 * MIN, "ASIAKIBANA0000000001"));
  await run(store, source, T0, T0 + 3 * 60 * MIN + MIN, { plans: plans(true), kibanaCompatible: true });
  const lateral = (await store.alerts()).filter((a) => a.ruleId === LATERAL);
  // Executions at 11:00, 12:00 and 13:00 each see the session inside their 24-hour look-back.
  assert.deepEqual(
    lateral.map((a) => a.alert["@timestamp"]),
    ["2026-11-20T11:00:00.000Z", "2026-11-20T12:00:00.000Z", "2026-11-20T13:00:00.000Z"],
  );
  assert.equal(new Set(lateral.map((a) => a.id)).size, 3);
  await store.close();
});

test("a source hears done(ref) only once the object is durably recorded, and again for an object read before", async (t) => {
  const dir = tempDir(t);
  const store = await StateStore.open(dir);
  const recordedAtDone: boolean[] = [];
  const source = new MemorySource();
  source.add("a.json.gz", T0, session(T0 - 10 * MIN, "ASIADONE000000000001"));
  const done = source.done.bind(source);
  source.done = async (ref) => {
    recordedAtDone.push((await store.readObjects([ref.id])).has(ref.id));
    await done(ref);
  };
  await run(store, source, T0, T0, { once: true });
  await run(store, source, T0 + MIN, T0, { once: true });
  // Acknowledged after the commit in the first round; offered again (an SQS redelivery), acknowledged without re-reading.
  assert.deepEqual(recordedAtDone, [true, true]);
  assert.equal((await store.counts()).objects, 1);
  await store.close();
});
