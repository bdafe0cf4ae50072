import assert from "node:assert/strict";
import { test } from "node:test";
import { type Document, fieldValues, flattenDocument, setField } from "../../src/doc/document.ts";

test("fieldValues walks nested objects, arrays of objects and literal dotted keys", () => {
  const doc: Document = {
    event: { action: "GetSecretValue" },
    aws: { cloudtrail: { resources: [{ arn: "a" }, { arn: "b" }, { type: "x" }] } },
    "data_stream.dataset": "aws.cloudtrail",
    user: { name: null },
  };
  assert.deepEqual(fieldValues(doc, "event.action"), ["GetSecretValue"]);
  assert.deepEqual(fieldValues(doc, "aws.cloudtrail.resources.arn"), ["a", "b"]);
  assert.deepEqual(fieldValues(doc, "data_stream.dataset"), ["aws.cloudtrail"]);
  assert.deepEqual(fieldValues(doc, "user.name"), []);
  assert.deepEqual(fieldValues(doc, "missing.field"), []);
});

test("setField creates intermediate objects and flattenDocument lists leaf paths", () => {
  const doc: Document = {};
  setField(doc, "source.as.number", 16509);
  setField(doc, "source.ip", "1.2.3.4");
  assert.deepEqual(doc, { source: { as: { number: 16509 }, ip: "1.2.3.4" } });
  assert.deepEqual(
    [...flattenDocument({ a: [1, 2], b: { c: "x" } }).entries()],
    [
      ["a", [1, 2]],
      ["b.c", ["x"]],
    ],
  );
});
