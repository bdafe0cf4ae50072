/**
 * Prometheus text exposition (format 0.0.4) of a metrics snapshot: a plain number is one sample, a list is one
 * sample per label set. Names ending in `_total` are counters, the rest gauges.
 */

export type MetricValue = number | { labels: Record<string, string>; value: number }[];
export type MetricsSnapshot = Record<string, MetricValue>;

export function prometheusText(snapshot: MetricsSnapshot, prefix = "trailwatch_"): string {
  const lines: string[] = [];
  for (const [rawName, metric] of Object.entries(snapshot)) {
    const name = metricName(prefix + rawName);
    lines.push(`# TYPE ${name} ${name.endsWith("_total") ? "counter" : "gauge"}`);
    if (typeof metric === "number") {
      lines.push(`${name} ${sampleValue(metric)}`);
      continue;
    }
    for (const sample of metric) {
      const labels = Object.entries(sample.labels)
        .map(([k, v]) => `${metricName(k).replace(/:/g, "_")}="${escapeLabel(v)}"`)
        .join(",");
      lines.push(`${name}${labels ? `{${labels}}` : ""} ${sampleValue(sample.value)}`);
    }
  }
  return lines.length ? `${lines.join("\n")}\n` : "";
}

/** Metric names allow `[a-zA-Z_:][a-zA-Z0-9_:]*`; anything else becomes `_`. */
function metricName(name: string): string {
  const cleaned = name.replace(/[^a-zA-Z0-9_:]/g, "_");
  return /^[0-9]/.test(cleaned) ? `_${cleaned}` : cleaned;
}

function escapeLabel(value: string): string {
  return value.replace(/\\/g, "\\\\").replace(/\n/g, "\\n").replace(/"/g, '\\"');
}

function sampleValue(value: number): string {
  if (Number.isNaN(value)) return "NaN";
  if (value === Infinity) return "+Inf";
  if (value === -Infinity) return "-Inf";
  return String(value);
}
