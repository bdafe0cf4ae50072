import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { mapSchema } from "../../../src/doc/schema.ts";
import { kqlFields, kqlRequiredValues, parseKql } from "../../../src/lang/kql/index.ts";

describe("kqlFields", () => {
  it("lists referenced fields once, in order, with nested paths expanded and no free text", () => {
    const node = parseKql("a:1 and (b:* or not a:2) and c > 3 and items:{ name:x } and freetext");
    assert.deepEqual(kqlFields(node), ["a", "b", "c", "items", "items.name"]);
  });
});

describe("kqlRequiredValues", () => {
  it("collects the literal values of a top-level conjunction", () => {
    const node = parseKql(
      'data_stream.dataset:aws.cloudtrail and event.action:("A" or B) and event.outcome:success and user.name:sys*',
    );
    assert.deepEqual(
      kqlRequiredValues(node),
      new Map([
        ["data_stream.dataset", ["aws.cloudtrail"]],
        ["event.action", ["A", "B"]],
        ["event.outcome", ["success"]],
      ]),
    );
  });

  it("intersects repeated fields and looks into parenthesised conjunctions", () => {
    const node = parseKql("a:(x or y) and (a:(y or z) and b:true)");
    assert.deepEqual(
      kqlRequiredValues(node),
      new Map([
        ["a", ["y"]],
        ["b", ["true"]],
      ]),
    );
  });

  it("derives nothing from disjunctions across fields, negations, wildcards or free text", () => {
    assert.equal(kqlRequiredValues(parseKql("a:1 or b:2")), undefined);
    assert.equal(kqlRequiredValues(parseKql("not a:1")), undefined);
    assert.equal(kqlRequiredValues(parseKql("a:x* and b:*")), undefined);
    assert.equal(kqlRequiredValues(parseKql("hello")), undefined);
    assert.equal(kqlRequiredValues(parseKql("a:(x or y*)")), undefined);
  });

  it("with a schema, keeps only fields compared as keywords", () => {
    const schema = mapSchema({
      "data_stream.dataset": { type: "constant_keyword", constant: "aws.cloudtrail" },
      "event.action": { type: "keyword" },
      "source.as.number": { type: "long" },
      "aws.flat": { type: "flattened" },
    });
    const node = parseKql(
      "data_stream.dataset:aws.cloudtrail and event.action:A and source.as.number:16509 and aws.flat.k:v and x:1",
    );
    assert.deepEqual(
      kqlRequiredValues(node, schema),
      new Map([
        ["event.action", ["A"]],
        ["aws.flat.k", ["v"]],
      ]),
    );
  });
});
