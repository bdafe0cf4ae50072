/**
 * New-terms rules in the live loop: an execution reads the rule's documents back to its history window's start, so
 * a tuple already seen earlier in the watch is not new again, and a tuple first seen now alerts once.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { cloudtrailSchema } from "../../src/ecs/index.ts";
import { planRules } from "../../src/engine/index.ts";
import { watch } from "../../src/engine/watch/watch.ts";
import { createEnricher } from "../../src/enrich/index.ts";
import { StateStore } from "../../src/store/state-store.ts";
import { ACCOUNT, assumedRoleCall, type CloudTrailRecord } from "../helpers/cloudtrail.ts";
import { fakeClock, MemorySource } from "../helpers/live.ts";
import { newTermsRule } from "../helpers/rules.ts";

const MIN = 60_000;
const T0 = Date.parse("2026-11-20T10:00:00Z");

const rule = newTermsRule(["aws.cloudtrail.user_identity.arn"], { ruleId: "nt-watch", timestampOverride: "event.ingested" });

let ids = 0;
function listUsers(user: string): CloudTrailRecord {
  const record = assumedRoleCall({ at: new Date(T0).toISOString(), action: "ListUsers" });
  (record.userIdentity as Record<string, unknown>).arn = `arn:aws:sts::${ACCOUNT}:assumed-role/app/${user}`;
  record.eventID = `ntw-${++ids}`;
  return record;
}

test("watch: a tuple seen before in the history window is not new; a first-seen tuple alerts once", async (t) => {
  const dir = mkdtempSync(join(tmpdir(), "tw-watch-nt-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const source = new MemorySource();
  source.add("a.json.gz", T0 + MIN, [listUsers("alice")]);
  source.add("b.json.gz", T0 + 11 * MIN, [listUsers("alice"), listUsers("bob")]);
  const plans = planRules([rule], { schema: cloudtrailSchema, index: "logs-aws.cloudtrail-default", kibanaCompatible: false });
  assert.equal(plans.plans.length, 1);

  const store = await StateStore.open(dir);
  const stop = new AbortController();
  await watch({
    sources: [source],
    plans: plans.plans,
    store,
    enricher: createEnricher({}),
    sinks: ["stdout"],
    clock: fakeClock(T0, T0 + 40 * MIN, stop),
    pollIntervalMs: MIN,
    signal: stop.signal,
    onStatus: () => {},
    onProblem: (o, m) => assert.fail(`${o}: ${m}`),
  });
  const alerts = (await store.alerts()).map((a) => a.alert);
  await store.close();

  const terms = alerts.map((a) => (a["kibana.alert.new_terms"] as string[])[0]);
  assert.deepEqual(terms, [
    `arn:aws:sts::${ACCOUNT}:assumed-role/app/alice`,
    `arn:aws:sts::${ACCOUNT}:assumed-role/app/bob`,
  ]);
});
