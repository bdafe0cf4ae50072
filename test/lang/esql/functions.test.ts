/** Scalar and aggregate functions, from the documented examples, with their null and multivalue behaviour. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Document } from "../../../src/doc/document.ts";
import { records, row, run, runWithWarnings } from "./helpers.ts";

const FROM = "FROM logs-aws.cloudtrail-*";
const value = (expr: string, rowDef = "x = 0") => row(`ROW ${rowDef} | EVAL r = ${expr} | KEEP r`).r;

describe("string functions", () => {
  it("compute as documented", () => {
    assert.equal(value('CONCAT("aws:", "123", "-x")'), "aws:123-x");
    assert.equal(value('CONCAT("a", null)'), null);
    assert.equal(value('STARTS_WITH("DescribeInstances", "Describe")'), true);
    assert.equal(value('ENDS_WITH("app.js", ".js")'), true);
    assert.equal(value('TO_LOWER("AbC")'), "abc");
    assert.equal(value('TO_UPPER("AbC")'), "ABC");
    assert.equal(value('LENGTH("héllo")'), 5);
    assert.equal(value('SUBSTRING("elasticsearch", 1, 7)'), "elastic");
    assert.equal(value('SUBSTRING("elasticsearch", -6)'), "search");
    assert.equal(value('SUBSTRING("abc", 2)'), "bc");
    assert.deepEqual(value('SPLIT("a,b,c", ",")'), ["a", "b", "c"]);
    assert.equal(value('REPLACE("Hello World", "World", "Universe")'), "Hello Universe");
    assert.equal(value('REPLACE("a1b22", "[0-9]+", "#")'), "a#b#");
    assert.equal(value('TRIM("  x  ")'), "x");
    assert.equal(value('LOCATE("a,b,c", ",")'), 2);
    assert.equal(value('LOCATE("a,b,c", ",", 3)'), 4);
    assert.equal(value('LOCATE("abc", "z")'), 0);
    assert.equal(value('FROM_BASE64("ZWxhc3RpYw==")'), "elastic");
    assert.equal(value('TO_BASE64("elastic")'), "ZWxhc3RpYw==");
  });

  it("return null with a warning on a multivalued argument", () => {
    const { result, warnings } = runWithWarnings(`${FROM} | EVAL l = TO_LOWER(user.name) | KEEP l`, [
      { user: { name: ["A", "B"] } },
    ]);
    assert.deepEqual(result.rows, [[null]]);
    assert.match(warnings[1], /single-value function encountered multi-value/);
  });
});

describe("conversion functions", () => {
  it("convert every value, dropping the ones that cannot convert", () => {
    assert.equal(value('TO_DOUBLE("1.5")'), 1.5);
    assert.equal(value("TO_DOUBLE(3)"), 3);
    assert.deepEqual(value('TO_LONG(["1", "x", "3"])'), [1, 3]);
    assert.equal(value('TO_INTEGER("x")'), null);
    assert.equal(value('TO_BOOLEAN("TRUE")'), true);
    assert.equal(value('TO_IP("10.0.0.1")'), "10.0.0.1");
    assert.equal(value('TO_IP("nope")'), null);
    assert.equal(value('TO_DATETIME("2026-05-01T10:00:00+02:00")'), "2026-05-01T08:00:00.000Z");
    assert.equal(value("TO_STRING(1.0)"), "1.0");
    assert.equal(value("TO_STRING(true)"), "true");
    assert.equal(value('TO_STRING(TO_IP("::1"))'), "::1");
    assert.equal(value('"1"::integer + 1'), 2);
  });

  it("TO_STRING of an ip column, as CONCAT in the rules uses it", () => {
    const result = run(`${FROM} | EVAL s = CONCAT(TO_STRING(source.ip), " - ", user_agent.original) | KEEP s`, [
      { source: { ip: "203.0.113.7" }, user_agent: { original: "ua" } },
    ]);
    assert.deepEqual(result.rows, [["203.0.113.7 - ua"]]);
  });
});

describe("date functions", () => {
  const t = 'TO_DATETIME("2026-05-01T10:37:42.123Z")';
  it("truncate, diff, format, extract and bucket in UTC", () => {
    assert.equal(value(`DATE_TRUNC(10 seconds, ${t})`), "2026-05-01T10:37:40.000Z");
    assert.equal(value(`DATE_TRUNC(30 minutes, ${t})`), "2026-05-01T10:30:00.000Z");
    assert.equal(value(`DATE_TRUNC(5 minute, ${t})`), "2026-05-01T10:35:00.000Z");
    assert.equal(value(`DATE_TRUNC(1 day, ${t})`), "2026-05-01T00:00:00.000Z");
    assert.equal(value(`DATE_TRUNC(1 week, ${t})`), "2026-04-27T00:00:00.000Z");
    assert.equal(value(`DATE_TRUNC(1 month, ${t})`), "2026-05-01T00:00:00.000Z");
    assert.equal(value(`DATE_TRUNC(1 year, ${t})`), "2026-01-01T00:00:00.000Z");
    assert.equal(value(`DATE_DIFF("seconds", ${t}, ${t} + 1 hour)`), 3600);
    assert.equal(value(`DATE_DIFF("minutes", ${t} + 1 hour, ${t})`), -60);
    assert.equal(value(`DATE_DIFF("month", TO_DATETIME("2026-01-31"), TO_DATETIME("2026-02-28"))`), 0);
    assert.equal(value(`DATE_FORMAT("yyyy-MM-dd HH:mm", ${t})`), "2026-05-01 10:37");
    assert.equal(value(`DATE_FORMAT(${t})`), "2026-05-01T10:37:42.123Z");
    assert.equal(value(`DATE_EXTRACT("hour_of_day", ${t})`), 10);
    assert.equal(value(`DATE_EXTRACT("DAY_OF_WEEK", ${t})`), 5);
    assert.equal(value(`BUCKET(${t}, 1 hour)`), "2026-05-01T10:00:00.000Z");
    assert.equal(value("BUCKET(1234, 100)"), 1200);
    assert.equal(value("NOW()"), "2026-05-01T12:00:00.000Z");
  });
});

describe("math and comparison functions", () => {
  it("compute as documented", () => {
    assert.equal(value("ROUND(1.2345, 2)"), 1.23);
    assert.equal(value("ROUND(2.5)"), 3);
    assert.equal(value("ROUND(-2.5)"), -3);
    assert.equal(value("ROUND(1234, -2)"), 1200);
    assert.equal(value("ABS(-3)"), 3);
    assert.equal(value("GREATEST(1, 5, 3)"), 5);
    assert.equal(value('LEAST("b", "a")'), "a");
    assert.equal(value("GREATEST(1, null)"), null);
    assert.equal(value('CIDR_MATCH(TO_IP("10.1.2.3"), "10.0.0.0/8", "192.168.0.0/16")'), true);
    assert.equal(value('CIDR_MATCH(TO_IP("11.1.2.3"), "10.0.0.0/8")'), false);
    assert.equal(value('CIDR_MATCH(TO_IP("2001:db8::1"), "2001:db8::/32")'), true);
  });
});

describe("multivalue functions", () => {
  it("work on whole multivalues", () => {
    const mv = "m = [3, 1, 2, 1]";
    assert.equal(value("MV_COUNT(m)", mv), 4);
    assert.equal(value("MV_FIRST(m)", mv), 3);
    assert.equal(value("MV_LAST(m)", mv), 1);
    assert.equal(value("MV_MIN(m)", mv), 1);
    assert.equal(value("MV_MAX(m)", mv), 3);
    assert.deepEqual(value("MV_SORT(m)", mv), [1, 1, 2, 3]);
    assert.deepEqual(value('MV_SORT(m, "desc")', mv), [3, 2, 1, 1]);
    assert.deepEqual(value("MV_DEDUPE(m)", mv), [3, 1, 2]);
    assert.equal(value("MV_SUM(m)", mv), 7);
    assert.equal(value("MV_AVG(m)", mv), 1.75);
    assert.deepEqual(value("MV_SLICE(m, 1, 2)", mv), [1, 2]);
    assert.equal(value('MV_CONCAT(["a", "b"], ", ")'), "a, b");
    assert.equal(value("MV_CONTAINS(m, [1, 2])", mv), true);
    assert.equal(value("MV_CONTAINS(m, 5)", mv), false);
    assert.equal(value("MV_COUNT(null)"), null);
    assert.equal(value("MV_FIRST(7)"), 7);
  });
});

describe("aggregate functions", () => {
  const docs: Document[] = [
    { bytes: 1, user: { name: "a" } },
    { bytes: [2, 3], user: { name: "b" } },
    { bytes: 4, user: { name: "a" } },
    { user: { name: "c" } },
  ];
  it("skip nulls and count every value of a multivalue", () => {
    assert.deepEqual(
      records(
        run(
          `${FROM} | STATS s = SUM(bytes), a = AVG(bytes), mn = MIN(bytes), mx = MAX(bytes), md = MEDIAN(bytes), p = PERCENTILE(bytes, 75), t = TOP(bytes, 2, "desc"), c = COUNT(bytes), cd = COUNT_DISTINCT(user.name)`,
          docs,
        ),
      ),
      [{ s: 10, a: 2.5, mn: 1, mx: 4, md: 2.5, p: 3.25, t: [4, 3], c: 4, cd: 3 }],
    );
  });

  it("type their results as Elasticsearch does", () => {
    const result = run(
      `${FROM} | STATS s = SUM(count), c = COUNT(*), a = AVG(count), m = MIN(@timestamp), v = VALUES(source.ip)`,
      [],
    );
    assert.deepEqual(
      result.columns.map((c) => c.type),
      ["long", "long", "double", "date", "ip"],
    );
  });
});
