/**
 * Inside a worker: which rule plans select a document (the same `select` the main thread's plans run), and the
 * document cut down to the fields those plans keep, so only what the rules can read is copied to the main thread.
 * The main thread offers each candidate to the plans that selected it and no others: a rule that did not see the
 * whole document must not judge the cut-down one.
 */
import type { Document } from "../../doc/document.ts";
import type { CandidatePlan } from "../candidate.ts";
import { projectDocument } from "../project.ts";

export interface SelectedDocument {
  doc: Document;
  /** Indices of the plans that select it. */
  rules: number[];
}

export function candidateSelection(plans: readonly CandidatePlan[]): (doc: Document, id: string) => SelectedDocument | undefined {
  return (doc, id) => {
    const rules: number[] = [];
    const fields = new Set<string>();
    let whole = false;
    plans.forEach((plan, i) => {
      if (!plan.select(doc, id)) return;
      rules.push(i);
      const kept = plan.keptFields;
      if (kept) for (const f of kept) fields.add(f);
      else whole = true;
    });
    if (rules.length === 0) return undefined;
    return { doc: whole ? doc : projectDocument(doc, [...fields]), rules };
  };
}
