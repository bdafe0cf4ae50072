/**
 * incrementalStats: the first STATS over stretches of prepared documents, merged, must give exactly what
 * runPrepared gives over all of them (rows, row order, column types, group keys and counts, warnings), or decline.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Document } from "../../../src/doc/document.ts";
import { compileEsql, type EsqlResult, type PreparedRows, type RunContext } from "../../../src/lang/esql/index.ts";
import { catalog, NOW } from "./helpers.ts";

const FROM = "FROM logs-aws.cloudtrail-*";

interface Outcome {
  result: EsqlResult;
  warnings: string[];
}

/** Every way to cut the documents into consecutive stretches (2^(n-1) of them). */
function cuttings<T>(items: T[]): T[][][] {
  if (items.length <= 1) return [[items]];
  const out: T[][][] = [];
  for (let mask = 0; mask < 1 << (items.length - 1); mask++) {
    const parts: T[][] = [[items[0]]];
    for (let i = 1; i < items.length; i++) {
      if (mask & (1 << (i - 1))) parts.push([items[i]]);
      else parts[parts.length - 1].push(items[i]);
    }
    out.push(parts);
  }
  return out;
}

/**
 * Runs the query over the documents with runPrepared, and merged over every cutting of them into stretches;
 * asserts each merged run that did not decline equals runPrepared. Returns the outcome and how many runs merged.
 */
function compare(query: string, docs: Document[], ctx: Partial<RunContext> = {}): { expected: Outcome; merged: number } {
  const compiled = compileEsql(query, catalog);
  const incremental = compiled.incrementalStats;
  assert.ok(incremental, `${query} should merge`);
  const prepared = docs.map((d) => compiled.prepare(d, {}));
  const run = (go: (c: RunContext) => EsqlResult | undefined): Outcome | undefined => {
    const warnings: string[] = [];
    const result = go({ now: NOW, ...ctx, onWarning: (m) => warnings.push(m) });
    return result && { result, warnings };
  };
  const expected = run((c) => compiled.runPrepared(prepared, c))!;
  let merged = 0;
  for (const stretches of cuttings<PreparedRows>(prepared)) {
    const parts = stretches.map((s) => incremental.aggregate(s));
    const outcome = run((c) => incremental.runMerged(parts, c));
    if (!outcome) continue;
    assert.deepEqual(outcome, expected, `${stretches.map((s) => s.length)}`);
    merged++;
  }
  return { expected, merged };
}

function rows(o: Outcome): Record<string, unknown>[] {
  return o.result.rows.map((r) => Object.fromEntries(o.result.columns.map((c, i) => [c.name, r[i]])));
}

const calls: Document[] = [
  { "@timestamp": "2026-05-01T10:00:00Z", event: { action: "B" }, user: { name: "u2" }, source: { ip: "10.0.0.9" }, bytes: 5 },
  { "@timestamp": "2026-05-01T10:05:00Z", event: { action: "A" }, user: { name: ["u1", "u2"] }, bytes: -3 },
  { "@timestamp": "2026-05-01T09:00:00Z", event: { action: "A" }, source: { ip: "10.0.0.10" } },
  { "@timestamp": "2026-05-01T11:00:00Z", event: { action: ["C", "A"] }, user: { name: "u3" }, bytes: [7, 1] },
  { "@timestamp": "2026-05-01T08:00:00Z", event: { action: "C" }, user: { name: "u1" }, source: { ip: "10.0.0.9" } },
  { "@timestamp": "2026-05-01T12:00:00Z", event: { action: "B" }, user: { name: "u2" }, bytes: 2 },
];

