/** Messages between the scan's main thread and its workers. Everything here is structured-clone friendly. */
import type { Document } from "../../doc/document.ts";
import type { EnrichmentSpec } from "../../enrich/index.ts";
import type { SharedBundledData } from "../../enrich/load.ts";
import type { Rule } from "../../rules/index.ts";
import type { TimeRange } from "../../sources/index.ts";
import type { RecordCounts, ScreenedRecord } from "../select/record-stage.ts";

export interface WorkerSetup {
  rules: Rule[];
  namespace: string;
  tags?: string[];
  range?: TimeRange;
  kibanaCompatible: boolean;
  prefilter: boolean;
  enrichment: EnrichmentSpec;
}

/**
 * The first message to every worker: bundled ASN/geo tables in shared memory, loaded once by the main thread while
 * the workers start (parts left undefined are loaded by each worker itself).
 */
export interface SharedData {
  kind: "shared";
  bundled: SharedBundledData;
}

export interface FileRequest {
  kind: "file";
  seq: number;
  path: string;
}

export type MainMessage = SharedData | FileRequest;

export interface FileProblem {
  origin: string;
  message: string;
}

/** One file's outcome: only the documents some rule may select, in record order. */
export interface FileResult {
  seq: number;
  counts: RecordCounts;
  /** With the indices of the rules (of WorkerSetup.rules, as planned) that select each. */
  candidates: { doc: Document; id: string; rules: number[] }[];
  /** Records that passed the screen, left for the main thread to normalize, in record order (then no `candidates`). */
  deferred: ScreenedRecord[];
  /** Read problems and pipeline failures, in the order they happened. */
  problems: FileProblem[];
}

export type WorkerMessage = ({ kind: "file" } & FileResult) | { kind: "ready" } | { kind: "failed"; message: string };
