/**
 * The raw test run in place on a file's bytes gives, record by record, the answer the text test gives on the
 * record's text, whichever records of the file are tested (its key cursors only move forward).
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { compileRawRangeTest } from "../../src/engine/select/raw-range-test.ts";
import { compileRawTest } from "../../src/engine/select/raw-test.ts";
import type { Requirement } from "../../src/engine/select/requirement.ts";

const requirement: Requirement = {
  kind: "or",
  parts: [
    { kind: "values", field: "event.action", values: ["AssumeRoleWithWebIdentity"] },
    {
      kind: "and",
      parts: [
        { kind: "values", field: "aws.cloudtrail.user_identity.type", values: ["AssumedRole"] },
        { kind: "values", field: "event.action", values: ["GetSecretValue", "ListRoles", "Décrypt"] },
      ],
    },
  ],
};

/** Each record shows one rule of behaviour; `pass` is what the text test answers. */
const records: { text: string; pass: boolean }[] = [
  { text: `{"eventVersion":"1.08","eventName":"AssumeRoleWithWebIdentity"}`, pass: true },
  { text: `{"eventVersion":"1.08","userIdentity":{"type":"AssumedRole"},"eventName":"PutObject"}`, pass: false },
  { text: `{"eventVersion":"1.08","userIdentity":{"type":"AssumedRole"},"eventName":"GetSecretValue"}`, pass: true },
  // The key nested elsewhere counts too: every occurrence is looked at.
  { text: `{"eventVersion":"1.08","userIdentity":{"type":"IAMUser"},"requestParameters":{"type":"AssumedRole"},"eventName":"ListRoles"}`, pass: true },
  // A key with no occurrence in this record, but one in a later record.
  { text: `{"eventVersion":"1.08","eventSource":"s3.amazonaws.com"}`, pass: false },
  // Spaces around the colon; a string that merely equals the key name is not a key.
  { text: `{"eventVersion":"1.08","note":"eventName","eventName" : "AssumeRoleWithWebIdentity"}`, pass: true },
  // An object or array value, or an escaped string, is undecided: the record passes.
  { text: `{"eventVersion":"1.08","eventName":{"x":1}}`, pass: true },
  { text: `{"eventVersion":"1.08","eventName":"Put\\"Object"}`, pass: true },
  // A \\u or \\/ escape anywhere may spell a required value: passes. An escaped backslash does not.
  { text: `{"eventVersion":"1.08","eventName":"PutObject","x":"a\\u0041"}`, pass: true },
  { text: `{"eventVersion":"1.08","eventName":"PutObject","x":"a\\\\u0041"}`, pass: false },
  { text: `{"eventVersion":"1.08","eventName":"PutObject","x":"a\\/b"}`, pass: true },
  // Numbers, booleans and null never equal a plain value.
  { text: `{"eventVersion":"1.08","eventName":12,"userIdentity":{"type":null}}`, pass: false },
  // A value compared in its UTF-8 bytes.
  { text: `{"eventVersion":"1.08","userIdentity":{"type":"AssumedRole"},"eventName":"Décrypt"}`, pass: true },
  { text: `{"eventVersion":"1.08","userIdentity":{"type":"AssumedRole"},"eventName":"Decrypt"}`, pass: false },
  { text: `{"eventVersion":"1.08","userIdentity":{"type":"AssumedRole"},"eventName":"ListRoles"}`, pass: true },
];

function layout(texts: string[]): { data: Buffer; ranges: [number, number][] } {
  const ranges: [number, number][] = [];
  const parts: Buffer[] = [];
  let at = 0;
  for (const text of texts) {
    const bytes = Buffer.from(text);
    ranges.push([at, at + bytes.length]);
    parts.push(bytes, Buffer.from(","));
    at += bytes.length + 1;
  }
  return { data: Buffer.concat(parts), ranges };
}

test("the text test answers as each case says", () => {
  const textTest = compileRawTest(requirement);
  assert.ok(textTest);
  records.forEach((r, i) => assert.equal(textTest(r.text), r.pass, `record ${i}: ${r.text}`));
});

test("in place, every record gets the text test's answer, whichever subset of the file is tested", () => {
  const rangeTest = compileRawRangeTest(requirement);
  assert.ok(rangeTest);
  const { data, ranges } = layout(records.map((r) => r.text));
  const subsets = [
    records.map((_, i) => i),
    records.map((_, i) => i).filter((i) => i % 2 === 0),
    records.map((_, i) => i).filter((i) => i % 3 === 2),
    [records.length - 1],
  ];
  for (const subset of subsets) {
    const tested = rangeTest(data);
    for (const i of subset) assert.equal(tested(...ranges[i]), records[i].pass, `record ${i} of [${subset}]`);
  }
});

test("no test when a required value's bytes are not certain", () => {
  const uncertain: Requirement = { kind: "values", field: "event.action", values: ["bad\uFFFD"] };
  assert.equal(compileRawRangeTest(uncertain), undefined);
});
