import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { test } from "node:test";
import { LiteralPrefilters } from "../../src/ecs/user-agent/literal-prefilters.ts";
import { LiteralScanner } from "../../src/ecs/user-agent/literal-scanner.ts";
import { requiredLiterals } from "../../src/ecs/user-agent/required-literals.ts";
import { readUapYaml } from "../../src/ecs/user-agent/uap-yaml.ts";
import { UA } from "../../src/simulate/user-agents.ts";

const uapYamlPath = createRequire(import.meta.url).resolve("uap-core/regexes.yaml");

function found(literals: string[], text: string): string[] {
  const present = new Uint8Array(literals.length);
  new LiteralScanner(literals).mark(text, present);
  return literals.filter((_, i) => present[i] === 1);
}

test("the scanner finds overlapping literals and literals inside others", () => {
  assert.deepEqual(found(["he", "she", "his", "hers"], "ushers"), ["he", "she", "hers"]);
  assert.deepEqual(found(["abcd", "bc", "c", "bcx"], "abcd"), ["abcd", "bc", "c"]);
  assert.deepEqual(found(["aab", "ab"], "aaab"), ["aab", "ab"]);
  assert.deepEqual(found(["x"], ""), []);
  assert.deepEqual(found(["😀", "é"], "caf\u00e9 😀"), ["😀", "é"]);
});

test("the scanner agrees with includes on random texts", () => {
  let state = 7;
  const rand = (n: number) => {
    state = (state * 1103515245 + 12345) & 0x7fffffff;
    return state % n;
  };
  const word = (max: number) => Array.from({ length: 1 + rand(max) }, () => "abc"[rand(3)]).join("");
  for (let round = 0; round < 200; round++) {
    const literals = [...new Set(Array.from({ length: 1 + rand(12) }, () => word(4)))];
    const text = word(30);
    assert.deepEqual(
      found(literals, text),
      literals.filter((l) => text.includes(l)),
      `${JSON.stringify(literals)} in ${text}`,
    );
  }
});

test("a pattern may match only when each of its sets has a literal present; folded sets look at folded text", () => {
  const requirements = [
    { allOf: [["Foo"], ["Bar", "Baz"]], folded: false },
    undefined,
    { allOf: [["spider"]], folded: true },
    { allOf: [["Foo"]], folded: false },
  ];
  // Checked with includes first, then with the automata: the same answers.
  const prefilters = new LiteralPrefilters(requirements, 5);
  for (let round = 0; round < 2; round++) {
    const scan = (text: string) => [0, 1, 2, 3].filter(prefilters.scan(text));
    assert.deepEqual(scan("xBazFoo"), [0, 1, 3]);
    assert.deepEqual(scan("xFoo"), [1, 3]);
    assert.deepEqual(scan("foo Bar"), [1]);
    assert.deepEqual(scan("Mozilla SPIDER"), [1, 2]);
    assert.deepEqual(scan("\u017fpider"), [1, 2]);
  }
});

test("includes and automata agree over every uap-core prefilter and many user agents", () => {
  const requirements = Object.values(readUapYaml(readFileSync(uapYamlPath, "utf8")))
    .flat()
    .map((entry) => requiredLiterals(entry.regex, entry.regex_flag === "i"));
  const byIncludes = new LiteralPrefilters(requirements, Infinity);
  const byAutomata = new LiteralPrefilters(requirements, 0);
  const ids = requirements.map((_, id) => id);
  const agents = [
    ...Object.values(UA),
    "Mozilla/5.0 (Linux; Android 14; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Mobile Safari/537.36",
    "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
    "MOZILLA/5.0 (WINDOWS NT 10.0) CHROME/120.0 SAFARI/537.36 \u017fPIDER \u212aINDLE",
  ];
  let passing = 0;
  for (const ua of agents) {
    const expected = ids.filter(byIncludes.scan(ua));
    assert.deepEqual(ids.filter(byAutomata.scan(ua)), expected, ua);
    passing += expected.length;
  }
  assert.ok(passing > 0 && passing < agents.length * ids.length / 4, `${passing} passing`);
});
