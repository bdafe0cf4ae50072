import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { mapSchema } from "../../../src/doc/schema.ts";
import { globMatcher } from "../../../src/lang/kql/glob.ts";
import { compileKql } from "../../../src/lang/kql/index.ts";

describe("wildcard matcher", () => {
  it("matches prefix, suffix, infix and several wildcards", () => {
    assert.equal(globMatcher(["ab", ""])("abc"), true);
    assert.equal(globMatcher(["ab", ""])("xab"), false);
    assert.equal(globMatcher(["", "bc"])("abc"), true);
    assert.equal(globMatcher(["a", "c"])("abbc"), true);
    assert.equal(globMatcher(["a", "c"])("ac"), true);
    assert.equal(globMatcher(["a", "c"])("acb"), false);
    assert.equal(globMatcher(["", "x", "y", ""])("..x..y.."), true);
    assert.equal(globMatcher(["", "y", "x", ""])("..x..y.."), false);
    assert.equal(globMatcher(["", ""])(""), true);
    assert.equal(globMatcher(["plain"])("plain"), true);
  });

  it("does not let a middle segment overlap the suffix or prefix", () => {
    assert.equal(globMatcher(["ab", "b"])("ab"), false);
    assert.equal(globMatcher(["a", "a", "a"])("aa"), false);
    assert.equal(globMatcher(["a", "a", "a"])("aaa"), true);
    assert.equal(globMatcher(["", "aa", ""])("a"), false);
  });

  it("finishes on a 1 MB value against a pattern with many wildcards", () => {
    const value = `${"a".repeat(1 << 20)}`;
    const segments = ["", ...Array<string>(60).fill("a"), "b", ""];
    assert.equal(globMatcher(segments)(value), false);
    const query = `f:${"*a".repeat(60)}*b*`;
    const match = compileKql(query, mapSchema({ f: { type: "keyword" } }));
    assert.equal(match({ f: value }), false);
    assert.equal(match({ f: `${value}b` }), true);
  });
});
