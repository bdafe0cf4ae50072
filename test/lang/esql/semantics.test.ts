/** Elasticsearch ES|QL semantics: nulls, multivalues, three-valued logic, IN, LIKE, CASE, STATS, KEEP. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Document } from "../../../src/doc/document.ts";
import { records, row, run, runWithWarnings } from "./helpers.ts";

const FROM = "FROM logs-aws.cloudtrail-*";

describe("three-valued logic and nulls", () => {
  it("AND/OR/NOT follow the null truth tables", () => {
    assert.deepEqual(
      row(
        "ROW n = null::boolean | EVAL a = false AND n, b = true AND n, c = true OR n, d = false OR n, e = NOT n, f = n IS NULL",
      ),
      { n: null, a: false, b: null, c: true, d: null, e: null, f: true },
    );
  });

  it("comparisons with null are null and WHERE drops them", () => {
    const docs: Document[] = [{ user: { name: "a" } }, {}];
    assert.deepEqual(run(`${FROM} | WHERE user.name != "b" | KEEP user.name`, docs).rows, [["a"]]);
    assert.deepEqual(run(`${FROM} | WHERE user.name IS NULL | KEEP user.name`, docs).rows, [[null]]);
    assert.deepEqual(run(`${FROM} | WHERE user.name IS NOT NULL | KEEP user.name`, docs).rows, [["a"]]);
  });

  it("== on a multivalue is null with a warning", () => {
    const { result, warnings } = runWithWarnings(`${FROM} | EVAL x = user.name == "a" | KEEP x`, [
      { user: { name: ["a", "b"] } },
    ]);
    assert.deepEqual(result.rows, [[null]]);
    assert.match(warnings[0], /^Line 1:\d+: evaluation of \[user.name == "a"\] failed/);
    assert.match(warnings[1], /single-value function encountered multi-value/);
  });
});

describe("COALESCE and CASE", () => {
  it("COALESCE returns the first non-null argument", () => {
    assert.deepEqual(row('ROW a = null, b = "x" | EVAL c = COALESCE(a, b, "z"), d = COALESCE(a, null)'), {
      a: null,
      b: "x",
      c: "x",
      d: null,
    });
  });

  it("CASE takes the first true condition; a null condition counts as false; no default gives null", () => {
    assert.deepEqual(
      row(
        'ROW x = null::integer | EVAL a = CASE(x > 1, "big", "other"), b = CASE(x IS NULL, "none"), c = CASE(false, 1), d = CASE(true, 1, true, 2)',
      ),
      { x: null, a: "other", b: "none", c: null, d: 1 },
    );
  });

  it("CASE treats a multivalued condition as false, with a warning", () => {
    const { result, warnings } = runWithWarnings(
      `${FROM} | EVAL c = CASE(aws.cloudtrail.read_only, "ro", "rw") | KEEP c`,
      [{ aws: { cloudtrail: { read_only: [true, false] } } }],
    );
    assert.deepEqual(result.rows, [["rw"]]);
    assert.ok(warnings.some((w) => /multi-value/.test(w)));
  });
});

describe("IN", () => {
  it("follows Elasticsearch's decision order", () => {
    assert.deepEqual(
      row(
        'ROW a = "x", n = null::keyword | EVAL m = a IN ("y", "x"), f = a IN ("y", "z"), nn = n IN ("x"), allnull = a IN (null, null), withnull = a IN ("y", null), hit = a IN (null, "x"), notin = a NOT IN ("y")',
      ),
      { a: "x", n: null, m: true, f: false, nn: null, allnull: null, withnull: null, hit: true, notin: true },
    );
  });

  it("a multivalued left side is null with a warning; multivalued list items are ignored", () => {
    const { result, warnings } = runWithWarnings(
      `${FROM} | EVAL a = user.name IN ("a"), b = "a" IN (user.name, "b"), c = "b" IN (user.name, "b") | KEEP a, b, c`,
      [{ user: { name: ["a", "b"] } }],
    );
    assert.deepEqual(result.rows, [[null, false, true]]);
    assert.ok(warnings.length >= 2);
  });

  it("`true IN (…)` tests any of several booleans", () => {
    const docs = [{ event: { action: "ListUsers" } }, { event: { action: "PutObject" } }];
    const q = `${FROM} | WHERE true IN (STARTS_WITH(event.action, "List"), STARTS_WITH(event.action, "Describe")) | KEEP event.action`;
    assert.deepEqual(run(q, docs).rows, [["ListUsers"]]);
  });
});

describe("LIKE and RLIKE", () => {
  const like = (value: string, pattern: string) =>
    row(`ROW v = ${JSON.stringify(value)} | EVAL m = v LIKE """${pattern}"""`).m;

  it("matches the whole value with * and ?, case-sensitively; % and _ are literal", () => {
    assert.equal(like("system:serviceaccount:ns:sa", "system:serviceaccount:*"), true);
    assert.equal(like("xsystem:serviceaccount:", "system:serviceaccount:*"), false);
    assert.equal(like("abc", "a?c"), true);
    assert.equal(like("abbc", "a?c"), false);
    assert.equal(like("ABC", "abc"), false);
    assert.equal(like("a/x/b", "%/x/%"), false);
    assert.equal(like("%/x/%", "%/x/%"), true);
    assert.equal(like("a_c", "a_c"), true);
    assert.equal(like("a\nb", "a*b"), true);
  });

  it("escapes * and ? with a backslash", () => {
    assert.equal(like("a*c", "a\\*c"), true);
    assert.equal(like("abc", "a\\*c"), false);
    assert.equal(row('ROW v = "a*c" | EVAL m = v LIKE "a\\\\*c"').m, true);
  });

  it("NOT LIKE, and a multivalued input is null with a warning", () => {
    assert.equal(row('ROW v = "abc" | EVAL m = v NOT LIKE "a*"').m, false);
    const { result, warnings } = runWithWarnings(`${FROM} | EVAL m = user.name LIKE "a*" | KEEP m`, [
      { user: { name: ["ab", "ac"] } },
    ]);
    assert.deepEqual(result.rows, [[null]]);
    assert.equal(warnings.length, 2);
  });

  it("RLIKE is an anchored Lucene regexp", () => {
    const rlike = (value: string, pattern: string) =>
      row(`ROW v = ${JSON.stringify(value)} | EVAL m = v RLIKE """${pattern}"""`).m;
    assert.equal(rlike('{"Effect": "Allow"}', '.*\\"Effect\\": *\\"Allow\\".*'), true);
    assert.equal(rlike("xabcx", "abc"), false);
    assert.equal(rlike("abc", "a[a-c]+"), true);
    assert.equal(rlike("a^b", "a^b"), true, "^ is an ordinary character in Lucene regexps");
    assert.equal(rlike("foo123", "foo<1-200>"), true);
    assert.equal(rlike("anything", "@"), true);
    assert.equal(rlike("x | sh", ".*\\| ?sh.*"), true);
    assert.equal(row('ROW v = "abc" | EVAL m = v NOT RLIKE "a.c"').m, false);
  });
});

describe("comments and keywords", () => {
  it("accepts // and /* */ comments anywhere, including inside expressions", () => {
    const q = `ROW a = 1 /* one */, b = 2 // two
      | EVAL c = a + // plus
        b /* inline */ * 2
      // a whole line
      | KEEP c`;
    assert.deepEqual(row(q), { c: 5 });
  });

  it("keywords are case-insensitive", () => {
    assert.deepEqual(row("row a = 1 | eval b = a In (1) aNd a iS nOt NuLl | Keep b"), { b: true });
  });

  it('keeps "//" inside strings', () => {
    assert.deepEqual(row('ROW a = "http://x" // comment'), { a: "http://x" });
  });
});

