import assert from "node:assert/strict";
import { test } from "node:test";
import { RecordSplitter } from "../../src/sources/record-splitter.ts";

function split(chunks: string[], lineDelimited = false) {
  const records: string[] = [];
  const problems: string[] = [];
  const s = new RecordSplitter({ record: (t) => records.push(t), problem: (m) => problems.push(m) }, lineDelimited);
  for (const c of chunks) s.push(c);
  s.end();
  return { records, problems };
}

const a = '{"eventID":"a","requestParameters":{"x":"}]\\"{["}}';
const b = '{"eventID":"b"}';

test("Records wrapper: each element is a record, wherever the chunks break", () => {
  const text = `{"Records":[${a},\n ${b}]}`;
  for (let cut = 1; cut < text.length; cut += 7) {
    const { records, problems } = split([text.slice(0, cut), text.slice(cut)]);
    assert.deepEqual(records, [a, b]);
    assert.deepEqual(problems, []);
  }
});

test("a Records wrapper with other keys first still yields only the records", () => {
  const { records } = split([`{"Other":{"Records":1},"Records":[${b}]}`]);
  assert.deepEqual(records, [b]);
});

test("bare array, NDJSON and a single record object are recognised by content", () => {
  assert.deepEqual(split([`[${a},${b}]`]).records, [a, b]);
  assert.deepEqual(split([`${a}\n${b}\n`]).records, [a, b]);
  assert.deepEqual(split([`{\n  "eventID": "c"\n}\n`]).records, ['{\n  "eventID": "c"\n}']);
});

test("a broken NDJSON line is reported and the next lines are still read", () => {
  const { records, problems } = split([`${b}\n{"eventID":"broken",\n${b}\n`]);
  assert.deepEqual(records, [b, b]);
  assert.equal(problems.length, 1);
  assert.match(problems[0], /line 2: incomplete JSON record/);
});

test("non-JSON input is named as such", () => {
  const { records, problems } = split(["hello world"]);
  assert.deepEqual(records, []);
  assert.match(problems[0], /not JSON: starts with "hello world"/);
});

test("input ending inside a record reports it, keeping the records before it", () => {
  const { records, problems } = split([`{"Records":[${b},{"eventID":"cut`]);
  assert.deepEqual(records, [b]);
  assert.match(problems[0], /unexpected end of input/);
});

test("empty input is reported", () => {
  assert.match(split([""]).problems[0], /empty input/);
});
