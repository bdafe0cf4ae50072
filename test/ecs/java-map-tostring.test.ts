import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { javaDoubleToString } from "../../src/ecs/java/double-to-string.ts";
import { javaToString, TreeifiedBucketError } from "../../src/ecs/java/map-to-string.ts";
import { parseJavaDocument } from "../../src/ecs/java/ordered-json.ts";
import { pruneJava } from "../../src/ecs/java/prune.ts";
import type { JavaMap } from "../../src/ecs/java/values.ts";

const vectorsUrl = new URL("../../../shared/reference/java-map-tostring/vectors.jsonl", import.meta.url);

function serialize(json: string): string | undefined {
  const value = parseJavaDocument(json);
  return pruneJava(value) ? undefined : javaToString(value);
}

test("every java-map-tostring vector matches the JDK HashMap output", () => {
  const lines = readFileSync(vectorsUrl, "utf8").split("\n").filter(Boolean);
  assert.ok(lines.length > 4700, `expected ~4767 vectors, got ${lines.length}`);
  const mismatches: string[] = [];
  for (const [i, line] of lines.entries()) {
    const row = JSON.parse(line) as { json: string; expected: string };
    const actual = serialize(row.json);
    // `{}` means everything was pruned: the pipeline writes no field at all.
    const expected = row.expected === "{}" ? undefined : row.expected;
    if (actual !== expected) mismatches.push(`row ${i + 1}: ${actual} != ${expected}`);
  }
  assert.deepEqual(mismatches.slice(0, 5), []);
});

test("Double.toString formatting", () => {
  assert.equal(javaDoubleToString(1), "1.0");
  assert.equal(javaDoubleToString(1e7), "1.0E7");
  assert.equal(javaDoubleToString(1e-4), "1.0E-4");
  assert.equal(javaDoubleToString(-0), "-0.0");
  assert.equal(javaDoubleToString(3.14), "3.14");
  assert.equal(javaDoubleToString(123456.789), "123456.789");
  assert.equal(javaDoubleToString(1.5e-10), "1.5E-10");
  assert.equal(javaDoubleToString(0.001), "0.001");
  assert.equal(javaDoubleToString(9999999.5), "9999999.5");
});

test("number lexemes survive: doubles print as Java doubles, big integers exactly", () => {
  assert.equal(serialize('{"a":1.0}'), "{a=1.0}");
  assert.equal(serialize('{"a":1E7,"b":-0.0,"c":1e-4}'), "{a=1.0E7, b=-0.0, c=1.0E-4}");
  assert.equal(serialize('{"a":123456789012345678901234567890}'), "{a=123456789012345678901234567890}");
  assert.equal(serialize('{"a":-0}'), "{a=0}");
});

test("integer-like keys keep HashMap order, not JavaScript's", () => {
  // "10" hashes to bucket 15 and "2" to bucket 2 at capacity 16; JS objects would put "2" first anyway, but
  // "b" (bucket 2, inserted first) must precede "2".
  assert.equal(serialize('{"10":1,"b":2,"2":3}'), "{b=2, 2=3, 10=1}");
});

test("pruning removes null, empty, '-' and 'none' but keeps the table size", () => {
  assert.equal(
    serialize('{"a":null,"b":"","c":"-","d":"none","e":"None","f":{},"g":[],"h":[null],"i":0,"j":false}'),
    "{e=None, i=0, j=false}",
  );
  assert.equal(serialize('{"a":null}'), undefined);
});

function aaBbKeys(count: number): string[] {
  const keys: string[] = [];
  for (let i = 0; keys.length < count; i++) {
    let k = "";
    for (let bit = 0; bit < 4; bit++) k += (i >> bit) & 1 ? "BB" : "Aa";
    keys.push(k);
  }
  return keys;
}

test("9-11 fully colliding keys resize a small table instead of treeifying", () => {
  for (const count of [9, 10, 11]) {
    const keys = aaBbKeys(count);
    const json = `{${keys.map((k, i) => `"${k}":${i}`).join(",")}}`;
    const map = parseJavaDocument(json) as JavaMap;
    // 9th collision: 16 -> 32, 10th: 32 -> 64, 11th: at 64 the bin becomes a tree.
    const expectedCapacity = { 9: 32, 10: 64, 11: 64 }[count];
    assert.equal(map.capacity, expectedCapacity, `capacity for ${count} keys`);
    if (count < 11) {
      assert.equal(javaToString(map), `{${keys.map((k, i) => `${k}=${i}`).join(", ")}}`);
    } else {
      assert.throws(() => javaToString(map), TreeifiedBucketError);
    }
  }
});

test("pruning across a resize boundary keeps the capacity of all parsed keys", () => {
  const keys = Array.from({ length: 13 }, (_, i) => `key${i}`);
  const json = `{${keys.map((k, i) => `"${k}":${i < 2 ? "null" : i}`).join(",")}}`;
  const map = parseJavaDocument(json) as JavaMap;
  assert.equal(map.capacity, 32);
  pruneJava(map);
  assert.equal(map.size, 11);
  assert.equal(map.capacity, 32);
});

test("duplicate keys are rejected", () => {
  assert.throws(() => parseJavaDocument('{"a":1,"a":2}'), /Duplicate field 'a'/);
});
