import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { gzipSync } from "node:zlib";
import type { ObjectRef } from "../../../src/sources/live/object-source.ts";
import { dayPaths, S3Source } from "../../../src/sources/live/s3-source.ts";
import { type S3Harness, startS3 } from "./s3rver-harness.ts";

// A real S3-protocol server (s3rver) on loopback, not a mock: listing, pagination and GetObject as S3 does them.
let s3: S3Harness;
before(async () => {
  s3 = await startS3();
});
after(async () => {
  await s3.stop();
});

const NOW = Date.parse("2026-11-21T12:00:00Z");
const ACCOUNT = "111111111111";

function key(account: string, region: string, day: string, time: string, suffix = "a", owner = "") {
  const compact = day.replace(/\//g, "");
  const file = `${account}_CloudTrail_${region}_${compact}T${time}Z_${suffix}.json.gz`;
  return `${owner}AWSLogs/${account}/CloudTrail/${region}/${day}/${file}`;
}

function body(eventName: string) {
  return gzipSync(JSON.stringify({ Records: [{ eventName }] }));
}

/** What a caller does: remember what it has read, keep only new ids. */
function reader(source: S3Source) {
  const read = new Set<string>();
  return async (now: number): Promise<ObjectRef[]> => {
    const fresh = (await source.poll(now)).filter((r) => !read.has(r.id));
    for (const r of fresh) read.add(r.id);
    return fresh;
  };
}

test("objects delivered late and out of order across polls are all offered, each once to the caller", async () => {
  await s3.createBucket("late-trail");
  const source = new S3Source("s3://late-trail/", { endpoint: s3.endpoint, clientConfig: s3.clientConfig });
  const pollNew = reader(source);
  const later = key(ACCOUNT, "us-east-1", "2026/11/21", "1150", "later");
  const earlier = key(ACCOUNT, "us-east-1", "2026/11/21", "1130", "earlier");
  await s3.put("late-trail", later, body("GetCallerIdentity"));
  assert.deepEqual((await pollNew(NOW)).map((r) => r.name), [later]);
  // Delivered after `later` was read, with a smaller key: a StartAfter cursor would never see it.
  await s3.put("late-trail", earlier, body("ListBuckets"));
  const second = await pollNew(NOW + 60_000);
  assert.deepEqual(second.map((r) => r.name), [earlier]);
  assert.equal(second[0].id.startsWith(`s3://late-trail/${earlier}#`), true);
  assert.deepEqual(await pollNew(NOW + 120_000), []);
  const bytes = await source.read(second[0]);
  assert.deepEqual(bytes, body("ListBuckets"));
  await source.close();
});

test("the re-scan window picks up an object put into yesterday's prefix after today's was listed", async () => {
  await s3.createBucket("rescan-trail");
  const source = new S3Source("s3://rescan-trail", { endpoint: s3.endpoint, clientConfig: s3.clientConfig });
  const pollNew = reader(source);
  const today = key(ACCOUNT, "eu-west-1", "2026/11/21", "0005");
  await s3.put("rescan-trail", today, body("A"));
  assert.deepEqual((await pollNew(NOW)).map((r) => r.name), [today]);
  const yesterday = key(ACCOUNT, "eu-west-1", "2026/11/20", "2358");
  await s3.put("rescan-trail", yesterday, body("B"));
  assert.deepEqual((await pollNew(NOW + 60_000)).map((r) => r.name), [yesterday]);
  // Outside a shorter window, yesterday's prefix is no longer listed.
  const narrow = new S3Source("s3://rescan-trail", {
    endpoint: s3.endpoint,
    clientConfig: s3.clientConfig,
    rescanWindowMs: 3600_000,
  });
  assert.deepEqual((await narrow.poll(NOW)).map((r) => r.name), [today]);
  await Promise.all([source.close(), narrow.close()]);
});

test("all accounts and regions are discovered; --accounts narrows; a trail prefix is honoured", async () => {
  await s3.createBucket("multi");
  const keys = [
    key("111111111111", "us-east-1", "2026/11/21", "1000", "a", "trail/"),
    key("111111111111", "ap-south-1", "2026/11/21", "1001", "a", "trail/"),
    key("222222222222", "us-east-1", "2026/11/21", "1002", "a", "trail/"),
  ];
  for (const k of keys) await s3.put("multi", k, body("X"));
  await s3.put("multi", "trail/AWSLogs/111111111111/CloudTrail-Digest/us-east-1/2026/11/21/digest.json.gz", "{}");
  await s3.put("multi", "elsewhere/AWSLogs/333333333333/CloudTrail/us-east-1/2026/11/21/x.json.gz", body("Y"));
  const all = new S3Source("s3://multi/trail", { endpoint: s3.endpoint, clientConfig: s3.clientConfig });
  assert.deepEqual((await all.poll(NOW)).map((r) => r.name).sort(), [...keys].sort());
  const one = new S3Source("s3://multi/trail/", {
    endpoint: s3.endpoint,
    clientConfig: s3.clientConfig,
    accounts: ["222222222222"],
  });
  assert.deepEqual((await one.poll(NOW)).map((r) => r.name), [keys[2]]);
  const region = new S3Source("s3://multi/trail/AWSLogs/111111111111/CloudTrail/ap-south-1/", {
    endpoint: s3.endpoint,
    clientConfig: s3.clientConfig,
  });
  assert.deepEqual((await region.poll(NOW)).map((r) => r.name), [keys[1]]);
  await Promise.all([all.close(), one.close(), region.close()]);
});

test("organisation trails (AWSLogs/<org-id>/<account>/…) are walked per member account", async () => {
  await s3.createBucket("org-trail");
  const org = "AWSLogs/o-abcde12345/";
  const member = key("444444444444", "us-west-2", "2026/11/21", "1100", "a").replace("AWSLogs/", org);
  const other = key("555555555555", "us-west-2", "2026/11/21", "1100", "b").replace("AWSLogs/", org);
  await s3.put("org-trail", member, body("A"));
  await s3.put("org-trail", other, body("B"));
  const all = new S3Source("s3://org-trail/", { endpoint: s3.endpoint, clientConfig: s3.clientConfig });
  assert.deepEqual((await all.poll(NOW)).map((r) => r.name).sort(), [member, other]);
  const narrowed = new S3Source("s3://org-trail/AWSLogs/", {
    endpoint: s3.endpoint,
    clientConfig: s3.clientConfig,
    accounts: ["555555555555"],
  });
  assert.deepEqual((await narrowed.poll(NOW)).map((r) => r.name), [other]);
  await Promise.all([all.close(), narrowed.close()]);
});

test("listing a missing bucket fails with the location in the message", async () => {
  const source = new S3Source("s3://no-such-bucket/", { endpoint: s3.endpoint, clientConfig: s3.clientConfig });
  await assert.rejects(source.poll(NOW), /s3:\/\/no-such-bucket\/AWSLogs\/: NoSuchBucket/);
  await source.close();
});

test("day prefixes cover every UTC day the window touches", () => {
  assert.deepEqual(dayPaths(NOW - 24 * 3600_000, NOW), ["2026/11/20/", "2026/11/21/"]);
  assert.deepEqual(dayPaths(NOW - 3600_000, NOW), ["2026/11/21/"]);
  assert.deepEqual(dayPaths(Date.parse("2026-12-31T23:00:00Z"), Date.parse("2027-01-01T00:10:00Z")), [
    "2026/12/31/",
    "2027/01/01/",
  ]);
});
