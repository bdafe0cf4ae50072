/**
 * The per-record work of a scan, the same in the main thread and in workers: pre-filter the raw text, normalize as
 * Elastic's pipeline would, report pipeline failures, drop records outside the time range, enrich, and name the
 * document the way Elasticsearch would (`_id`).
 */
import { type Document, fieldValues } from "../../doc/document.ts";
import { normalizeRecord } from "../../ecs/index.ts";
import type { Enricher } from "../../enrich/index.ts";
import type { TimeRange } from "../../sources/index.ts";
import { type RecordScreen, screenFile } from "./file-screen.ts";
import { documentId } from "../document-id.ts";
import type { RawTest } from "./raw-test.ts";

export interface RecordStageOptions {
  namespace: string;
  /** Agent tags the pipeline sees, e.g. `actor_target_mapping` to run its entity script. */
  tags?: string[];
  enricher: Enricher;
  range?: TimeRange;
  kibanaCompatible: boolean;
  /** Undefined: every record is parsed. */
  prefilter?: RawTest;
  /** Whole files screened on their bytes before decoding (the same test as `prefilter`, with its needles). */
  screen?: RecordScreen;
}

export interface RecordCounts {
  records: number;
  outOfRange: number;
  pipelineErrors: number;
  /** Records the pre-filter let through to parsing. */
  parsed: number;
}

export interface StagedDocument {
  doc: Document;
  id: string;
}

export function emptyCounts(): RecordCounts {
  return { records: 0, outOfRange: 0, pipelineErrors: 0, parsed: 0 };
}

export class RecordStage {
  readonly counts = emptyCounts();
  private readonly perOrigin = new Map<string, number>();

  constructor(private readonly options: RecordStageOptions) {}

  /** The document a rule may see, or undefined; `problem` hears about records the pipeline could not process. */
  process(text: string, origin: string, problem: (message: string) => void): StagedDocument | undefined {
    const counts = this.counts;
    counts.records++;
    const position = (this.perOrigin.get(origin) ?? 0) + 1;
    this.perOrigin.set(origin, position);
    const { prefilter, range } = this.options;
    if (prefilter && !prefilter(text)) return undefined;
    counts.parsed++;
    const doc = normalizeRecord(text, { namespace: this.options.namespace, tags: this.options.tags });
    const failure = fieldValues(doc, "error.message")[0];
    if (failure !== undefined) {
      counts.pipelineErrors++;
      problem(`record ${position}: ${String(failure)}`);
      if (fieldValues(doc, "@timestamp").length === 0) return undefined;
    }
    const time = Date.parse(String(fieldValues(doc, "@timestamp")[0]));
    if ((range?.from !== undefined && time < range.from) || (range?.to !== undefined && time > range.to)) {
      counts.outOfRange++;
      return undefined;
    }
    this.options.enricher.enrich(doc);
    return { doc, id: documentId(doc, origin, position, this.options.kibanaCompatible) };
  }

  /**
   * A whole file's records at once, screened on the gunzipped bytes: the documents a rule may see, in order, or
   * undefined when the file is not screened and its records must come one by one through `process`.
   */
  processFile(data: Buffer, origin: string, problem: (message: string) => void): StagedDocument[] | undefined {
    const screened = this.options.screen && screenFile(data, this.options.screen);
    if (!screened) return undefined;
    const staged: StagedDocument[] = [];
    let next = 0;
    for (const { index, text } of screened.passed) {
      this.skip(origin, index - next);
      const one = this.process(text, origin, problem);
      if (one) staged.push(one);
      next = index + 1;
    }
    this.skip(origin, screened.records - next);
    return staged;
  }

  /** Records no rule can select: counted, and their positions taken. */
  private skip(origin: string, count: number): void {
    this.counts.records += count;
    this.perOrigin.set(origin, (this.perOrigin.get(origin) ?? 0) + count);
  }

  /** Forget an input's record positions once it is done, so memory does not grow with the number of files. */
  doneWith(origin: string): void {
    this.perOrigin.delete(origin);
  }
}
