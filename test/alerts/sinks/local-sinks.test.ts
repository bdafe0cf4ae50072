import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { FileSink } from "../../../src/alerts/sinks/file-sink.ts";
import { StdoutSink } from "../../../src/alerts/sinks/stdout-sink.ts";
import { eventAlert, rowAlert } from "./alert-fixtures.ts";

const dir = mkdtempSync(join(tmpdir(), "tw-sinks-"));
after(() => rmSync(dir, { recursive: true, force: true }));

test("stdout as NDJSON writes one alert document per line", async () => {
  const out: string[] = [];
  const sink = new StdoutSink("ndjson", (t) => out.push(t));
  assert.equal(sink.name, "stdout:ndjson");
  await sink.deliver(eventAlert("a"));
  await sink.deliver(rowAlert("b"));
  assert.deepEqual(
    out.map((line) => JSON.parse(line)["kibana.alert.uuid"]),
    ["a", "b"],
  );
  assert.ok(out.every((line) => line.endsWith("}\n") && line.indexOf("\n") === line.length - 1));
});

test("stdout as a table writes a readable block per alert, without a batch count", async () => {
  const out: string[] = [];
  const sink = new StdoutSink("table", (t) => out.push(t));
  assert.equal(sink.name, "stdout");
  await sink.deliver(rowAlert("b"));
  assert.match(out[0], /^■ HIGH {2}AWS Lateral Movement from Kubernetes SA/);
  assert.match(out[0], /\n {2}actions {3}GetSecretValue, ListBuckets, CreateAccessKey\n/);
  assert.ok(!/1 alert\./.test(out[0]));
  assert.ok(out[0].endsWith("\n\n"), "blank line between alerts");
});

test("the file sink appends NDJSON and names the file when it cannot write", async () => {
  const path = join(dir, "alerts.ndjson");
  const sink = new FileSink(path);
  assert.equal(sink.name, `file:${path}`);
  await sink.deliver(eventAlert("a"));
  await new FileSink(path).deliver(eventAlert("b"));
  assert.deepEqual(
    readFileSync(path, "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l)["kibana.alert.uuid"]),
    ["a", "b"],
  );
  const bad = join(dir, "missing-dir", "alerts.ndjson");
  const expected = /missing-dir\/alerts\.ndjson: cannot append: ENOENT/;
  await assert.rejects(new FileSink(bad).deliver(eventAlert("c")), expected);
});
