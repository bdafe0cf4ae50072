import type { AlertDocument } from "../alerts/build.ts";
import type { Document } from "../doc/document.ts";

/** A document a rule may select, with the time its window filter sees and the id Elasticsearch would give it. */
export interface Candidate {
  time: number;
  id: string;
  doc: Document;
}

/** What every rule plan does while a scan reads: keep the candidates it selects, for the replay after. */
export abstract class CandidatePlan {
  protected readonly candidates: Candidate[] = [];

  get candidateCount(): number {
    return this.candidates.length;
  }

  /** Keeps the document if the rule may select it; says whether it did. */
  offer(doc: Document, id: string): boolean {
    const candidate = this.select(doc, id);
    if (candidate) this.candidates.push(candidate);
    return candidate !== undefined;
  }

  /** The fields of a document the rule can read once selected; undefined: all of them (its alerts carry it whole). */
  get keptFields(): readonly string[] | undefined {
    return undefined;
  }

  /** The candidate the rule would keep for this document, without keeping it (live mode stores it elsewhere). */
  abstract select(doc: Document, id: string): Candidate | undefined;
}

export function byTime(a: Candidate, b: Candidate): number {
  return a.time - b.time;
}

/** Diagnostics a rule raises while it runs, counted so a repeated one prints once with its count. */
export class RuleWarnings {
  private readonly counts = new Map<string, number>();
  add(message: string): void {
    this.counts.set(message, (this.counts.get(message) ?? 0) + 1);
  }
  list(): string[] {
    return [...this.counts].map(([m, n]) => (n > 1 ? `${m} (${n} times)` : m));
  }
}

/**
 * One alert from a single live execution. `groupKey`/`rowCount`: a de-duplicated aggregating ES|QL alert, which the
 * caller merges with the alert already stored under the same id. `sourceId`: the candidate an event alert consumed.
 */
export interface ExecutionAlert {
  id: string;
  alert: AlertDocument;
  sourceId?: string;
  groupKey?: string;
  rowCount?: number;
}
