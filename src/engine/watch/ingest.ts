/**
 * One object → the candidates each rule keeps: every record normalized as Elastic's pipeline would at ingest time
 * (`event.ingested` = when trailwatch read it), enriched, given the id scan gives it, and offered to every rule.
 */
import { type Document, fieldValues } from "../../doc/document.ts";
import { normalizeRecord } from "../../ecs/index.ts";
import type { Enricher } from "../../enrich/index.ts";
import type { CandidateRow } from "../../store/state-store.ts";
import type { RulePlan } from "../plans.ts";
import { documentId } from "../document-id.ts";
import { objectRecords } from "./object-records.ts";

export interface IngestContext {
  plans: RulePlan[];
  enricher: Enricher;
  namespace: string;
  tags?: string[];
  /** Each copy of a record is its own document (ids per object and position), as in Elasticsearch. */
  kibanaCompatible: boolean;
}

export interface IngestedObject {
  records: number;
  candidates: CandidateRow[];
  problems: string[];
}

export function ingestObject(bytes: Buffer, name: string, ingestedAt: number, ctx: IngestContext): IngestedObject {
  const { records, problems } = objectRecords(bytes, name);
  const candidates: CandidateRow[] = [];
  const kept = new Set<string>();
  const ingested = new Date(ingestedAt);
  records.forEach((text, i) => {
    const doc: Document = normalizeRecord(text, { namespace: ctx.namespace, tags: ctx.tags, ingested });
    const failure = fieldValues(doc, "error.message")[0];
    if (failure !== undefined) {
      problems.push(`record ${i + 1}: ${String(failure)}`);
      if (fieldValues(doc, "@timestamp").length === 0) return;
    }
    ctx.enricher.enrich(doc);
    const id = documentId(doc, name, i + 1, ctx.kibanaCompatible);
    for (const plan of ctx.plans) {
      const candidate = plan.select(doc, id);
      const key = `${plan.rule.ruleId}\u0000${id}`;
      if (!candidate || kept.has(key)) continue;
      kept.add(key);
      candidates.push({ ruleId: plan.rule.ruleId, docId: id, time: candidate.time, doc: candidate.doc });
    }
  });
  return { records: records.length, candidates, problems };
}
