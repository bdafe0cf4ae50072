/**
 * uap-core's regexes.yaml, loaded once from the installed package and compiled with re2js. CloudTrail user agents
 * are attacker-controlled, and uap-core's patterns are written for backtracking engines; RE2 matches in time
 * linear in the input for every pattern, so no user agent can make parsing slow. All patterns compile under RE2
 * (uap-core keeps them RE2-compatible for its Go port).
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { RE2JS } from "re2js";
import YAML from "yaml";

export interface UapPattern {
  regex: RE2JS;
  groupCount: number;
  /** name/family (or os / device) replacement, then v1..v4 replacements; null where the yaml has none. */
  replacements: (string | null)[];
}

export interface UapPatterns {
  userAgent: UapPattern[];
  os: UapPattern[];
  device: UapPattern[];
}

type RawEntry = { [key: string]: string | undefined };

let cached: UapPatterns | undefined;

export function uapPatterns(): UapPatterns {
  if (cached === undefined) {
    const path = createRequire(import.meta.url).resolve("uap-core/regexes.yaml");
    const yaml = YAML.parse(readFileSync(path, "utf8")) as Record<string, RawEntry[]>;
    cached = {
      userAgent: compile(yaml.user_agent_parsers, [
        "family_replacement",
        "v1_replacement",
        "v2_replacement",
        "v3_replacement",
        "v4_replacement",
      ]),
      os: compile(yaml.os_parsers, [
        "os_replacement",
        "os_v1_replacement",
        "os_v2_replacement",
        "os_v3_replacement",
        "os_v4_replacement",
      ]),
      device: compile(yaml.device_parsers, ["device_replacement"]),
    };
  }
  return cached;
}

function compile(entries: RawEntry[] | undefined, replacementKeys: string[]): UapPattern[] {
  return (entries ?? []).map((entry) => {
    // Elasticsearch honours only the "i" flag (Pattern.CASE_INSENSITIVE).
    const regex = RE2JS.compile(String(entry.regex), entry.regex_flag === "i" ? RE2JS.CASE_INSENSITIVE : 0);
    return {
      regex,
      groupCount: regex.groupCount(),
      replacements: replacementKeys.map((key) => (entry[key] === undefined ? null : String(entry[key]))),
    };
  });
}
