import assert from "node:assert/strict";
import { appendFileSync, mkdirSync, mkdtempSync, renameSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { gzipSync } from "node:zlib";
import { DEFAULT_SETTLE_MS, DirectorySource } from "../../../src/sources/live/directory-source.ts";

const root = mkdtempSync(join(tmpdir(), "tw-dir-source-"));
after(() => rmSync(root, { recursive: true, force: true }));

// Injected time: files get explicit mtimes, and polls happen "at" a chosen instant.
const NOW = Date.parse("2026-11-21T12:00:00Z");

function fresh(name: string) {
  const dir = join(root, name);
  const day = join(dir, "AWSLogs/111111111111/CloudTrail/us-east-1/2026/11/21");
  mkdirSync(day, { recursive: true });
  return { dir, day };
}

function touch(path: string, at: number) {
  utimesSync(path, new Date(at), new Date(at));
}

const names = async (source: DirectorySource, now = NOW) => (await source.poll(now)).map((r) => r.name);

test("a plain file being written is offered only once its size and mtime held still across two polls", async () => {
  const { dir, day } = fresh("stable");
  const source = new DirectorySource(dir);
  const file = join(day, "a.json");
  writeFileSync(file, '{"Records": [');
  touch(file, NOW - 1000);
  assert.deepEqual(await names(source), []);
  appendFileSync(file, '{"eventName": "ListBuckets"}');
  touch(file, NOW + 4000);
  assert.deepEqual(await names(source, NOW + 5000), [], "it grew since the last poll");
  appendFileSync(file, "]}");
  touch(file, NOW + 9000);
  assert.deepEqual(await names(source, NOW + 10_000), []);
  const offered = await source.poll(NOW + 15_000);
  assert.deepEqual(
    offered.map((r) => r.name),
    [file],
  );
  assert.equal(offered[0].id, `file:${file}#43:${NOW + 9000}`);
  assert.equal(offered[0].modifiedAt, NOW + 9000);
  assert.equal(String(await source.read(offered[0])), '{"Records": [{"eventName": "ListBuckets"}]}');
  assert.deepEqual(await names(source, NOW + 20_000), [file], "offered again: the caller skips by id");
});

test("a file last modified before the settle time is offered on the first poll", async () => {
  const { dir, day } = fresh("settled");
  const old = join(day, "old.json");
  const recent = join(day, "recent.json");
  writeFileSync(old, "{}");
  writeFileSync(recent, "{}");
  touch(old, NOW - DEFAULT_SETTLE_MS);
  touch(recent, NOW - DEFAULT_SETTLE_MS + 1);
  assert.deepEqual(await names(new DirectorySource(dir)), [old]);
  assert.deepEqual(await names(new DirectorySource(dir, { settleMs: 60_000 })), []);
});

test("a complete gzip is offered at once; a truncated one waits", async () => {
  const { dir, day } = fresh("gzip");
  const source = new DirectorySource(dir);
  const whole = gzipSync(JSON.stringify({ Records: [{ eventName: "GetObject" }] }));
  writeFileSync(join(day, "done.json.gz"), whole);
  writeFileSync(join(day, "half.json.gz"), whole.subarray(0, whole.length - 6));
  touch(join(day, "done.json.gz"), NOW);
  touch(join(day, "half.json.gz"), NOW);
  assert.deepEqual(await names(source), [join(day, "done.json.gz")]);
});

test("temporary names of copy tools (dot-files, *.tmp) are ignored until renamed into place", async () => {
  const { dir, day } = fresh("temp");
  const source = new DirectorySource(dir);
  const whole = gzipSync("{}");
  writeFileSync(join(day, "x.json.gz.tmp"), whole);
  writeFileSync(join(day, ".x.json.gz.a1B2c3"), whole);
  assert.deepEqual(await names(source), []);
  assert.deepEqual(await names(source, NOW + 60_000), []);
  renameSync(join(day, "x.json.gz.tmp"), join(day, "x.json.gz"));
  assert.deepEqual(await names(source, NOW + 60_000), [join(day, "x.json.gz")]);
});

test("a missing directory is reported, not thrown", async () => {
  const problems: string[] = [];
  const source = new DirectorySource(join(root, "nope"), { onProblem: (m) => problems.push(m) });
  assert.deepEqual(await names(source), []);
  assert.match(problems[0], /nope: cannot list: ENOENT/);
});
