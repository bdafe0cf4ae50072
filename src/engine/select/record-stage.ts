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

export interface ScreenedRecord {
  /** 1-based, in its input. */
  position: number;
  text: string;
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
    this.counts.records++;
    const position = (this.perOrigin.get(origin) ?? 0) + 1;
    this.perOrigin.set(origin, position);
    const { prefilter } = this.options;
    if (prefilter && !prefilter(text)) return undefined;
    return this.normalizeAt(text, origin, position, problem);
  }

  /**
   * A record that passed the pre-filter, at its 1-based position in its input (counted already, by `process` or
   * `screen`, here or in another thread): normalized, checked against the range, enriched and named.
   */
  normalizeAt(
    text: string,
    origin: string,
    position: number,
    problem: (message: string) => void,
  ): StagedDocument | undefined {
    const { counts, options } = this;
    counts.parsed++;
    const doc = normalizeRecord(text, { namespace: options.namespace, tags: options.tags });
    const failure = fieldValues(doc, "error.message")[0];
    if (failure !== undefined) {
      counts.pipelineErrors++;
      problem(`record ${position}: ${String(failure)}`);
      if (fieldValues(doc, "@timestamp").length === 0) return undefined;
    }
    const time = Date.parse(String(fieldValues(doc, "@timestamp")[0]));
    const range = options.range;
    if ((range?.from !== undefined && time < range.from) || (range?.to !== undefined && time > range.to)) {
      counts.outOfRange++;
      return undefined;
    }
    options.enricher.enrich(doc);
    return { doc, id: documentId(doc, origin, position, options.kibanaCompatible) };
  }

  /**
   * A whole file's records at once, screened on the gunzipped bytes: the documents a rule may see, in order, or
   * undefined when the file is not screened and its records must come one by one through `process`.
   */
  processFile(data: Buffer, origin: string, problem: (message: string) => void): StagedDocument[] | undefined {
    const screened = this.screen(data, origin);
    if (!screened) return undefined;
    const staged: StagedDocument[] = [];
    for (const { position, text } of screened.passed) {
      const one = this.normalizeAt(text, origin, position, problem);
      if (one) staged.push(one);
    }
    return staged;
  }

  /**
   * The screening half of `processFile`: counts the file's records and returns those the screen passes with their
   * positions, for `normalizeAt`; undefined when the file is not screened.
   */
  screen(data: Buffer, origin: string): { records: number; passed: ScreenedRecord[] } | undefined {
    const screened = this.options.screen && screenFile(data, this.options.screen);
    if (!screened) return undefined;
    const before = this.perOrigin.get(origin) ?? 0;
    this.skip(origin, screened.records);
    const passed = screened.passed.map(({ index, text }) => ({ position: before + index + 1, text }));
    return { records: screened.records, passed };
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
