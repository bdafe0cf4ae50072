/**
 * Wildcard matching for `*` patterns without regular expressions: query values come from rule authors and documents
 * from attackers, so matching must stay linear-time whatever either contains.
 *
 * The pattern is split at its wildcards into literal segments. The first segment must be a prefix and the last a
 * suffix; each middle segment is taken at its leftmost occurrence after the previous one. Taking the leftmost
 * occurrence is always safe with `*` as the only wildcard (an earlier match leaves more room for the rest), so no
 * backtracking is ever needed.
 */
export type StringMatcher = (value: string) => boolean;

/** `segments` are the literal parts between wildcards (a pattern with n `*` has n + 1 segments). */
export function globMatcher(segments: readonly string[]): StringMatcher {
  if (segments.length === 1) {
    const exact = segments[0];
    return (value) => value === exact;
  }
  const prefix = segments[0];
  const suffix = segments[segments.length - 1];
  const middle = segments.slice(1, -1).filter((s) => s !== "");
  const minLength = prefix.length + suffix.length + middle.reduce((n, s) => n + s.length, 0);
  return (value) => {
    if (value.length < minLength || !value.startsWith(prefix) || !value.endsWith(suffix)) return false;
    const limit = value.length - suffix.length;
    let at = prefix.length;
    for (const segment of middle) {
      const found = value.indexOf(segment, at);
      if (found < 0 || found + segment.length > limit) return false;
      at = found + segment.length;
    }
    return true;
  };
}
