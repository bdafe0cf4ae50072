/**
 * A detection rule as trailwatch runs it: Elastic's rule fields in camelCase, schedule values both as written and in
 * milliseconds, defaults filled in the way Kibana fills them. Loaders build it; the engine and alerts only read it.
 */
export interface ThreatEntry {
  id: string;
  name: string;
  reference: string;
}

export interface Threat {
  framework: string;
  tactic: ThreatEntry;
  technique?: (ThreatEntry & { subtechnique?: ThreatEntry[] })[];
}

export interface Rule {
  ruleId: string;
  name: string;
  description: string;
  version: number;
  /** "query" | "esql" | "eql" | "new_terms" | "threshold" | "machine_learning" | … (the engine decides what it runs). */
  type: string;
  /** "kuery" | "esql" | "eql" | "lucene" …; absent for machine_learning rules. */
  language?: string;
  query?: string;
  index?: string[];
  /** As written: "1h", "now-24h", "now". */
  interval: string;
  from: string;
  to: string;
  intervalMs: number;
  /** How far back `from` reaches from "now": each execution covers [now - lookbackMs, now]. */
  lookbackMs: number;
  maxSignals: number;
  severity: string;
  riskScore: number;
  tags: string[];
  threat: Threat[];
  author: string[];
  license?: string;
  references: string[];
  falsePositives: string[];
  note?: string;
  setup?: string;
  timestampOverride?: string;
  timestampOverrideFallbackDisabled?: boolean;
  investigationFields?: string[];
  buildingBlockType?: string;
  alertSuppression?: unknown;
  /** new_terms rules: `{ fields, historyWindowStart }`. */
  newTerms?: unknown;
  threshold?: unknown;
  enabled: boolean;
  /** The file it came from, or "built-in:<slug>". */
  origin: string;
  /** The rule's parameters with Kibana's snake_case keys, as `kibana.alert.rule.parameters` holds them. */
  parameters: Record<string, unknown>;
}
