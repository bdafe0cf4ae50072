/** All ES|QL rules of the reference folder parse and verify; the census of their syntax matches esql-census.json. */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import type { Document } from "../../../src/doc/document.ts";
import { compileEsql, parseEsql } from "../../../src/lang/esql/index.ts";
import { census } from "./census.ts";
import { esqlRules, permissiveCatalog, RULES_DIR } from "./rules.ts";

const rules = esqlRules();
const catalog = permissiveCatalog(rules);

describe("the reference ES|QL rules", () => {
  it("are the 26 the census lists", () => {
    const census = JSON.parse(readFileSync(new URL("../esql-census.json", `file://${RULES_DIR}`), "utf8"));
    assert.equal(rules.length, 26);
    assert.deepEqual(rules.map((r) => r.file).sort(), Object.keys(census.per_rule).sort());
  });

  for (const rule of rules) {
    it(`parses and verifies ${rule.file}`, () => {
      const parsed = parseEsql(rule.query);
      assert.ok(parsed.commands.length >= 2);
      const compiled = compileEsql(rule.query, catalog);
      assert.ok(compiled.sources.length >= 1);
    });
  }
});

describe("the census of the reference ES|QL rules, from our parse trees", () => {
  const expected = JSON.parse(readFileSync(new URL("../esql-census.json", `file://${RULES_DIR}`), "utf8"));
  const ours = census(rules.map((r) => parseEsql(r.query)));
  for (const category of ["commands", "functions", "operators", "misc"] as const) {
    it(`matches every ${category} count`, () => {
      assert.deepEqual(sortKeys(ours[category]), sortKeys(expected[category]));
    });
  }
});

function sortKeys<T>(o: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : 1)));
}

describe("the reference ES|QL rules run", () => {
  const doc = (action: string): Document => ({
    "@timestamp": "2026-05-01T10:00:00.000Z",
    event: { action, provider: "iam.amazonaws.com", outcome: "success", dataset: "aws.cloudtrail" },
    data_stream: { dataset: "aws.cloudtrail" },
    user: { name: "alice" },
    source: { ip: "203.0.113.7" },
    aws: { cloudtrail: { user_identity: { type: "IAMUser", arn: "arn:aws:iam::1:user/alice" } } },
  });
  for (const rule of rules) {
    it(`over documents without error: ${rule.file}`, () => {
      const compiled = compileEsql(rule.query, catalog);
      const result = compiled.run([doc("CreateAccessKey"), doc("GetSecretValue")], {
        now: new Date("2026-05-01T12:00:00Z"),
      });
      assert.ok(result.columns.length > 0);
      assert.ok(Array.isArray(result.rows));
    });
  }
});
