/** Which indices a rule reads: Elasticsearch index patterns (`*` wildcards, comma lists, `-` exclusions). */
export function indexPatternMatches(patterns: string[], index: string): boolean {
  let matched = false;
  for (const raw of patterns.flatMap((p) => p.split(","))) {
    const pattern = raw.trim();
    if (!pattern) continue;
    if (pattern.startsWith("-")) {
      if (globMatches(pattern.slice(1), index)) matched = false;
    } else if (globMatches(pattern.replace(/^[^:]*:/, ""), index)) {
      matched = true;
    }
  }
  return matched;
}

function globMatches(pattern: string, value: string): boolean {
  const parts = pattern.split("*");
  if (parts.length === 1) return pattern === value;
  if (!value.startsWith(parts[0])) return false;
  let pos = parts[0].length;
  for (let i = 1; i < parts.length - 1; i++) {
    const at = value.indexOf(parts[i], pos);
    if (at < 0) return false;
    pos = at + parts[i].length;
  }
  const last = parts[parts.length - 1];
  return value.length - pos >= last.length && value.endsWith(last);
}
