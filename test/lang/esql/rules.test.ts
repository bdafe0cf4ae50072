/** All ES|QL rules of the reference folder parse and verify; the census of their syntax matches esql-census.json. */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
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
