/**
 * The required-literal analyser: worked examples of each piece of syntax, then soundness over uap-core itself —
 * strings generated to match each pattern must always pass its prefilter — and the case folding it relies on.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { test } from "node:test";
import { RE2JS } from "re2js";
import YAML from "yaml";
import {
  foldCase,
  type RequiredLiterals,
  requiredLiterals,
} from "../../src/ecs/user-agent/required-literals.ts";

/** What a prefilter means: the text (folded when the literals are) holds a literal of every set. */
function holdsRequired(required: RequiredLiterals, text: string): boolean {
  return required.allOf.every((anyOf) => anyOf.some((literal) => text.includes(literal)));
}

/** The analysis as sorted sets (order inside the result is a matter of speed only). */
function literalsOf(source: string, caseInsensitive = false): string[][] | undefined {
  const found = requiredLiterals(source, caseInsensitive);
  return found?.allOf.map((set) => [...set].sort()).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
}

test("literals, groups and alternation", () => {
  assert.deepEqual(literalsOf("abc"), [["abc"]]);
  assert.deepEqual(literalsOf("(GeoEvent Server) (\\d+)"), [["GeoEvent Server "]]);
  assert.deepEqual(literalsOf("(Collector|Explorer)-(?:Android|iOS)-(\\d+)"), [
    ["Collector-Android-", "Collector-iOS-", "Explorer-Android-", "Explorer-iOS-"],
  ]);
  // Every branch needs a literal; one branch without makes the alternation say nothing.
  assert.deepEqual(literalsOf("x(\\d+|abc)"), [["x"]]);
  assert.deepEqual(literalsOf("(?:\\d+|abc)"), undefined);
  // Two separate literal runs: both are required.
  assert.deepEqual(literalsOf("Foo\\d+Bar"), [["Bar"], ["Foo"]]);
  // Named groups are groups.
  assert.deepEqual(literalsOf("(?P<name>ab)c"), [["abc"]]);
});

test("quantifiers that allow zero occurrences make a part optional", () => {
  assert.deepEqual(literalsOf("ab?c"), [["abc", "ac"]]);
  assert.deepEqual(literalsOf("a(?:\\.(\\d+)|)b"), [["a"], ["b"]]);
  assert.deepEqual(literalsOf("Ax*B"), [["A"], ["B"]]);
  assert.deepEqual(literalsOf("Ax{0,3}B"), [["A"], ["B"]]);
  assert.deepEqual(literalsOf("(?:abc)*"), undefined);
  assert.deepEqual(literalsOf("(?:abc){0,2}"), undefined);
  assert.deepEqual(literalsOf("(?:abc)?"), undefined);
  // At least once keeps what the part requires; lazy forms are the same.
  assert.deepEqual(literalsOf("(?:abc)+?"), [["abc"]]);
  assert.deepEqual(literalsOf("x(?:ab){2,5}y"), [["ab"], ["x"], ["y"]]);
  assert.deepEqual(literalsOf("(?:ab){1,}"), [["ab"]]);
});

test("classes, escapes and anchors", () => {
  assert.deepEqual(literalsOf("[AB]ot"), [["Aot", "Bot"]]);
  assert.deepEqual(literalsOf("a[^;]b"), [["a"], ["b"]]);
  assert.deepEqual(literalsOf("a[a-z]b"), [["a"], ["b"]]);
  assert.deepEqual(literalsOf("a[]x]b"), [["a]b", "axb"]]);
  assert.deepEqual(literalsOf("x[\\d.]y"), [["x"], ["y"]]);
  assert.deepEqual(literalsOf("\\(KHTML\\, like\\ Gecko\\)"), [["(KHTML, like Gecko)"]]);
  assert.deepEqual(literalsOf("\\bcurl\\b/\\d"), [["curl/"]]);
  assert.deepEqual(literalsOf("^Mozilla.{0,100}$"), [["Mozilla"]]);
  assert.deepEqual(literalsOf("(?:^|; )LG-(\\w+)"), [["LG-"]]);
});

