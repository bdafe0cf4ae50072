/** Column-name patterns for KEEP, DROP and RENAME: `*` matches any run of characters. */
export function isWildcard(pattern: string): boolean {
  return pattern.includes("*");
}

export function wildcardMatcher(pattern: string): (name: string) => boolean {
  if (!isWildcard(pattern)) return (name) => name === pattern;
  const re = new RegExp(`^${pattern.split("*").map(escapeRegex).join(".*")}$`, "s");
  return (name) => re.test(name);
}

function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** KEEP precedence: an exact name beats a partial wildcard, which beats a bare `*`. */
export function patternRank(pattern: string): number {
  if (!isWildcard(pattern)) return 3;
  return pattern === "*" ? 1 : 2;
}
