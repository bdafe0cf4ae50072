/** PipelineContext reads the document it builds as `fieldValues` would, whatever lies on the path. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { type Document, fieldValues, setField } from "../../src/doc/document.ts";
import { PipelineContext } from "../../src/ecs/steps/context.ts";

function firstValue(doc: Document, path: string): unknown {
  return fieldValues(doc, path)[0];
}

test("put builds nested objects as setField does, replacing scalars and arrays in the way", () => {
  const ctx = new PipelineContext({});
  const expected: Document = {};
  const writes: [string, Document[string]][] = [
    ["user.name", "alice"],
    ["user.id", "AIDA1"],
    ["aws.cloudtrail.user_identity.type", "AssumedRole"],
    ["user.name.first", "replaces the scalar"],
    ["related.user", ["a", "b"]],
    ["related.user.x", 1],
    ["event.outcome", null],
  ];
  for (const [path, value] of writes) {
    ctx.put(path, value);
    setField(expected, path, value);
  }
  assert.deepEqual(ctx.doc, expected);
  assert.equal(JSON.stringify(ctx.doc), JSON.stringify(expected));
});

test("get and has agree with fieldValues: scalars, objects, null, arrays at the leaf and on the way", () => {
  const ctx = new PipelineContext({});
  ctx.put("user.name", "alice");
  ctx.put("user.changes", { name: "bob" });
  ctx.put("event.outcome", null);
  ctx.put("related.user", ["first", "second"]);
  ctx.put("tags", []);
  ctx.put("aws.cloudtrail.resources", [{ arn: "arn:1" }, { arn: "arn:2" }]);
  ctx.put("list.of.nulls", [null, "later"]);
  const paths = [
    "user.name",
    "user.changes",
    "user.changes.name",
    "user.missing",
    "user.name.deeper",
    "event.outcome",
    "related.user",
    "tags",
    "aws.cloudtrail.resources.arn",
    "list.of.nulls",
    "nothing.here",
  ];
  for (const path of paths) {
    assert.deepEqual(ctx.get(path), firstValue(ctx.doc, path), path);
    assert.equal(ctx.has(path), fieldValues(ctx.doc, path).length > 0, path);
  }
  assert.equal(ctx.get("related.user"), "first");
  assert.equal(ctx.get("aws.cloudtrail.resources.arn"), "arn:1");
  assert.equal(ctx.get("list.of.nulls"), "later");
  assert.equal(ctx.has("event.outcome"), false);
  assert.equal(ctx.has("tags"), false);
});

test("appendUnique turns a scalar into a list and skips values already there", () => {
  const ctx = new PipelineContext({});
  ctx.put("related.user", "alice");
  ctx.appendUnique("related.user", "bob");
  ctx.appendUnique("related.user", "alice");
  ctx.appendUnique("related.ip", "10.0.0.1");
  assert.deepEqual(ctx.doc.related, { user: ["alice", "bob"], ip: ["10.0.0.1"] });
});