test("case-insensitive patterns are looked for in folded text", () => {
  assert.deepEqual(requiredLiterals("Bot/(\\d)", true), { allOf: [["bot/"]], folded: true });
  assert.deepEqual(requiredLiterals("(?i)Bot", false), { allOf: [["bot"]], folded: true });
  assert.deepEqual(requiredLiterals("x(?i:Bot)", false), { allOf: [["xbot"]], folded: true });
  // Case-sensitive spellings of one word become one folded literal.
  assert.deepEqual(requiredLiterals("[Bb]ot", false), { allOf: [["bot"]], folded: true });
  assert.deepEqual(requiredLiterals("[Ss][Pp][Ii][Dd][Ee][Rr]", false), { allOf: [["spider"]], folded: true });
  // Non-ASCII literals have folds beyond toLowerCase: no literal from them.
  assert.equal(requiredLiterals("é", true), undefined);
  assert.deepEqual(requiredLiterals("é", false), { allOf: [["é"]], folded: false });
  const required = requiredLiterals("SpIdEr", true);
  assert.ok(required);
  assert.equal(holdsRequired(required, foldCase("Mozilla (compatible; SPIDER)")), true);
  assert.equal(holdsRequired(required, foldCase("Mozilla (compatible; crawler)")), false);
});

test("syntax outside the modelled subset gives no prefilter (the pattern is always tried)", () => {
  for (const source of ["\\x41bc", "\\pLabc", "[[:alpha:]]abc", "abc\\1", "a{b", "\\Qabc\\E", "(?=abc)", "abc)"]) {
    assert.equal(requiredLiterals(source, false), undefined, source);
  }
});

// ---- soundness over uap-core: generated matching strings always pass the prefilter ----

/** Seeded, so a failure reproduces. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) & 0x7fffffff;
    return state / 0x80000000;
  };
}

const POOL = [...Array.from({ length: 95 }, (_, i) => String.fromCharCode(32 + i)), "é", "\u017f", "\u212a", "ß"];

/**
 * Generates strings meant to match a pattern (not always succeeding: anchors and look-alike parts can defeat it, so
 * callers keep only those the regex really matches). Classes and escapes pick from POOL what RE2 itself accepts.
 */
class SampleGenerator {
  #pos = 0;
  readonly #pickers = new Map<string, string[]>();

  constructor(
    private readonly src: string,
    private readonly rand: () => number,
  ) {}

  sample(): string {
    this.#pos = 0;
    return this.alternation();
  }