describe("STATS", () => {
  const docs: Document[] = [
    { user: { name: "a" }, bytes: 10, "@timestamp": "2026-05-01T10:00:00Z" },
    { user: { name: "a" }, bytes: 5, "@timestamp": "2026-05-01T09:00:00Z" },
    { user: { name: "b" }, "@timestamp": "2026-05-01T11:00:00Z" },
    { bytes: 7 },
    { user: { name: ["a", "c"] }, bytes: 1 },
  ];

  it("groups nulls together and puts a multivalued key's row in every group", () => {
    const result = run(
      `${FROM} | STATS rows = COUNT(*), counted = COUNT(bytes), total = SUM(bytes), first = MIN(@timestamp), last = MAX(@timestamp) BY user.name | SORT user.name`,
      docs,
    );
    assert.deepEqual(records(result), [
      {
        rows: 3,
        counted: 3,
        total: 16,
        first: "2026-05-01T09:00:00.000Z",
        last: "2026-05-01T10:00:00.000Z",
        "user.name": "a",
      },
      {
        rows: 1,
        counted: 0,
        total: null,
        first: "2026-05-01T11:00:00.000Z",
        last: "2026-05-01T11:00:00.000Z",
        "user.name": "b",
      },
      { rows: 1, counted: 1, total: 1, first: null, last: null, "user.name": "c" },
      { rows: 1, counted: 1, total: 7, first: null, last: null, "user.name": null },
    ]);
    assert.deepEqual(result.groupKeys, ['["a"]', '["b"]', '["c"]', "[null]"]);
    assert.deepEqual(result.groupRowCounts, [3, 1, 1, 1]);
  });

  it("without BY gives one row, even over no rows", () => {
    assert.deepEqual(records(run(`${FROM} | STATS n = COUNT(*), s = SUM(bytes), v = VALUES(user.name)`, [])), [
      { n: 0, s: null, v: null },
    ]);
  });

  it("VALUES gives unique values, COUNT_DISTINCT counts them, MV_FIRST takes the first", () => {
    const result = run(
      `${FROM} | STATS v = VALUES(user.name), d = COUNT_DISTINCT(user.name), c = COUNT(user.name) | EVAL f = MV_FIRST(v)`,
      docs,
    );
    assert.deepEqual(records(result), [{ v: ["a", "b", "c"], d: 3, c: 5, f: "a" }]);
  });

  it("the rightmost of two same-named output columns wins", () => {
    const result = run(`${FROM} | STATS x = COUNT(*), x = SUM(bytes)`, docs);
    assert.deepEqual(records(result), [{ x: 23 }]);
    assert.deepEqual(result.columns, [{ name: "x", type: "long" }]);
  });

  it("aggregate filters, expressions over aggregates and computed BY keys", () => {
    const result = run(
      `${FROM} | STATS big = COUNT(*) WHERE bytes > 5, avg = SUM(bytes) / COUNT(bytes) BY hour = DATE_TRUNC(1 hour, @timestamp) | SORT hour`,
      docs,
    );
    assert.deepEqual(records(result), [
      { big: 0, avg: 5, hour: "2026-05-01T09:00:00.000Z" },
      { big: 1, avg: 10, hour: "2026-05-01T10:00:00.000Z" },
      { big: 0, avg: null, hour: "2026-05-01T11:00:00.000Z" },
      { big: 1, avg: 4, hour: null },
    ]);
  });
});

