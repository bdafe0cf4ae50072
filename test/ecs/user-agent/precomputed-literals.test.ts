/**
 * The committed required-literals data must be what the analyser gives for the installed uap-core, and patterns it
 * was not made for must be analysed at run time instead.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import {
  computeRequiredLiterals,
  decodeLiterals,
  encodeLiterals,
  patternsKey,
  requiredLiteralsOf,
} from "../../../src/ecs/user-agent/precomputed-literals.ts";
import { patternsSha256, requiredLiteralsData } from "../../../src/ecs/user-agent/required-literals.data.ts";
import { requiredLiterals } from "../../../src/ecs/user-agent/required-literals.ts";
import { readUapPatternLists } from "../../../src/ecs/user-agent/uap-patterns.ts";

const REGENERATE = "run `node --import tsx scripts/generate-uap-literals.ts` and commit the result";

test("the committed data is the analysis of the installed uap-core's patterns", () => {
  const { all } = readUapPatternLists();
  assert.equal(patternsSha256, patternsKey(all), `uap-core's patterns changed since the data was generated: ${REGENERATE}`);
  assert.deepEqual(
    requiredLiteralsData,
    computeRequiredLiterals(all).map(encodeLiterals),
    `the analyser's results changed since the data was generated: ${REGENERATE}`,
  );
  assert.deepEqual(requiredLiteralsOf(all), computeRequiredLiterals(all));
});

test("patterns the data was not made for are analysed at run time", () => {
  const { all } = readUapPatternLists();
  const changed = all.map((p) => ({ source: p.source, caseInsensitive: p.caseInsensitive }));
  changed[0] = { source: "Zebra(\\d+)", caseInsensitive: false };
  assert.notEqual(patternsKey(changed), patternsSha256);
  const literals = requiredLiteralsOf(changed);
  assert.deepEqual(literals[0], { allOf: [["Zebra"]], folded: false });
  assert.deepEqual(literals, computeRequiredLiterals(changed));
  // A flag alone changes the key too.
  changed[0] = { source: all[0].source, caseInsensitive: !all[0].caseInsensitive };
  assert.notEqual(patternsKey(changed), patternsSha256);
});

test("the encoding keeps sets, their order and folding", () => {
  const examples = [
    undefined,
    { allOf: [["Foo"], ["b", "a"]], folded: false },
    { allOf: [["spider", "bot"]], folded: true },
    requiredLiterals("(?i)Mozilla.*Firefox", false),
  ];
  for (const literals of examples) assert.deepEqual(decodeLiterals(encodeLiterals(literals)), literals);
  assert.deepEqual(encodeLiterals(undefined), 0);
  assert.deepEqual(encodeLiterals({ allOf: [["x"]], folded: true }), [1, ["x"]]);
});
