import assert from "node:assert/strict";
import { test } from "node:test";
import { parseUserAgent } from "../../src/ecs/user-agent/user-agent.ts";

test("user agents parse as Elasticsearch's user_agent processor does", () => {
  assert.deepEqual(parseUserAgent("aws-sdk-go/1.55.5 (go1.22.5; linux; amd64)").name, "aws-sdk-go");
  assert.deepEqual(parseUserAgent("aws-sdk-go/1.55.5 (go1.22.5; linux; amd64)").version, "1.55.5");
  assert.deepEqual(parseUserAgent("signin.amazonaws.com"), {
    original: "signin.amazonaws.com",
    name: "Other",
    device: { name: "Other" },
  });
  const chrome = parseUserAgent(
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0.0.0 Safari/537.36",
  );
  assert.deepEqual(chrome.os, { name: "Mac OS X", version: "10.15.7", full: "Mac OS X 10.15.7" });
  assert.deepEqual(chrome.device, { name: "Mac" });
  assert.equal(chrome.version, "140.0.0.0");
});

test("a hostile user agent is still parsed (RE2: no backtracking)", () => {
  const hostile = `Mozilla/5.0 (${"a;".repeat(20000)}`;
  const parsed = parseUserAgent(hostile);
  assert.equal(parsed.original, hostile);
  assert.equal(typeof parsed.name, "string");
});

test("a pathological 1 MB user agent is parsed to the end", () => {
  const size = 1 << 20;
  // Many of the literals the prefilters look for, so that many patterns really run over the whole megabyte.
  const unit = "; Build AppleWebKit Android bot spider crawl Linux Windows iPhone Mobile Safari Chrome/ (";
  const hostile = unit.repeat(Math.ceil(size / unit.length)).slice(0, size);
  const parsed = parseUserAgent(hostile);
  assert.equal(parsed.original, hostile);
  assert.equal(parsed.name, "Build AppleWebKit Android bot");
  assert.deepEqual(parsed.device, { name: "iPhone" });
  // The same megabyte again: not kept in the cache, parsed again to the same result.
  assert.deepEqual(parseUserAgent(hostile), parsed);
});

test("each call returns its own copy, so callers may change it", () => {
  const first = parseUserAgent("curl/8.7.1");
  first.name = "changed";
  (first.device as { name: string }).name = "changed";
  assert.deepEqual(parseUserAgent("curl/8.7.1"), {
    original: "curl/8.7.1",
    name: "curl",
    version: "8.7.1",
    device: { name: "Other" },
  });
});
