/**
 * Scanning with worker threads gives exactly what one thread gives: same alerts, same counts, same problems in the
 * same order; a bad file read inside a worker is named and the other files are still processed.
 */
import assert from "node:assert/strict";
import { readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { after, before, test } from "node:test";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { createEnricher, loadBundledAsn, loadBundledGeo } from "../../src/enrich/index.ts";
import { loadEnrichment, shareBundledData } from "../../src/enrich/load.ts";
import { type ScanResult, scan } from "../../src/engine/index.ts";
import { workerCount } from "../../src/engine/scan.ts";
import { runWorkerPool } from "../../src/engine/workers/pool.ts";
import { builtinRules, type Rule } from "../../src/rules/index.ts";
import { ACCOUNT, assumedRoleCall, OUTSIDE_IP, webIdentityAssume, writeArchive } from "../helpers/cloudtrail.ts";

const repoRoot = fileURLToPath(new URL("../../", import.meta.url));
const stratus = join(resolve(repoRoot, "../shared"), "datasets/stratus-red-team/detonation-logs");
// The enricher a worker builds from `enrichment: {}`.
const enricher = createEnricher({ asn: loadBundledAsn(), geo: loadBundledGeo() });
let archive: string;

before(() => {
  const session = [
    webIdentityAssume({ at: "2026-11-20T10:00:00Z", key: "ASIAWORKERTEST000001", ip: OUTSIDE_IP }),
    assumedRoleCall({ at: "2026-11-20T10:01:00Z", action: "ListRoles", key: "ASIAWORKERTEST000001" }),
    assumedRoleCall({ at: "2026-11-20T10:02:00Z", action: "GetSecretValue", key: "ASIAWORKERTEST000001" }),
  ];
  // Real records spread over many files, the planted session split across three of them.
  const real = readdirSync(stratus)
    .sort()
    .flatMap((name) => JSON.parse(readFileSync(join(stratus, name), "utf8")) as Record<string, unknown>[]);
  const files: Record<string, unknown>[][] = [];
  for (let i = 0; i < real.length; i += 20) files.push(real.slice(i, i + 20));
  files[3].push(session[0]);
  files[4].push(session[1]);
  files[9].push(session[2]);
  archive = writeArchive(files);
  // Bad inputs in the middle of the file order: a truncated gzip and a broken record.
  const whole = gzipSync(JSON.stringify({ Records: real.slice(0, 5) }));
  writeFileSync(join(archive, `${ACCOUNT}_CloudTrail_us-east-1_file5a.json.gz`), whole.subarray(0, whole.length - 30));
  writeFileSync(join(archive, `${ACCOUNT}_CloudTrail_us-east-1_file6a.json`), '{"Records":[{"eventTime":"not a date","eventName":"AssumeRoleWithWebIdentity"}]}');
});

after(() => rmSync(archive, { recursive: true, force: true }));

const run = (workers: number, kibanaCompatible = false): Promise<ScanResult> =>
  scan({ inputs: [archive], rules: builtinRules(), enricher, enrichment: {}, workers, kibanaCompatible });

test("1 and 2 workers: identical alerts, statistics and problems", async () => {
  const [one, two] = [await run(1), await run(2)];
  assert.deepEqual(two.alerts, one.alerts);
  assert.deepEqual(two.stats, one.stats);
  assert.deepEqual(two.problems, one.problems);
  assert.deepEqual(
    two.rules.map((r) => [r.rule.ruleId, r.candidates, r.alerts]),
    one.rules.map((r) => [r.rule.ruleId, r.candidates, r.alerts]),
  );
  const keys = two.alerts.map((a) => a["aws.cloudtrail.user_identity.access_key_id"]);
  assert.ok(keys.includes("ASIAWORKERTEST000001"), "the session split over three files is found");
});

test("a bad file inside a worker is reported by name; every other file is still processed", async () => {
  const result = await run(3);
  const origins = result.problems.map((p) => p.origin);
  assert.ok(origins.some((o) => o.endsWith("file5a.json.gz")), JSON.stringify(result.problems));
  assert.match(result.problems.find((p) => p.origin.endsWith("file5a.json.gz"))?.message ?? "", /gzip/);
  assert.ok(origins.some((o) => o.endsWith("file6a.json")));
  assert.equal(result.stats.files, readdirSync(archive).length);
  assert.ok(result.alerts.length > 0);
});

test("Kibana-compatible ids (per file and record position) are the same with workers", async () => {
  const [one, two] = [await run(1, true), await run(2, true)];
  assert.deepEqual(two.alerts, one.alerts);
  assert.deepEqual(two.stats, one.stats);
});

test("the pool hands results back in input order, with a missing file named in its own result", async () => {
  const files = readdirSync(archive)
    .sort()
    .map((name) => ({ path: join(archive, name), size: 0 }));
  files.splice(2, 0, { path: join(archive, "gone.json.gz"), size: 0 });
  const seen: string[] = [];
  let records = 0;
  await runWorkerPool({
    workers: 2,
    files,
    setup: { rules: builtinRules(), namespace: "default", kibanaCompatible: false, prefilter: true, enrichment: {} },
    // Nothing shared: each worker loads the bundled tables itself.
    sharedData: () => ({}),
    onResult: (file, result) => {
      seen.push(file.path);
      records += result.counts.records;
      if (file.path.endsWith("gone.json.gz")) assert.match(result.problems[0]?.message ?? "", /no such file/);
    },
  });
  assert.deepEqual(seen, files.map((f) => f.path));
  assert.ok(records > 300);
});

test("workers share one copy of the bundled ASN/geo tables, and enrich exactly as tables of their own", async () => {
  const bundled = shareBundledData({});
  assert.ok(bundled.asn && bundled.geo);
  assert.ok(bundled.asn.v4Start.buffer instanceof SharedArrayBuffer);
  assert.ok(bundled.asn.entryOrg.buffer instanceof SharedArrayBuffer);
  assert.ok(bundled.geo.buffer instanceof SharedArrayBuffer);
  assert.deepEqual(shareBundledData({ asnDb: "a.mmdb", geoDb: "g.mmdb" }), { asn: undefined, geo: undefined });
  const shared = await loadEnrichment({}, bundled);
  for (const ip of [OUTSIDE_IP, "3.2.34.17", "8.8.8.8", "2a03:b0c0:3:d0::1", "10.0.0.1", "not an ip"]) {
    const own = { source: { ip } };
    const fromShared = { source: { ip } };
    enricher.enrich(own);
    shared.enrich(fromShared);
    assert.deepEqual(fromShared, own, ip);
    if (ip === OUTSIDE_IP) assert.ok("as" in own.source && "geo" in own.source, "an address the tables know");
  }
});

test("a document cut down for one rule is never judged by another", async () => {
  // The ES|QL rule reads only event.action (and aggregates), so its candidates travel without event.provider; the
  // KQL rule, offered such a copy, would find no provider and alert. Every whole record has one.
  const base = builtinRules()[0];
  const counted: Rule = {
    ...base,
    ruleId: "count-calls",
    type: "esql",
    language: "esql",
    query: `FROM logs-aws.cloudtrail-* | WHERE event.action == "GetSecretValue" | STATS calls = COUNT(*) BY event.action`,
  };
  const notSts: Rule = {
    ...base,
    ruleId: "secret-read-without-provider",
    type: "query",
    language: "kuery",
    query: `event.action:GetSecretValue and not event.provider:*`,
  };
  const scanWith = (workers: number) =>
    scan({ inputs: [archive], rules: [counted, notSts], enricher, enrichment: {}, workers, kibanaCompatible: false });
  const [one, two] = [await scanWith(1), await scanWith(2)];
  const byRule = (r: ScanResult) => r.rules.map((x) => [x.rule.ruleId, x.candidates, x.alerts]);
  assert.deepEqual(byRule(two), byRule(one));
  assert.deepEqual(byRule(two), [
    ["count-calls", 21, 1],
    ["secret-read-without-provider", 0, 0],
  ]);
});

test("left to the default, a small input is read in one thread and a large one by up to `workers`", () => {
  const files = (mb: number[]) => mb.map((m, i) => ({ path: `f${i}`, size: m << 20 }));
  const auto = { workers: 4, minBytesPerWorker: 16 << 20 };
  assert.equal(workerCount(auto, files([10, 10])), 1);
  assert.equal(workerCount(auto, files([20, 20])), 2);
  assert.equal(workerCount(auto, files([200])), 4);
  assert.equal(workerCount({ workers: 3 }, files([1])), 3, "a count the user gave is used as it is");
});
