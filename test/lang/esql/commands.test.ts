/** Processing commands, literals and the default result limit. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Document } from "../../../src/doc/document.ts";
import { compileEsql } from "../../../src/lang/esql/index.ts";
import { catalog, NOW, records, row, run } from "./helpers.ts";

const FROM = "FROM logs-aws.cloudtrail-*";

describe("literals and names", () => {
  it("reads string escapes, triple quotes, backquoted and dotted names", () => {
    assert.deepEqual(row('ROW a = "q\\"\\\\\\t\\n", b = """no \\escapes "here" """, `c.d` = 1 | EVAL e = `c.d` + 1'), {
      a: 'q"\\\t\n',
      b: 'no \\escapes "here" ',
      "c.d": 1,
      e: 2,
    });
  });

  it("types numbers, booleans, null and lists", () => {
    const result = run("ROW i = 1, l = 3000000000, d = 1.5, b = true, n = null, m = [1, 2, 3]", []);
    assert.deepEqual(
      result.columns.map((c) => c.type),
      ["integer", "long", "double", "boolean", "null", "integer"],
    );
    assert.deepEqual(result.rows, [[1, 3000000000, 1.5, true, null, [1, 2, 3]]]);
  });

  it("does arithmetic with integer division, modulo and overflow to null", () => {
    assert.deepEqual(row("ROW a = 7 / 2, b = 7.0 / 2, c = -7 % 3, d = 2147483647 + 1, e = 1 / 0, f = 2 * 3 - 1"), {
      a: 3,
      b: 3.5,
      c: -1,
      d: null,
      e: null,
      f: 5,
    });
  });

  it("adds and subtracts timespans to dates", () => {
    const q =
      'ROW t = TO_DATETIME("2026-01-31T10:00:00Z") | EVAL a = t + 1 hour, b = t - 7 days, c = t + 1 month, d = NOW() - 10 minutes, e = t + 5 minute';
    assert.deepEqual(row(q), {
      t: "2026-01-31T10:00:00.000Z",
      a: "2026-01-31T11:00:00.000Z",
      b: "2026-01-24T10:00:00.000Z",
      c: "2026-02-28T10:00:00.000Z",
      d: "2026-05-01T11:50:00.000Z",
      e: "2026-01-31T10:05:00.000Z",
    });
  });
});

describe("commands", () => {
  const docs: Document[] = [
    { user: { name: "b" }, bytes: 2, "@timestamp": "2026-05-01T10:00:00Z" },
    { user: { name: "a" }, bytes: 3 },
    { bytes: 1 },
    { user: { name: "c" } },
  ];

  it("SORT puts nulls last ascending and first descending unless told", () => {
    const names = (q: string) => run(`${FROM} | SORT ${q} | KEEP user.name`, docs).rows.map((r) => r[0]);
    assert.deepEqual(names("user.name"), ["a", "b", "c", null]);
    assert.deepEqual(names("user.name DESC"), [null, "c", "b", "a"]);
    assert.deepEqual(names("user.name ASC NULLS FIRST"), [null, "a", "b", "c"]);
    assert.deepEqual(names("user.name DESC NULLS LAST"), ["c", "b", "a", null]);
    assert.deepEqual(names("bytes DESC, user.name"), ["c", "a", "b", null]);
  });

  it("LIMIT stops the stream", () => {
    assert.deepEqual(run(`${FROM} | SORT user.name | LIMIT 2 | KEEP user.name`, docs).rows, [["a"], ["b"]]);
    assert.deepEqual(run(`${FROM} | LIMIT 0`, docs).rows, []);
  });

  it("caps output at the default limit when the query has no LIMIT", () => {
    const many: Document[] = Array.from({ length: 1205 }, (_, i) => ({ bytes: i }));
    assert.equal(run(`${FROM} | KEEP bytes`, many).rows.length, 1000);
    assert.equal(run(`${FROM} | KEEP bytes`, many, { limit: 101 }).rows.length, 101);
    assert.equal(run(`${FROM} | KEEP bytes`, many, { limit: 50_000 }).rows.length, 1205);
    assert.equal(run(`${FROM} | KEEP bytes | LIMIT 1100`, many).rows.length, 1100);
  });

  it("DROP and RENAME (both syntaxes)", () => {
    const result = run("ROW a = 1, b = 2, c = 3 | DROP b | RENAME a AS x | RENAME y = c", []);
    assert.deepEqual(records(result), [{ x: 1, y: 3 }]);
    assert.deepEqual(
      run("ROW a = 1, b = 2 | RENAME a AS b", []).columns.map((c) => c.name),
      ["b"],
    );
    assert.deepEqual(
      run("ROW ab = 1, ac = 2, b = 3 | DROP a*", []).columns.map((c) => c.name),
      ["b"],
    );
  });

  it("MV_EXPAND makes one row per value", () => {
    assert.deepEqual(run('ROW a = [1, 2], b = "x" | MV_EXPAND a', []).rows, [
      ["x", 1],
      ["x", 2],
    ]);
    assert.deepEqual(run("ROW a = null, b = 1 | MV_EXPAND a", []).rows, [[1, null]]);
  });

  it("METADATA exposes _id, _index and _version", () => {
    const compiled = compileEsql(`${FROM} METADATA _id, _index, _version | KEEP _id, _index, _version, bytes`, catalog);
    assert.deepEqual(compiled.metadataFields, ["_id", "_index", "_version"]);
    const result = compiled.run([{ bytes: 1 }], {
      now: NOW,
      metadata: () => ({ _id: "abc", _index: "logs-aws.cloudtrail-default", _version: 1 }),
    });
    assert.deepEqual(records(result), [{ _id: "abc", _index: "logs-aws.cloudtrail-default", _version: 1, bytes: 1 }]);
  });

  it("reports what a query needs: requiredFields and the row filter", () => {
    const c = compileEsql(`${FROM} | EVAL x = bytes | WHERE user.name == "a" | WHERE x > 1 | KEEP x`, catalog);
    assert.deepEqual(c.requiredFields, ["bytes", "user.name"]);
    assert.equal(c.aggregating, false);
    assert.equal(c.rowFilter?.({ user: { name: "a" } }), true);
    assert.equal(c.rowFilter?.({ user: { name: "b" } }), false);
    assert.equal(compileEsql(FROM, catalog).requiredFields, "*");
    assert.equal(compileEsql(`${FROM} | WHERE @timestamp > NOW() - 1 hour`, catalog).rowFilter, undefined);
  });
});

describe("DISSECT", () => {
  const dissect = (value: string, pattern: string, options = "") =>
    records(run(`ROW v = ${JSON.stringify(value)} | DISSECT v ${JSON.stringify(pattern)} ${options} | DROP v`, []))[0];

  it("splits on the literal delimiters, skipping %{} and %{?name}", () => {
    assert.deepEqual(dissect("{serviceCode=ec2, quotaCode=L-1216C47A}", "{%{?k}=%{code}, %{?q}=%{quota}}"), {
      code: "ec2",
      quota: "L-1216C47A",
    });
    assert.deepEqual(
      dissect(
        "/var/lib/amazon/ssm/document/orchestration/abc-123/awsrunShellScript",
        "%{}/document/orchestration/%{id}/%{}",
      ),
      {
        id: "abc-123",
      },
    );
  });

  it("appends with %{+name} and APPEND_SEPARATOR, and right-pads with ->", () => {
    assert.deepEqual(dissect("john jacob smith", "%{a} %{+a} %{+a}", 'APPEND_SEPARATOR=","'), {
      a: "john,jacob,smith",
    });
    assert.deepEqual(dissect("a     b", "%{x->} %{y}"), { x: "a", y: "b" });
  });

  it("gives nulls when the pattern does not match", () => {
    assert.deepEqual(dissect("no delimiters", "%{a}=%{b}"), { a: null, b: null });
  });
});

describe("GROK", () => {
  it("supports named groups with dots, typed captures, and sorts output columns", () => {
    const result = run(
      'ROW v = "instanceId=i-123, n=42" | GROK v """instanceId=(?<Esql.instance_id>[^,}\\]]+), n=%{INT:z.n:int}"""',
      [],
    );
    assert.deepEqual(result.columns, [
      { name: "v", type: "keyword" },
      { name: "Esql.instance_id", type: "keyword" },
      { name: "z.n", type: "integer" },
    ]);
    assert.deepEqual(result.rows[0].slice(1), ["i-123", 42]);
  });

  it("processes a multivalued input value by value", () => {
    const result = run(`${FROM} | GROK user.name "u-%{WORD:id}" | KEEP id`, [{ user: { name: ["u-a", "x", "u-b"] } }]);
    assert.deepEqual(result.rows, [[["a", "b"]]]);
  });
});

describe("pathological input", () => {
  it("GROK, RLIKE and LIKE run in linear time over a 1 MB value", () => {
    const value = `${"a".repeat(1_000_000)}!`;
    const docs: Document[] = [{ message: value, user: { name: value } }];
    const q = `${FROM} | GROK message """(?<x>(a+)+)b""" | EVAL r = user.name RLIKE """(a|aa)*c""", l = user.name LIKE "*a*a*a*a*a*c" | KEEP x, r, l`;
    assert.deepEqual(run(q, docs).rows, [[null, false, false]]);
  });
});

describe("KQL()", () => {
  it("filters source documents with a KQL query", () => {
    const compiled = compileEsql(
      `${FROM} | WHERE NOT KQL("""user.name : a* and not event.action: "ListUsers" """) | KEEP event.action`,
      catalog,
    );
    const docs: Document[] = [
      { user: { name: "alice" }, event: { action: "ListUsers" } },
      { user: { name: "alice" }, event: { action: "PutObject" } },
      { user: { name: "bob" }, event: { action: "PutObject" } },
    ];
    assert.deepEqual(compiled.run(docs, { now: NOW }).rows, [["ListUsers"], ["PutObject"]]);
    assert.deepEqual(compiled.requiredFields, ["event.action", "user.name"]);
    assert.equal(compiled.rowFilter?.(docs[1]), false);
  });
});
