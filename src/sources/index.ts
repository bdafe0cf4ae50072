/** Sources: where raw CloudTrail records come from. They yield record texts and name every unreadable part. */
import type { Readable } from "node:stream";
import { type InputFile, listInputFiles, type TimeRange } from "./inputs.ts";
import { readInputFile } from "./read-file.ts";

export { inflateWhole, isGzip } from "./gunzip.ts";
export { fileTimeFromName, type InputFile, LATE_DELIVERY_SLACK_MS, listInputFiles, type TimeRange } from "./inputs.ts";
export { readInputFile } from "./read-file.ts";
export { RecordSplitter } from "./record-splitter.ts";

export interface SourceProblem {
  origin: string;
  message: string;
}

export interface ReadSourcesOptions {
  range?: TimeRange;
  stdin?: Readable;
  onRecord(text: string, origin: string): void;
  onProblem(problem: SourceProblem): void;
  /** See FileReadEvents.wholeFile. */
  onWholeFile?(data: Buffer, origin: string): boolean;
  /** Called after each input file, for progress reporting. */
  onFileDone?(path: string, size: number): void;
}

export interface ReadSummary {
  files: number;
  bytes: number;
}

/** Reads every input in order; resolves when all are done. Bad inputs are reported, never thrown. */
export async function readSources(inputs: string[], options: ReadSourcesOptions): Promise<ReadSummary> {
  const files = await listInputFiles(inputs, options.range ?? {}, (origin, message) =>
    options.onProblem({ origin, message }),
  );
  return readFiles(files, options);
}

/** `readSources` over files already listed. */
export async function readFiles(files: InputFile[], options: ReadSourcesOptions): Promise<ReadSummary> {
  let bytes = 0;
  for (const file of files) {
    await readInputFile(
      file.path,
      {
        record: options.onRecord,
        problem: (origin, message) => options.onProblem({ origin, message }),
        wholeFile: options.onWholeFile,
      },
      options.stdin,
    );
    bytes += file.size;
    options.onFileDone?.(file.path, file.size);
  }
  return { files: files.length, bytes };
}
