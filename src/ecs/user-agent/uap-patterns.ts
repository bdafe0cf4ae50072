/**
 * uap-core's regexes.yaml, loaded once from the installed package and compiled with re2js. CloudTrail user agents
 * are attacker-controlled, and uap-core's patterns are written for backtracking engines; RE2 matches in time
 * linear in the input for every pattern, so no user agent can make parsing slow. All patterns compile under RE2
 * (uap-core keeps them RE2-compatible for its Go port).
 *
 * Compiling all ≈ 1,200 patterns takes about a second, and running hundreds of them per new user agent takes
 * milliseconds. So each pattern is compiled only when first tried, and is tried only when the text holds one of the
 * literals every match of it must contain (see required-literals.ts); results stay those of trying every pattern.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { RE2JS } from "re2js";
import { foldCase, holdsRequired, type RequiredLiterals, requiredLiterals } from "./required-literals.ts";
import { type UapEntry, readUapYaml } from "./uap-yaml.ts";

/** A user agent being parsed, with its case-folded form made once, when a prefilter first needs it. */
export class PatternInput {
  readonly text: string;
  #folded: string | undefined;

  constructor(text: string) {
    this.text = text;
  }

  get folded(): string {
    this.#folded ??= foldCase(this.text);
    return this.#folded;
  }
}

export class UapPattern {
  readonly source: string;
  readonly caseInsensitive: boolean;
  /** name/family (or os / device) replacement, then v1..v4 replacements; null where the yaml has none. */
  readonly replacements: (string | null)[];
  #regex: RE2JS | undefined;
  /** null: no prefilter (always try the regex); undefined: not analysed yet. */
  #required: RequiredLiterals | null | undefined;

  constructor(source: string, caseInsensitive: boolean, replacements: (string | null)[]) {
    this.source = source;
    this.caseInsensitive = caseInsensitive;
    this.replacements = replacements;
  }

  /** False when the text lacks every literal a match needs, so the regex cannot match it. */
  mayMatch(input: PatternInput): boolean {
    if (this.#required === undefined) this.#required = requiredLiterals(this.source, this.caseInsensitive) ?? null;
    if (this.#required === null) return true;
    return holdsRequired(this.#required, this.#required.folded ? input.folded : input.text);
  }

  get regex(): RE2JS {
    this.#regex ??= RE2JS.compile(this.source, this.caseInsensitive ? RE2JS.CASE_INSENSITIVE : 0);
    return this.#regex;
  }
}

export interface UapPatterns {
  userAgent: UapPattern[];
  os: UapPattern[];
  device: UapPattern[];
}

let cached: UapPatterns | undefined;

export function uapPatterns(): UapPatterns {
  if (cached === undefined) {
    const path = createRequire(import.meta.url).resolve("uap-core/regexes.yaml");
    const yaml = readUapYaml(readFileSync(path, "utf8"));
    cached = {
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
    };
  }
  return cached;
}

function patternsOf(entries: UapEntry[] | undefined, replacementKeys: string[]): UapPattern[] {
  return (entries ?? []).map(
    (entry) =>
      new UapPattern(
        String(entry.regex),
        // Elasticsearch honours only the "i" flag (Pattern.CASE_INSENSITIVE).
        entry.regex_flag === "i",
        replacementKeys.map((key) => (entry[key] === undefined ? null : String(entry[key]))),
      ),
  );
}
