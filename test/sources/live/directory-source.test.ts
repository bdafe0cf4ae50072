import assert from "node:assert/strict";
import { appendFileSync, mkdirSync, mkdtempSync, renameSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { gzipSync } from "node:zlib";
import { DirectorySource } from "../../../src/sources/live/directory-source.ts";

const root = mkdtempSync(join(tmpdir(), "tw-dir-source-"));
after(() => rmSync(root, { recursive: true, force: true }));

function fresh(name: string) {
  const dir = join(root, name);
  mkdirSync(join(dir, "AWSLogs/111111111111/CloudTrail/us-east-1/2026/11/21"), { recursive: true });
  return { dir, day: join(dir, "AWSLogs/111111111111/CloudTrail/us-east-1/2026/11/21") };
}

const names = async (source: DirectorySource) => (await source.poll(0)).map((r) => r.name);

test("a plain file being written is offered only once its size and mtime held still across two polls", async () => {
  const { dir, day } = fresh("stable");
  const source = new DirectorySource(dir);
  const file = join(day, "a.json");
  writeFileSync(file, '{"Records": [');
  assert.deepEqual(await names(source), []);
  appendFileSync(file, '{"eventName": "ListBuckets"}');
  utimesSync(file, new Date(), new Date(Date.now() + 5000));
  assert.deepEqual(await names(source), [], "it grew since the last poll");
  appendFileSync(file, "]}");
  utimesSync(file, new Date(), new Date(Date.now() + 10_000));
  assert.deepEqual(await names(source), []);
  const offered = await source.poll(0);
  assert.deepEqual(
    offered.map((r) => r.name),
    [file],
  );
  assert.match(offered[0].id, /^file:.*a\.json#\d+:\d+(\.\d+)?$/);
  assert.equal(String(await source.read(offered[0])), '{"Records": [{"eventName": "ListBuckets"}]}');
  assert.deepEqual(await names(source), [file], "offered again: the caller skips by id");
});

test("a complete gzip is offered at once; a truncated one waits", async () => {
  const { dir, day } = fresh("gzip");
  const source = new DirectorySource(dir);
  const whole = gzipSync(JSON.stringify({ Records: [{ eventName: "GetObject" }] }));
  writeFileSync(join(day, "done.json.gz"), whole);
  writeFileSync(join(day, "half.json.gz"), whole.subarray(0, whole.length - 6));
  assert.deepEqual(await names(source), [join(day, "done.json.gz")]);
});

test("temporary names of copy tools (dot-files, *.tmp) are ignored until renamed into place", async () => {
  const { dir, day } = fresh("temp");
  const source = new DirectorySource(dir);
  const whole = gzipSync("{}");
  writeFileSync(join(day, "x.json.gz.tmp"), whole);
  writeFileSync(join(day, ".x.json.gz.a1B2c3"), whole);
  assert.deepEqual(await names(source), []);
  assert.deepEqual(await names(source), []);
  renameSync(join(day, "x.json.gz.tmp"), join(day, "x.json.gz"));
  assert.deepEqual(await names(source), [join(day, "x.json.gz")]);
});

test("a missing directory is reported, not thrown", async () => {
  const problems: string[] = [];
  const source = new DirectorySource(join(root, "nope"), { onProblem: (m) => problems.push(m) });
  assert.deepEqual(await names(source), []);
  assert.match(problems[0], /nope: cannot list: ENOENT/);
});
