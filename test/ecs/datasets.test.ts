/** Every CloudTrail record in ../shared/datasets normalizes: no exception, a timestamp, event.kind event. */
import assert from "node:assert/strict";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { test } from "node:test";
import { fieldValues } from "../../src/doc/document.ts";
import { normalizeRecord } from "../../src/ecs/index.ts";

const root = new URL("../../../shared/datasets/", import.meta.url);

function files(dir: URL): URL[] {
  return readdirSync(dir).flatMap((name) => {
    const url = new URL(name, dir);
    if (statSync(url).isDirectory()) return files(new URL(`${name}/`, dir));
    return /\.(json|jsonl)$/.test(name) ? [url] : [];
  });
}

/** Test-only reader for the dataset shapes: arrays, {"Records": […]}, NDJSON, and Panther's labelled lines. */
function records(text: string): unknown[] {
  const trimmed = text.trim();
  if (trimmed.startsWith("[")) return JSON.parse(trimmed) as unknown[];
  if (trimmed.startsWith("{") && !trimmed.includes("\n{")) {
    const single = JSON.parse(trimmed) as { Records?: unknown[] };
    return single.Records ?? [single];
  }
  return trimmed
    .split("\n")
    .filter((l) => l.trim() !== "")
    .map((l) => {
      const row = JSON.parse(l) as { event?: unknown; eventVersion?: unknown };
      return row.eventVersion === undefined && row.event !== undefined ? row.event : row;
    });
}

/** Panther's fixtures include partial records without any time; those get no @timestamp in scan mode. */
function hasTime(record: unknown): boolean {
  const r = record as { eventTime?: unknown; "@timestamp"?: unknown };
  return r.eventTime !== undefined || r["@timestamp"] !== undefined;
}

test("every dataset record normalizes", () => {
  let count = 0;
  const errors: string[] = [];
  for (const file of files(root)) {
    for (const record of records(readFileSync(file, "utf8"))) {
      const doc = normalizeRecord(JSON.stringify(record));
      count++;
      const kind = fieldValues(doc, "event.kind")[0];
      if (kind !== "event") errors.push(`${file.pathname}: ${fieldValues(doc, "error.message")[0]}`);
      else if (hasTime(record)) assert.equal(fieldValues(doc, "@timestamp").length, 1, file.pathname);
    }
  }
  assert.ok(count > 1000, `only ${count} records`);
  // Panther's hand-written fixtures hold four malformed records (each in both files): an AssumedRole whose ARN is
  // an IAM role ARN, eventTime "redacted" and "...", and a requestParameters string. Elastic fails them too.
  const malformed = [
    /extract_session_name_from_arn.*assumed-role\/okta/,
    /unable to parse date \[redacted\]/,
    /unable to parse date \[\.\.\.\]/,
    /append_related_user_0121b806.*java\.lang\.String, userName/,
  ];
  assert.equal(errors.length, 8, errors.join("\n"));
  for (const error of errors) {
    assert.ok(error.includes("panther-analysis"), error);
    assert.ok(
      malformed.some((re) => re.test(error)),
      error,
    );
  }
});

test("with actor_target_mapping every dataset record normalizes; the entity script fails only on string resources", () => {
  const failures: string[] = [];
  let withEntities = 0;
  for (const file of files(root)) {
    for (const record of records(readFileSync(file, "utf8"))) {
      const doc = normalizeRecord(JSON.stringify(record), { tags: ["actor_target_mapping"] });
      if (fieldValues(doc, "related.entity").length > 0) withEntities++;
      const message = String(fieldValues(doc, "error.message")[0] ?? "");
      if (message.includes("script_append_related_entity")) failures.push(JSON.stringify(record));
    }
  }
  assert.ok(withEntities > 3000, `only ${withEntities} documents with related.entity`);
  // Panther's AssumeRole fixture (in both files) writes resources as Python-repr strings: `f.ARN` on a String is
  // a Painless runtime error in Elasticsearch too.
  assert.equal(failures.length, 2);
  for (const failure of failures) assert.match(failure, /"resources":\["\{'accountId'/);
});
