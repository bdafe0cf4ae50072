/**
 * watch over a real S3-protocol server on loopback (s3rver, not a mock): objects uploaded late, out of order and
 * twice, between rounds of the loop at injected times, still raise each alert once.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { gzipSync } from "node:zlib";
import { cloudtrailSchema } from "../../src/ecs/index.ts";
import { planRules } from "../../src/engine/index.ts";
import { watch } from "../../src/engine/watch/watch.ts";
import { createEnricher, loadBundledAsn } from "../../src/enrich/index.ts";
import { builtinRules } from "../../src/rules/index.ts";
import { S3Source } from "../../src/sources/live/s3-source.ts";
import { StateStore } from "../../src/store/state-store.ts";
import { ACCOUNT, assumedRoleCall, type CloudTrailRecord, OUTSIDE_IP, webIdentityAssume } from "../helpers/cloudtrail.ts";
import { startS3 } from "../sources/live/s3rver-harness.ts";

const MIN = 60_000;
const T0 = Date.parse("2026-11-20T10:00:00Z");

function key(time: string, suffix: string) {
  return `AWSLogs/${ACCOUNT}/CloudTrail/us-east-1/2026/11/20/${ACCOUNT}_CloudTrail_us-east-1_20261120T${time}Z_${suffix}.json.gz`;
}

function session(at: number, keyId: string): CloudTrailRecord[] {
  const t = (m: number) => new Date(at + m * MIN).toISOString();
  return [
    webIdentityAssume({ at: t(0), key: keyId, ip: OUTSIDE_IP }),
    assumedRoleCall({ at: t(1), key: keyId, action: "ListRoles" }),
    assumedRoleCall({ at: t(2), key: keyId, action: "GetSecretValue", source: "secretsmanager.amazonaws.com" }),
    assumedRoleCall({ at: t(3), key: keyId, action: "CreateAccessKey" }),
  ];
}

test("S3 objects arriving late, out of order and twice alert once each", async (t) => {
  const s3 = await startS3();
  t.after(() => s3.stop());
  const dir = mkdtempSync(join(tmpdir(), "tw-watch-s3-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  await s3.createBucket("trail");
  const put = (k: string, records: CloudTrailRecord[]) => s3.put("trail", k, gzipSync(JSON.stringify({ Records: records })));
  const plans = planRules(builtinRules(), {
    schema: cloudtrailSchema,
    index: "logs-aws.cloudtrail-default",
    kibanaCompatible: false,
  }).plans;
  const store = await StateStore.open(dir);
  const source = new S3Source("s3://trail/", { endpoint: s3.endpoint, clientConfig: s3.clientConfig });
  t.after(() => source.close());
  const round = (now: number) =>
    watch({
      sources: [source],
      plans,
      store,
      enricher: createEnricher({ asn: loadBundledAsn() }),
      sinks: ["stdout"],
      clock: { now: () => now, sleep: async () => {} },
      pollIntervalMs: MIN,
      once: true,
      onStatus: () => {},
      onProblem: (o, m) => assert.fail(`${o}: ${m}`),
    });

  const first = session(T0 - 50 * MIN, "ASIAS3LATE0000000001");
  const second = session(T0 - 40 * MIN, "ASIAS3LATE0000000002");
  await put(key("0955", "newer"), second.slice(0, 2));
  await round(T0);
  // The older object lands after the newer one was read (a key that sorts earlier), then the rest of the second
  // session, then a second trail delivers the first session again.
  await put(key("0915", "older"), first);
  await round(T0 + 7 * MIN);
  await put(key("0956", "rest"), second.slice(2));
  await round(T0 + 26 * MIN);
  await put(key("0915", "copy"), first);
  for (let now = T0 + 30 * MIN; now <= T0 + 3 * 60 * MIN; now += 5 * MIN) await round(now);

  const alerts = await store.alerts();
  const byRule = (id: string) => alerts.filter((a) => a.alert["kibana.alert.rule.rule_id"] === id);
  assert.equal(byRule("ae32268b-bfd0-4c35-b002-13461b5830ca").length, 2);
  const lateral = byRule("a1b2c3d4-e5f6-4789-a0b1-c2d3e4f5a6b7");
  assert.deepEqual(
    lateral.map((a) => [a.alert["aws.cloudtrail.user_identity.access_key_id"], a.alert["Esql.total_calls"]]).sort(),
    [
      ["ASIAS3LATE0000000001", 4],
      ["ASIAS3LATE0000000002", 4],
    ],
  );
  assert.equal((await store.counts()).objects, 4);
  await store.close();
});
