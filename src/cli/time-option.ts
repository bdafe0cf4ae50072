/** `--from` / `--to`: an ISO-8601 date or time (UTC unless it says otherwise), or `now-<n><s|m|h|d>`. */
export function parseTimeOption(value: string, now = Date.now()): number {
  const relative = /^now(?:-(\d+)([smhd]))?$/.exec(value.trim());
  if (relative) {
    const unit = { s: 1e3, m: 60e3, h: 3600e3, d: 86400e3 }[relative[2] ?? "s"] ?? 1;
    return now - Number(relative[1] ?? 0) * unit;
  }
  const iso = /^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00Z` : value;
  const t = /^\d{4}-\d{2}-\d{2}T/.test(iso)
    ? Date.parse(/[zZ]|[+-]\d{2}:?\d{2}$/.test(iso) ? iso : `${iso}Z`)
    : Number.NaN;
  if (!Number.isFinite(t))
    throw new Error(`not a time: ${JSON.stringify(value)} (use 2024-05-01, 2024-05-01T12:00:00Z or now-7d)`);
  return t;
}
