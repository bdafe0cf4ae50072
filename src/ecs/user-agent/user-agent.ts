/**
 * Elasticsearch's `user_agent` processor with its default properties: the first matching uap-core pattern per
 * list (user agent, OS, device), replacements applied as Elasticsearch applies them (only `$1`, only in the name;
 * version replacements are literal), and "Other" for an unmatched name or device. Results are cached per string.
 */
import type { JsonValue } from "../../doc/document.ts";
import type { MayMatch } from "./literal-prefilters.ts";
import { type UapPattern, uapPatterns } from "./uap-patterns.ts";

interface VersionedName {
  name: string;
  parts: (string | null)[];
}

type Parsed = { [key: string]: JsonValue };

const CACHE_LIMIT = 1000;
/** Longer user agents are parsed every time: a thousand huge hostile ones must not pin gigabytes. */
const CACHEABLE_LENGTH = 4096;
/** Least recently used first (a Map iterates in insertion order; a hit is re-inserted). */
const cache = new Map<string, Parsed>();

export function parseUserAgent(original: string): Parsed {
  let parsed = cache.get(original);
  if (parsed !== undefined) {
    cache.delete(original);
    cache.set(original, parsed);
  } else {
    parsed = parse(original);
    if (original.length <= CACHEABLE_LENGTH) {
      if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value as string);
      cache.set(original, parsed);
    }
  }
  // Callers own the returned document parts.
  return copyParsed(parsed);
}

/** A deep copy of a result (strings and nested objects only); far cheaper than structuredClone for this shape. */
function copyParsed(parsed: Parsed): Parsed {
  const out: Parsed = {};
  for (const key in parsed) {
    const value = parsed[key];
    out[key] = typeof value === "object" && value !== null ? copyParsed(value as Parsed) : value;
  }
  return out;
}

function parse(original: string): Parsed {
  const patterns = uapPatterns();
  const mayMatch = patterns.prefilters.scan(original);
  const agent = findMatch(patterns.userAgent, original, mayMatch);
  const os = findMatch(patterns.os, original, mayMatch);
  const device = findMatch(patterns.device, original, mayMatch);
  const out: Parsed = { original, name: agent?.name ?? "Other" };
  const version = agent ? joinVersion(agent.parts) : undefined;
  if (version !== undefined) out.version = version;
  if (os) {
    const osOut: Parsed = { name: os.name };
    const osVersion = joinVersion(os.parts);
    if (osVersion !== undefined) {
      osOut.version = osVersion;
      osOut.full = `${os.name} ${osVersion}`;
    }
    out.os = osOut;
  }
  out.device = { name: device?.name ?? "Other" };
  return out;
}

/** major[.minor[.patch[.build]]], stopping at the first missing part. */
function joinVersion(parts: (string | null)[]): string | undefined {
  if (parts[0] === null || parts[0] === undefined) return undefined;
  let version = parts[0];
  for (let i = 1; i < parts.length && parts[i] !== null && parts[i] !== undefined; i++) version += `.${parts[i]}`;
  return version;
}

function findMatch(patterns: UapPattern[], text: string, mayMatch: MayMatch): VersionedName | undefined {
  for (const pattern of patterns) {
    if (!mayMatch(pattern.id)) continue;
    const regex = pattern.regex;
    const m = regex.matcher(text);
    if (!m.find()) continue;
    const group = (i: number): string | null => (regex.groupCount() >= i ? m.group(i) : null);
    const [nameReplacement, ...versionReplacements] = pattern.replacements;
    let name: string | null;
    if (nameReplacement !== null) {
      const first = group(1);
      name =
        nameReplacement.includes("$1") && first !== null ? nameReplacement.replace("$1", () => first) : nameReplacement;
    } else {
      name = group(1);
    }
    if (name === null) return undefined;
    const parts = [0, 1, 2, 3].map((i) => versionReplacements[i] ?? group(i + 2));
    return { name, parts };
  }
  return undefined;
}