describe("incremental STATS", () => {
  it("merges COUNT, COUNT(*), COUNT_DISTINCT, SUM, MIN, MAX and VALUES exactly, groups in first-seen order", () => {
    const { expected, merged } = compare(
      `${FROM}
      | STATS n = COUNT(*), c = COUNT(bytes), d = COUNT_DISTINCT(event.action), s = SUM(bytes),
          first = MIN(@timestamp), last = MAX(@timestamp), ips = VALUES(source.ip), actions = VALUES(event.action),
          withIp = COUNT(*) WHERE source.ip IS NOT NULL
        BY user.name
      | WHERE n >= 1
      | EVAL span = DATE_DIFF("minute", first, last)
      | SORT d DESC
      | KEEP user.name, n, c, d, s, first, last, span, ips, actions, withIp`,
      calls,
    );
    assert.equal(merged, 2 ** (calls.length - 1));
    // SORT is stable: groups with equal d stay in the order they first appeared (u2, u1, u3).
    assert.deepEqual(
      rows(expected).map((r) => [r["user.name"], r.n, r.d, r.s, r.ips]),
      [
        ["u2", 3, 2, 4, "10.0.0.9"],
        ["u1", 2, 2, -3, "10.0.0.9"],
        ["u3", 1, 2, 8, null],
        [null, 1, 1, null, "10.0.0.10"],
      ],
    );
    assert.deepEqual(expected.result.groupRowCounts, [3, 2, 1, 1]);
  });

  it("keeps the order of groups as rows first reach them, without SORT", () => {
    const { expected } = compare(`${FROM} | STATS n = COUNT(*), v = VALUES(user.name) BY event.action`, calls);
    assert.deepEqual(
      rows(expected).map((r) => r["event.action"]),
      ["B", "A", "C"],
    );
  });

  it("without BY, no rows still make one row", () => {
    const { expected, merged } = compare(`${FROM} | WHERE cloud.region == "nowhere" | STATS n = COUNT(*), s = SUM(bytes)`, calls);
    assert.ok(merged > 0);
    assert.deepEqual(rows(expected), [{ n: 0, s: null }]);
  });

  it("cuts the result at the run's limit as runPrepared does", () => {
    const { expected } = compare(`${FROM} | STATS n = COUNT(*) BY user.name`, calls, { limit: 2 });
    assert.equal(expected.result.rows.length, 2);
  });

  it("declines a merge whose sum could round, and merges sums of whole numbers in doubles", () => {
    const huge: Document[] = [
      { "@timestamp": "2026-05-01T10:00:00Z", bytes: Number.MAX_SAFE_INTEGER },
      { "@timestamp": "2026-05-01T10:01:00Z", bytes: 2 },
    ];
    const { merged } = compare(`${FROM} | STATS s = SUM(bytes)`, huge);
    // Only the cutting into one stretch merges nothing and so goes through.
    assert.equal(merged, 1);
    const fractions: Document[] = [
      { "@timestamp": "2026-05-01T10:00:00Z", ratio: 0.1 },
      { "@timestamp": "2026-05-01T10:01:00Z", ratio: 0.2 },
      { "@timestamp": "2026-05-01T10:02:00Z", ratio: 0.3 },
    ];
    assert.equal(compare(`${FROM} | STATS s = SUM(ratio)`, fractions).merged, 1);
    const whole: Document[] = fractions.map((d, i) => ({ ...d, ratio: i * 2 }));
    assert.equal(compare(`${FROM} | STATS s = SUM(ratio)`, whole).merged, 4);
  });

  it("declines stretches where a warning was raised, while preparing or inside the STATS", () => {
    const bad: Document[] = [
      ...calls.slice(0, 2),
      { "@timestamp": "2026-05-01T10:10:00Z", event: { action: "A" }, message: "not a number" },
    ];
    const prepareWarning = compare(`${FROM} | EVAL x = TO_LONG(message) | STATS n = COUNT(x) BY event.action`, bad);
    assert.ok(prepareWarning.expected.warnings.length > 0);
    assert.equal(prepareWarning.merged, 0);
    // user.name is multivalued in the second call: TO_UPPER warns inside the STATS.
    const statsWarning = compare(`${FROM} | STATS n = COUNT(*) BY u = TO_UPPER(user.name)`, calls);
    assert.ok(statsWarning.expected.warnings.length > 0);
    assert.equal(statsWarning.merged, 0);
  });

  it("is offered only when the first command after the prepared ones is a STATS with mergeable aggregates", () => {
    const offered = (q: string) => compileEsql(`${FROM} ${q}`, catalog).incrementalStats !== undefined;
    assert.equal(offered("| WHERE bytes > 0 | STATS COUNT(*), MIN(bytes), VALUES(user.name) BY event.action"), true);
    for (const aggregate of ["AVG(bytes)", "MEDIAN(bytes)", "PERCENTILE(bytes, 90)", 'TOP(bytes, 2, "desc")'])
      assert.equal(offered(`| STATS COUNT(*), ${aggregate}`), false, aggregate);
    assert.equal(offered("| STATS COUNT(*) WHERE @timestamp > NOW() - 1 hour"), false);
    assert.equal(offered("| STATS COUNT(*) BY recent = @timestamp > NOW() - 1 hour"), false);
    assert.equal(offered("| EVAL age = DATE_DIFF(\"hour\", @timestamp, NOW()) | STATS COUNT(*)"), false);
    assert.equal(offered("| SORT @timestamp | STATS COUNT(*)"), false);
    assert.equal(offered("| LIMIT 5 | STATS COUNT(*)"), false);
    assert.equal(offered("| KEEP user.name"), false);
    assert.equal(compileEsql("ROW a = 1 | STATS COUNT(*)", catalog).incrementalStats, undefined);
  });
});
