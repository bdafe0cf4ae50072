/**
 * uap-core's regexes.yaml, loaded once from the installed package and compiled with re2js. CloudTrail user agents
 * are attacker-controlled, and uap-core's patterns are written for backtracking engines; RE2 matches in time
 * linear in the input for every pattern, so no user agent can make parsing slow. All patterns compile under RE2
 * (uap-core keeps them RE2-compatible for its Go port).
 *
 * Compiling all ≈ 1,200 patterns takes about a second, and most user agents are decided by a few dozen of them, so
 * each pattern is compiled the first time a user agent gets as far as trying it.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { RE2JS } from "re2js";
import { type UapEntry, readUapYaml } from "./uap-yaml.ts";

export class UapPattern {
  readonly source: string;
  readonly caseInsensitive: boolean;
  /** name/family (or os / device) replacement, then v1..v4 replacements; null where the yaml has none. */
  readonly replacements: (string | null)[];
  #regex: RE2JS | undefined;

  constructor(source: string, caseInsensitive: boolean, replacements: (string | null)[]) {
    this.source = source;
    this.caseInsensitive = caseInsensitive;
    this.replacements = replacements;
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