describe("column layout", () => {
  it("later columns shadow earlier ones and move to the end", () => {
    const result = run("ROW a = 1, b = 2 | EVAL a = b + 1", []);
    assert.deepEqual(
      result.columns.map((c) => c.name),
      ["b", "a"],
    );
    assert.deepEqual(result.rows, [[2, 3]]);
  });

  it("KEEP orders by pattern with exact > prefix* > * precedence", () => {
    const q = "ROW Esql.b = 1, x = 2, Esql.a = 3, y = 4 | KEEP *, Esql.*, x";
    assert.deepEqual(
      run(q, []).columns.map((c) => c.name),
      ["y", "Esql.b", "Esql.a", "x"],
    );
    const q2 = "ROW Esql.b = 1, x = 2, Esql.a = 3 | KEEP Esql.a, Esql.*";
    assert.deepEqual(
      run(q2, []).columns.map((c) => c.name),
      ["Esql.a", "Esql.b"],
    );
  });

  it("EVAL can assign to a dotted name that shadows a source field", () => {
    const q = `${FROM} | EVAL aws.cloudtrail.user_identity.access_key_id = MV_FIRST(user.name) | KEEP aws.cloudtrail.user_identity.access_key_id`;
    assert.deepEqual(
      run(q, [{ user: { name: ["b", "a"] }, aws: { cloudtrail: { user_identity: { access_key_id: "K" } } } }]).rows,
      [["a"]],
    );
  });
});

describe("geo_point columns", () => {
  it("reads a {lat, lon} object as WKT with the longitude first", () => {
    const docs: Document[] = [{ source: { geo: { location: { lat: 41.12, lon: -71.34 } } } }, { source: { ip: "10.0.0.1" } }];
    const result = run("FROM logs-aws.cloudtrail-* | KEEP source.geo.location", docs);
    assert.deepEqual(result.rows, [["POINT (-71.34 41.12)"], [null]]);
  });
});
