/**
 * Rule schedule values as Kibana accepts them: `interval` is a positive whole number of s/m/h/d (Kibana's alerting
 * `parseDuration`); `from`/`to` are date math relative to the execution time ("now-6m", "now").
 */
const SECOND = 1000;
const UNIT_MS: Record<string, number> = {
  ms: 1,
  s: SECOND,
  m: 60 * SECOND,
  h: 3600 * SECOND,
  d: 86400 * SECOND,
  w: 7 * 86400 * SECOND,
};

/** "5m" "1h" "60s" "7d" → milliseconds. */
export function parseDuration(s: string): number {
  const match = /^([1-9][0-9]*)([smhd])$/.exec(s);
  if (!match) {
    throw new Error(`invalid duration "${s}": expected a positive whole number followed by s, m, h or d (e.g. "5m")`);
  }
  return Number(match[1]) * UNIT_MS[match[2]];
}

/** "now-6m" → 6 minutes in ms (how far before the execution time it lies); "now" → 0. */
export function parseDateMath(s: string): number {
  if (s === "now") return 0;
  const match = /^now-([0-9]+)(ms|[smhdw])$/.exec(s);
  if (match) return Number(match[1]) * UNIT_MS[match[2]];
  // Months and years have no fixed length, and rounding ("/d") moves the window with the clock: neither gives a
  // fixed look-back, and no published rule uses them.
  const why = /^now-[0-9]+[My]$/.test(s)
    ? "months and years have no fixed length; use days or weeks"
    : s.includes("/")
      ? "rounding (/d, /h…) is not supported"
      : 'expected "now" or "now-<n><unit>" with unit ms, s, m, h, d or w (e.g. "now-6m")';
  throw new Error(`invalid date math "${s}": ${why}`);
}
