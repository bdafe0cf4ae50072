import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { test } from "node:test";
import { gzipSync } from "node:zlib";
import { readSources } from "../../src/sources/index.ts";
import { readInputFile } from "../../src/sources/read-file.ts";

const dir = mkdtempSync(join(tmpdir(), "tw-sources-"));
const rec = (id: string) => `{"eventID":"${id}","eventName":"GetCallerIdentity"}`;

async function read(path: string, stdin?: Readable) {
  const records: string[] = [];
  const problems: string[] = [];
  await readInputFile(path, { record: (t) => records.push(t), problem: (o, m) => problems.push(`${o}: ${m}`) }, stdin);
  return { records, problems };
}

test("gzip is recognised by magic bytes whatever the file is called", async () => {
  const path = join(dir, "records.json");
  writeFileSync(path, gzipSync(`{"Records":[${rec("1")},${rec("2")}]}`));
  const { records, problems } = await read(path);
  assert.deepEqual(records, [rec("1"), rec("2")]);
  assert.deepEqual(problems, []);
});

test("a truncated gzip keeps the records before the damage and names the file", async () => {
  const many = Array.from({ length: 2000 }, (_, i) => rec(`r${i}`)).join(",");
  const gz = gzipSync(`{"Records":[${many}]}`);
  const path = join(dir, "cut.json.gz");
  writeFileSync(path, gz.subarray(0, Math.floor(gz.length * 0.6)));
  const { records, problems } = await read(path);
  assert.ok(records.length > 100 && records.length < 2000, `got ${records.length}`);
  assert.equal(problems.length, 1);
  assert.match(problems[0], /cut\.json\.gz: truncated gzip/);
});

test("a damaged gzip gives the same records every time: all before the damage, corrupt or cut", async () => {
  const many = Array.from({ length: 3000 }, (_, i) => rec(`d${i}`)).join(",");
  const gz = gzipSync(`{"Records":[${many}]}`);
  const cut = join(dir, "cut-again.json.gz");
  writeFileSync(cut, gz.subarray(0, Math.floor(gz.length * 0.5)));
  const corrupt = Buffer.from(gz);
  corrupt.fill(0xff, Math.floor(gz.length * 0.5), Math.floor(gz.length * 0.5) + 64);
  const bad = join(dir, "corrupt.json.gz");
  writeFileSync(bad, corrupt);
  for (const [path, message] of [
    [cut, /truncated gzip/],
    [bad, /corrupt gzip/],
  ] as const) {
    const runs = await Promise.all([read(path), read(path), read(path)]);
    const { records, problems } = runs[0];
    // Deflate may inflate a few corrupt bytes into garbage before it notices; the records before them are intact.
    const intact = records.findIndex((r, i) => r !== rec(`d${i}`));
    const before = intact < 0 ? records.length : intact;
    assert.ok(before > 1000 && records.length < 3000, `${path}: ${before} intact of ${records.length}`);
    if (path === cut) {
      assert.equal(before, records.length, "a cut file: every record before the cut, none skipped");
      assert.equal(problems.length, 1);
    }
    assert.ok(problems.some((p) => message.test(p)), problems.join("\n"));
    for (const again of runs.slice(1)) assert.deepEqual(again, runs[0]);
  }
});

test("stdin is read as '-'", async () => {
  const { records } = await read("-", Readable.from([Buffer.from(`${rec("s1")}\n${rec("s2")}\n`)]));
  assert.deepEqual(records, [rec("s1"), rec("s2")]);
});

test("missing files and non-JSON files are named; other inputs are still read", async () => {
  const good = join(dir, "good.ndjson");
  const bad = join(dir, "bad.json");
  writeFileSync(good, `${rec("g")}\n`);
  writeFileSync(bad, "<html>not json</html>");
  const records: string[] = [];
  const problems: string[] = [];
  await readSources([join(dir, "nope.json"), bad, good], {
    onRecord: (t) => records.push(t),
    onProblem: (p) => problems.push(`${p.origin}: ${p.message}`),
  });
  assert.deepEqual(records, [rec("g")]);
  assert.equal(problems.length, 2);
  assert.match(problems[0], /nope\.json: no such file or directory/);
  assert.match(problems[1], /bad\.json: not JSON/);
});

test("directories are walked in name order and S3-layout files outside --from/--to are skipped", async () => {
  const day = join(dir, "AWSLogs", "111122223333", "CloudTrail", "us-east-1", "2024", "05", "01");
  const { mkdirSync } = await import("node:fs");
  mkdirSync(day, { recursive: true });
  const early = join(day, "111122223333_CloudTrail_us-east-1_20240501T0010Z_a.json.gz");
  const late = join(day, "111122223333_CloudTrail_us-east-1_20240501T2350Z_b.json.gz");
  writeFileSync(early, gzipSync(`{"Records":[${rec("early")}]}`));
  writeFileSync(late, gzipSync(`{"Records":[${rec("late")}]}`));
  writeFileSync(join(day, "README.txt"), "not a record file");
  const seen: string[] = [];
  await readSources([join(dir, "AWSLogs")], {
    range: { from: Date.UTC(2024, 4, 1, 12) },
    onRecord: (t) => seen.push(JSON.parse(t).eventID),
    onProblem: (p) => assert.fail(p.message),
  });
  assert.deepEqual(seen, ["late"]);
});

test("a whole file's gunzipped bytes are offered first; declined, its records come one by one", async () => {
  const body = `{"Records":[${rec("1")},${rec("2")}]}`;
  const path = join(dir, "offered.json.gz");
  writeFileSync(path, gzipSync(body));
  const offered: string[] = [];
  const records: string[] = [];
  const events = (take: boolean) => ({
    record: (t: string) => records.push(t),
    problem: () => assert.fail("no problem expected"),
    wholeFile: (data: Buffer, origin: string) => {
      offered.push(`${origin}: ${data.toString()}`);
      return take;
    },
  });
  await readInputFile(path, events(true));
  assert.deepEqual(offered, [`${path}: ${body}`]);
  assert.deepEqual(records, [], "taken: no record delivered");
  await readInputFile(path, events(false));
  assert.deepEqual(records, [rec("1"), rec("2")]);
  offered.length = 0;
  await readInputFile("-", events(true), Readable.from([body]));
  assert.deepEqual(offered, [], "stdin streams: nothing to offer");
  assert.equal(records.length, 4);
});
