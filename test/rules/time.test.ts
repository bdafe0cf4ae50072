import assert from "node:assert/strict";
import { test } from "node:test";
import { parseDateMath, parseDuration } from "../../src/rules/index.ts";

test("parseDuration reads Kibana interval units", () => {
  assert.equal(parseDuration("60s"), 60_000);
  assert.equal(parseDuration("5m"), 300_000);
  assert.equal(parseDuration("1h"), 3_600_000);
  assert.equal(parseDuration("60m"), parseDuration("1h"));
  assert.equal(parseDuration("7d"), 7 * 86_400_000);
});

test("parseDuration rejects what Kibana rejects", () => {
  for (const bad of ["", "5", "0m", "05m", "1.5h", "5 m", "5M", "1w", "now-5m", "-5m"]) {
    assert.throws(() => parseDuration(bad), /invalid duration/, bad);
  }
});

test("parseDateMath gives the look-back of now-relative date math", () => {
  assert.equal(parseDateMath("now"), 0);
  assert.equal(parseDateMath("now-6m"), 360_000);
  assert.equal(parseDateMath("now-24h"), 86_400_000);
  assert.equal(parseDateMath("now-7d"), 7 * 86_400_000);
  assert.equal(parseDateMath("now-21660s"), 21_660_000);
  assert.equal(parseDateMath("now-2w"), 14 * 86_400_000);
});

test("parseDateMath explains what it cannot use", () => {
  assert.throws(() => parseDateMath("now-1M"), /months and years/);
  assert.throws(() => parseDateMath("now-1d/d"), /rounding/);
  for (const bad of ["6m", "now+5m", "now-", "now-6x", "2026-01-01", "now - 6m"]) {
    assert.throws(() => parseDateMath(bad), /invalid date math/, bad);
  }
});
