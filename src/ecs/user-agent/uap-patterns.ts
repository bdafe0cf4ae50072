/**
 * uap-core's regexes.yaml, loaded once from the installed package and compiled with re2js. CloudTrail user agents
 * are attacker-controlled, and uap-core's patterns are written for backtracking engines; RE2 matches in time
 * linear in the input for every pattern, so no user agent can make parsing slow. All patterns compile under RE2
 * (uap-core keeps them RE2-compatible for its Go port).
 *
 * Compiling all ≈ 1,200 patterns takes about a second, and running hundreds of them per new user agent takes
 * milliseconds. So each pattern is compiled only when first tried, and is tried only when the text holds the
 * literals every match of it must contain (see literal-prefilters.ts); results stay those of trying every pattern.
 * Those literals come precomputed (see precomputed-literals.ts).
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { RE2JS } from "re2js";
import { LiteralPrefilters } from "./literal-prefilters.ts";
import { requiredLiteralsOf } from "./precomputed-literals.ts";
import { type UapEntry, readUapYaml } from "./uap-yaml.ts";

export class UapPattern {
  /** Position among all patterns of all lists, for LiteralPrefilters. */
  readonly id: number;
  readonly source: string;
  readonly caseInsensitive: boolean;
  /** name/family (or os / device) replacement, then v1..v4 replacements; null where the yaml has none. */
  readonly replacements: (string | null)[];
  #regex: RE2JS | undefined;

  constructor(id: number, source: string, caseInsensitive: boolean, replacements: (string | null)[]) {
    this.id = id;
    this.source = source;
    this.caseInsensitive = caseInsensitive;
    this.replacements = replacements;
  }

  get regex(): RE2JS {
    this.#regex ??= RE2JS.compile(this.source, this.caseInsensitive ? RE2JS.CASE_INSENSITIVE : 0);
    return this.#regex;
  }
}

export interface UapPatternLists {
  userAgent: UapPattern[];
  os: UapPattern[];
  device: UapPattern[];
  /** Every pattern of the three lists, by id. */
  all: UapPattern[];
}

export interface UapPatterns extends UapPatternLists {
  prefilters: LiteralPrefilters;
}

let cached: UapPatterns | undefined;

export function uapPatterns(): UapPatterns {
  if (cached === undefined) {
    const lists = readUapPatternLists();
    cached = { ...lists, prefilters: new LiteralPrefilters(requiredLiteralsOf(lists.all)) };
  }
  return cached;
}

/** The installed uap-core's patterns, uncompiled. */
export function readUapPatternLists(): UapPatternLists {
  const path = createRequire(import.meta.url).resolve("uap-core/regexes.yaml");
  const yaml = readUapYaml(readFileSync(path, "utf8"));
  const all: UapPattern[] = [];
  const patternsOf = (entries: UapEntry[] | undefined, replacementKeys: string[]) =>
    (entries ?? []).map((entry) => {
      const pattern = new UapPattern(
        all.length,
        String(entry.regex),
        // Elasticsearch honours only the "i" flag (Pattern.CASE_INSENSITIVE).
        entry.regex_flag === "i",
        replacementKeys.map((key) => (entry[key] === undefined ? null : String(entry[key]))),
      );
      all.push(pattern);
      return pattern;
    });
  return {
    userAgent: patternsOf(yaml.user_agent_parsers, [
      "family_replacement",
      "v1_replacement",
      "v2_replacement",
      "v3_replacement",
      "v4_replacement",
    ]),
    os: patternsOf(yaml.os_parsers, [
      "os_replacement",
      "os_v1_replacement",
      "os_v2_replacement",
      "os_v3_replacement",
      "os_v4_replacement",
    ]),
    device: patternsOf(yaml.device_parsers, ["device_replacement"]),
    all,
  };
}
