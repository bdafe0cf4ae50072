/** Parse and verification errors: raised before any data is read, at the offending token. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { QueryError } from "../../../src/lang/errors.ts";
import { compileEsql, parseEsql } from "../../../src/lang/esql/index.ts";
import { catalog } from "./helpers.ts";

function errorOf(query: string): QueryError {
  try {
    compileEsql(query, catalog);
  } catch (e) {
    assert.ok(e instanceof QueryError, `expected a QueryError, got ${e}`);
    return e;
  }
  assert.fail(`expected ${JSON.stringify(query)} to be rejected`);
}

describe("verification errors", () => {
  it("names an unknown column at its line and column", () => {
    const e = errorOf('FROM logs-aws.cloudtrail-*\n| WHERE event.action == "x"\n  AND no.such.field == 1');
    assert.equal(e.kind, "verification");
    assert.equal(e.language, "esql");
    assert.equal(e.detail, "Unknown column [no.such.field]");
    assert.deepEqual([e.line, e.column], [3, 7]);
    assert.match(e.pretty(), /\n {2}\s+\^$/);
  });

  it("treats unmapped and flattened-only fields as unknown columns", () => {
    assert.equal(
      errorOf("FROM logs-aws.cloudtrail-* | KEEP aws.cloudtrail.flattened.request_parameters.roleArn").detail,
      "Unknown column [aws.cloudtrail.flattened.request_parameters.roleArn]",
    );
  });

  it("rejects unknown functions, wrong argument counts and types", () => {
    assert.equal(errorOf("ROW a = 1 | EVAL b = NO_SUCH(a)").detail, "Unknown function [no_such]");
    assert.match(errorOf("ROW a = 1 | EVAL b = CONCAT(a)").detail, /expects between 2 and 100 arguments, found \[1\]/);
    assert.match(errorOf('ROW a = "x" | EVAL b = ABS(a)').detail, /must be \[numeric\], found value type \[keyword\]/);
    assert.match(
      errorOf('ROW a = "x" | WHERE a == 1').detail,
      /is \[keyword\] so second argument must also be \[keyword\]/,
    );
    assert.match(errorOf("ROW a = 1 | WHERE a").detail, /Condition expression needs to be boolean/);
    assert.match(errorOf('ROW a = 1 | EVAL b = a LIKE "x"').detail, /must be \[string\]/);
    assert.match(errorOf("ROW a = 1 | EVAL b = SUM(a)").detail, /only allowed in STATS/);
    assert.match(errorOf("ROW a = 1 | STATS a + 1").detail, /column \[a\] must appear in the STATS BY clause/);
    assert.match(errorOf("ROW a = 1 | STATS 1 + 1").detail, /expected an aggregate function/);
    assert.match(errorOf('ROW a = 1 | EVAL d = DATE_DIFF("fortnights", NOW(), NOW())').detail, /not valid date part/);
  });

  it("rejects unknown indices, KEEP patterns that match nothing and bad GROK patterns", () => {
    assert.equal(errorOf("FROM nope-*").detail, "Unknown index [nope-*]");
    assert.equal(errorOf("ROW a = 1 | KEEP b*").detail, "No matches found for pattern [b*]");
    assert.match(errorOf('ROW a = "x" | GROK a "%{NOPE:x}"').detail, /Unable to find pattern \[NOPE\]/);
    assert.match(errorOf('ROW a = "x" | DISSECT a "%{*x} %{&x}"').detail, /reference keys/);
  });

  it("tells the user which commands are not supported", () => {
    const e = errorOf("FROM logs-aws.cloudtrail-* | ENRICH policy ON user.name");
    assert.equal(e.kind, "verification");
    assert.equal(e.detail, "command [ENRICH] is not supported by trailwatch");
    assert.equal(
      errorOf("FROM logs-aws.cloudtrail-* | LOOKUP JOIN x ON y").detail,
      "command [LOOKUP] is not supported by trailwatch",
    );
  });

  it("allows KQL() only in a WHERE over documents", () => {
    assert.match(
      errorOf('FROM logs-aws.cloudtrail-* | STATS c = COUNT(*) BY user.name | WHERE KQL("user.name: a")').detail,
      /only supported in WHERE/,
    );
  });
});

describe("parse errors", () => {
  it("report the position of the unexpected token", () => {
    for (const [query, line, column] of [
      ["FROM x | WHERE a ==", 1, 20],
      ["FROM x\n| EVAL a = (1 + 2", 2, 18],
      ['ROW a = "unterminated', 1, 9],
      ["ROW a = 1 | FOO", 1, 13],
      ["WHERE a", 1, 1],
    ] as const) {
      try {
        parseEsql(query);
        assert.fail(`expected a parse error for ${query}`);
      } catch (e) {
        assert.ok(e instanceof QueryError);
        assert.equal(e.kind, "parse", query);
        assert.deepEqual([e.line, e.column], [line, column], query);
      }
    }
  });
});
