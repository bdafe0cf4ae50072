/**
 * Screening whole files on their gunzipped bytes: the needles derived from rules, where records start, when a file
 * must go the general way instead, and that a scan gives the same alerts and record counts either way.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { gunzipSync, gzipSync } from "node:zlib";
import { cloudtrailSchema } from "../../src/ecs/index.ts";
import { createEnricher, loadBundledAsn } from "../../src/enrich/index.ts";
import { type ScanResult, scan } from "../../src/engine/index.ts";
import { recordScreen } from "../../src/engine/prefilter.ts";
import { screenFile } from "../../src/engine/select/file-screen.ts";
import { recordSegments } from "../../src/engine/select/record-segments.ts";
import { builtinRules, type Rule } from "../../src/rules/index.ts";
import { RecordSplitter } from "../../src/sources/index.ts";
import { assumedRoleCall, type CloudTrailRecord, webIdentityAssume } from "../helpers/cloudtrail.ts";

const base = builtinRules()[0];
const kql = (query: string): Rule => ({ ...base, type: "query", language: "kuery", query, origin: "t.toml" });
const esql = (query: string): Rule => ({ ...base, type: "esql", language: "esql", query, origin: "t.toml" });
const enricher = createEnricher({ asn: loadBundledAsn() });
const dirs: string[] = [];
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

const wrap = (records: string[]) => Buffer.from(`{"Records":[${records.join(",")}]}`);
const plain = (i: number, action = "PutObject") => JSON.stringify(assumedRoleCall({ at: "2026-11-20T10:00:00Z", action, eventID: `e${i}` }));

function splitCount(data: Buffer): number {
  const splitter = new RecordSplitter({ record: () => {}, problem: () => {} });
  splitter.push(data.toString());
  splitter.end();
  return splitter.records;
}

test("needles: an `and` needs one part (the fewest values), an `or` every branch, and always the backslash", () => {
  const lateral = esql(`FROM logs-aws.cloudtrail-* | WHERE event.action == "AssumeRoleWithWebIdentity"
    OR (event.action IN ("ListRoles", "GetSecretValue") AND aws.cloudtrail.user_identity.type == "AssumedRole")`);
  assert.deepEqual(recordScreen([lateral], cloudtrailSchema)?.needles.map((n) => n.bytes.toString()).sort(), [
    'AssumeRoleWithWebIdentity"',
    'AssumedRole"',
    "\\",
  ]);
  const both = kql('event.provider:"sts.amazonaws.com" and event.action:"AssumeRoleWithWebIdentity"');
  assert.deepEqual(recordScreen([both], cloudtrailSchema)?.needles.map((n) => n.bytes.toString()), ['AssumeRoleWithWebIdentity"', "\\"]);
  assert.equal(recordScreen([kql("event.action:Create*")], cloudtrailSchema), undefined, "no raw test, no screen");
  assert.equal(recordScreen([kql('event.action:"Bad\uFFFD"')], cloudtrailSchema), undefined, "U+FFFD's bytes vary");
});

test("record starts: CloudTrail's own shape only; anything else goes the general way", () => {
  const records = [plain(1), plain(2), plain(3)];
  const data = wrap(records);
  const segments = recordSegments(data);
  assert.equal(segments?.starts.length, 3);
  assert.equal(data.toString("utf8", segments?.starts[1], (segments?.starts[2] ?? 0) - 1), records[1]);
  assert.ok(recordSegments(Buffer.concat([data, Buffer.from("\n")])), "a trailing newline is fine");
  const otherVersions = plain(2).replace('"requestParameters":null', '"apiVersion":"2","requestParameters":{"xVersion":"eventVersions"}');
  assert.equal(recordSegments(wrap([plain(1), otherVersions, plain(3)]))?.starts.length, 3, "other *Version keys");

  const nestedValue = plain(2).replace('"requestParameters":null', `"requestParameters":${plain(9)}`);
  const nestedArray = plain(2).replace('"requestParameters":null', `"requestParameters":[${plain(9)}]`);
  const rejected: [string, Buffer][] = [
    ["NDJSON", Buffer.from(records.join("\n"))],
    ["pretty-printed", Buffer.from(JSON.stringify({ Records: records.map((r) => JSON.parse(r)) }, null, 2))],
    ["BOM", Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), data])],
    ["other key order", wrap([JSON.stringify({ eventTime: "2026-11-20T10:00:00Z", eventVersion: "1.08" })])],
    ["a later record in other key order", wrap([plain(1), JSON.stringify({ eventTime: "t", eventVersion: "1.08" })])],
    ["a later record pretty-printed", wrap([plain(1), JSON.stringify(JSON.parse(plain(2)), null, 2)])],
    ["nested record as a value", wrap([plain(1), nestedValue])],
    ["nested record first in an array", wrap([plain(1), nestedArray])],
    ["truncated", data.subarray(0, data.length - 40)],
    ["more after the Records array", Buffer.from(`{"Records":[${plain(1)}],"x":1}`)],
    ["empty", wrap([])],
  ];
  for (const [what, bytes] of rejected) assert.equal(recordSegments(bytes), undefined, what);
});

test("screening: only records holding a needle are decoded and tested; counts match the splitter's", () => {
  const screen = recordScreen(builtinRules(), cloudtrailSchema);
  assert.ok(screen);
  const records = [
    plain(1),
    JSON.stringify(webIdentityAssume({ at: "2026-11-20T10:00:00Z" })),
    // A needle in a field no rule reads: decoded, tested, rejected.
    plain(3).replace('"requestParameters":null', '"requestParameters":{"note":"AssumeRoleWithWebIdentity"}'),
    // The value spelt with an escape: found through the backslash.
    plain(4, "ListRoles").replace('"ListRoles"', '"\\u004cistRoles"'),
    plain(5),
  ];
  const data = wrap(records);
  const screened = screenFile(data, screen);
  assert.ok(screened);
  assert.equal(screened.records, splitCount(data));
  assert.deepEqual(
    screened.passed.map((p) => p.index),
    [1, 3],
  );
  assert.equal(screened.passed[1].text, records[3]);
});

test("a record the test passes that is not one JSON object sends the file the general way", () => {
  const screen = recordScreen(builtinRules(), cloudtrailSchema);
  assert.ok(screen);
  const hidden = JSON.stringify(webIdentityAssume({ at: "2026-11-20T10:00:00Z" }));
  // Nested as a later element of an array of objects: not visible from the bytes between records.
  const nested = plain(2).replace('"requestParameters":null', `"requestParameters":[{"a":1},${hidden}]`);
  const data = wrap([plain(1), nested, plain(3)]);
  assert.ok(recordSegments(data), "its starts look like records");
  assert.equal(screenFile(data, screen), undefined);
});

function archive(files: Record<string, Buffer>): string {
  const dir = mkdtempSync(join(tmpdir(), "tw-raw-screen-"));
  dirs.push(dir);
  for (const [name, data] of Object.entries(files)) writeFileSync(join(dir, name), data);
  return dir;
}

function comparable(r: ScanResult) {
  return {
    alerts: r.alerts.map((a) => JSON.stringify(a)),
    records: r.stats.records,
    candidates: r.stats.candidates,
    problems: r.problems.map((p) => `${p.origin.replace(/.*\//, "")}: ${p.message}`),
  };
}

test("a scan gives the same alerts, counts and problems screened, unscreened and with Kibana-compatible ids", async () => {
  const key = "ASIASCREENTEST000001";
  const session: CloudTrailRecord[] = [
    webIdentityAssume({ at: "2026-11-20T10:00:00Z", key, ip: "5.101.100.23" }),
    assumedRoleCall({ at: "2026-11-20T10:01:00Z", action: "ListRoles", key }),
    assumedRoleCall({ at: "2026-11-20T10:02:00Z", action: "GetSecretValue", key }),
  ];
  const json = session.map((r) => JSON.stringify(r));
  const filler = Array.from({ length: 40 }, (_, i) => plain(100 + i));
  const nested = plain(2).replace('"requestParameters":null', `"requestParameters":{"event":${json[1]}}`);
  const gz = (records: string[]) => gzipSync(wrap(records));
  const whole = gz([...filler.slice(0, 10), json[0], ...filler.slice(10)]);
  const screen = recordScreen(builtinRules(), cloudtrailSchema);
  assert.ok(screen && screenFile(gunzipSync(whole), screen), "the first file is screened");
  const dir = archive({
    "111122223333_CloudTrail_us-east-1_a.json.gz": whole,
    "111122223333_CloudTrail_us-east-1_a2.json.gz": gz([...filler.slice(0, 3), nested, ...filler.slice(3, 6)]),
    "111122223333_CloudTrail_us-east-1_b.json.gz": gzipSync(`${[...filler.slice(0, 5), json[1]].join("\n")}\n`),
    "111122223333_CloudTrail_us-east-1_c.json.gz": gzipSync(JSON.stringify({ Records: [json[2]].map((r) => JSON.parse(r)) }, null, 2)),
    "111122223333_CloudTrail_us-east-1_d.json.gz": whole.subarray(0, Math.floor(whole.length / 2)),
  });
  const run = (prefilter: boolean, kibanaCompatible = false) =>
    scan({ inputs: [dir], rules: builtinRules(), enricher, prefilter, kibanaCompatible });
  const [screened, unscreened] = [await run(true), await run(false)];
  assert.deepEqual(comparable(screened), comparable(unscreened));
  assert.ok(screened.alerts.length > 0, "the planted session raises alerts");
  assert.ok(screened.stats.parsed < unscreened.stats.parsed);
  assert.ok(screened.problems.some((p) => /truncated gzip/.test(p.message)), "the truncated copy is named");
  const [kibanaOn, kibanaOff] = [await run(true, true), await run(false, true)];
  assert.deepEqual(comparable(kibanaOn), comparable(kibanaOff));
});