  private alternation(): string {
    const branches: number[] = [this.#pos];
    let depth = 0;
    // Find this level's branches first, then generate one of them.
    for (let i = this.#pos; i < this.src.length; i++) {
      const c = this.src[i];
      if (c === "\\") i++;
      else if (c === "[") i = this.classEnd(i);
      else if (c === "(") depth++;
      else if (c === ")" && depth-- === 0) break;
      else if (c === "|" && depth === 0) branches.push(i + 1);
    }
    this.#pos = branches[Math.floor(this.rand() * branches.length)];
    let out = "";
    while (this.#pos < this.src.length && this.src[this.#pos] !== "|" && this.src[this.#pos] !== ")") {
      out += this.quantified();
    }
    // Skip the other branches up to the end of this level.
    depth = 0;
    for (; this.#pos < this.src.length; this.#pos++) {
      const c = this.src[this.#pos];
      if (c === "\\") this.#pos++;
      else if (c === "[") this.#pos = this.classEnd(this.#pos);
      else if (c === "(") depth++;
      else if (c === ")" && depth-- === 0) break;
    }
    return out;
  }

  private classEnd(start: number): number {
    let i = start + 1;
    if (this.src[i] === "^") i++;
    if (this.src[i] === "]") i++;
    for (; this.src[i] !== "]"; i++) if (this.src[i] === "\\") i++;
    return i;
  }

  private quantified(): string {
    const start = this.#pos;
    this.atom();
    let min = 1;
    let max = 1;
    const m = /^(?:([*+?])|\{(\d+)(?:(,)(\d*))?\})\??/.exec(this.src.slice(this.#pos));
    if (m) {
      this.#pos += m[0].length;
      if (m[1]) [min, max] = m[1] === "*" ? [0, 3] : m[1] === "+" ? [1, 3] : [0, 1];
      else [min, max] = [Number(m[2]), m[3] ? (m[4] ? Number(m[4]) : Number(m[2]) + 2) : Number(m[2])];
    }
    const count = min + Math.floor(this.rand() * (Math.min(max, min + 3) - min + 1));
    let out = "";
    const after = this.#pos;
    for (let k = 0; k < count; k++) {
      this.#pos = start;
      out += this.atom();
    }
    this.#pos = after;
    return out;
  }

  private atom(): string {
    const c = this.src[this.#pos];
    if (c === "(") {
      this.#pos++;
      const prefix = /^\?(?::|P?<\w+>|[imsU-]*:)/.exec(this.src.slice(this.#pos));
      if (prefix) this.#pos += prefix[0].length;
      const inner = this.alternation();
      this.#pos++; // ")"
      return inner;
    }
    if (c === "^" || c === "$") {
      this.#pos++;
      return "";
    }
    if (c === "[") {
      const end = this.classEnd(this.#pos);
      const source = this.src.slice(this.#pos, end + 1);
      this.#pos = end + 1;
      return this.pick(source);
    }
    if (c === "\\") {
      const escaped = this.src[this.#pos + 1];
      this.#pos += 2;
      return "bBAz".includes(escaped) ? "" : this.pick(`\\${escaped}`);
    }
    if (c === ".") {
      this.#pos++;
      return this.pick(".");
    }
    const point = String.fromCodePoint(this.src.codePointAt(this.#pos) as number);
    this.#pos += point.length;
    return point;
  }

  /** A character of POOL the single-character expression matches. */
  private pick(expression: string): string {
    let choices = this.#pickers.get(expression);
    if (choices === undefined) {
      const regex = RE2JS.compile(`^(?:${expression})$`);
      choices = POOL.filter((c) => regex.matches(c));
      this.#pickers.set(expression, choices);
    }
    return choices.length === 0 ? "" : choices[Math.floor(this.rand() * choices.length)];
  }
}

/** Random case changes, including to the non-ASCII letters RE2 folds onto s and k. */
function scrambleCase(text: string, rand: () => number): string {
  return [...text]
    .map((c) => {
      const r = rand();
      if (c === "s" && r < 0.2) return "\u017f";
      if (c === "k" && r < 0.2) return "\u212a";
      return r < 0.5 ? c.toUpperCase() : c.toLowerCase();
    })
    .join("");
}

test("strings generated to match each uap-core pattern always pass its prefilter", () => {
  const file = createRequire(import.meta.url).resolve("uap-core/regexes.yaml");
  const yaml = YAML.parse(readFileSync(file, "utf8")) as Record<string, { regex: string; regex_flag?: string }[]>;
  const rand = random(42);
  let patterns = 0;
  let patternsWithSample = 0;
  let samples = 0;
  for (const entry of Object.values(yaml).flat()) {
    patterns++;
    const caseInsensitive = entry.regex_flag === "i";
    const required = requiredLiterals(entry.regex, caseInsensitive);
    if (required === undefined) continue;
    const regex = RE2JS.compile(entry.regex, caseInsensitive ? RE2JS.CASE_INSENSITIVE : 0);
    const generator = new SampleGenerator(entry.regex, rand);
    let matched = false;
    for (let k = 0; k < 6; k++) {
      let sample = `x ${generator.sample()} y`;
      if (caseInsensitive && k % 2 === 1) sample = scrambleCase(sample, rand);
      if (!regex.matcher(sample).find()) continue;
      matched = true;
      samples++;
      const text = required.folded ? foldCase(sample) : sample;
      const why = `${entry.regex} matches ${JSON.stringify(sample)} but ${JSON.stringify(required)}`;
      assert.ok(holdsRequired(required, text), why);
    }
    if (matched) patternsWithSample++;
  }
  // The check means something only if most patterns got matching samples.
  assert.ok(patternsWithSample >= patterns * 0.9, `${patternsWithSample} of ${patterns} patterns got samples`);
  assert.ok(samples > patterns * 2);
});

test("case folding: whatever RE2 matches case-insensitively against an ASCII literal folds onto it", () => {
  const everyCodePoint: string[] = [];
  for (let c = 0; c <= 0xffff; c++) if (c < 0xd800 || c > 0xdfff) everyCodePoint.push(String.fromCharCode(c));
  const text = everyCodePoint.join("");
  for (let c = 0x20; c < 0x7f; c++) {
    const literal = String.fromCharCode(c);
    const m = RE2JS.compile(RE2JS.quote(literal), RE2JS.CASE_INSENSITIVE).matcher(text);
    let count = 0;
    while (m.find()) {
      count++;
      assert.ok(foldCase(m.group() as string).includes(literal.toLowerCase()), `${m.group()} vs ${literal}`);
    }
    assert.ok(count >= 1);
  }
});
