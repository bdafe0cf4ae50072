/**
 * Runs scan workers over a list of files and hands their results back strictly in input order, so the schedule
 * replay and de-duplication see exactly what a single thread would. Back-pressure: a file is dispatched only while
 * fewer than `AHEAD_PER_WORKER × workers` files are read but not yet merged, and their results hold fewer than
 * MAX_UNMERGED_RECORDS records, which bounds memory whatever the archive's size.
 */
import { extname } from "node:path";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import type { InputFile } from "../../sources/index.ts";
import { emptyCounts } from "../select/record-stage.ts";
import type { SharedBundledData } from "../../enrich/load.ts";
import type { FileRequest, FileResult, SharedData, WorkerMessage, WorkerSetup } from "./protocol.ts";

/**
 * A worker's young generation: V8's default (up to 3 × 16 MB semi-spaces) made each worker cost ≈ 125 MB of RSS;
 * a worker's garbage is short-lived per-record strings, so a small one costs little time and ≈ 35–45 MB per worker.
 */
const YOUNG_MB = 8;
/**
 * Queues deep enough that a worker never waits while the main thread is busy (normalizing what workers left it,
 * warming up): results are small (a file's few passing records), so reading far ahead costs little memory.
 */
const IN_FLIGHT_PER_WORKER = 16;
const AHEAD_PER_WORKER = 32;
/** When results are large (many records pass), dispatching waits for the merge instead. */
const MAX_UNMERGED_RECORDS = 20_000;

/**
 * The worker's module next to this one: `.ts` under tsx (tests, `tsx src/…`), `.js` in dist/bundle/ (the built CLI,
 * where scripts/build.ts puts every worker next to the chunks that start it).
 */
const workerUrl = new URL(`./scan-worker${extname(fileURLToPath(import.meta.url))}`, import.meta.url);

/**
 * Node 20 does not apply `--import tsx` to a worker's own entry module, so a `.ts` worker is started through tsx's
 * API; built code runs the `.js` worker directly.
 */
function spawnWorker(workerData: WorkerSetup): Worker {
  const options = { workerData, execArgv: process.execArgv, resourceLimits: { maxYoungGenerationSizeMb: YOUNG_MB } };
  if (!workerUrl.pathname.endsWith(".ts")) return new Worker(workerUrl, options);
  const api = import.meta.resolve("tsx/esm/api");
  const code = `import(${JSON.stringify(api)}).then((tsx) => tsx.tsImport(${JSON.stringify(workerUrl.href)}, ${JSON.stringify(import.meta.url)}))`;
  return new Worker(code, { ...options, eval: true });
}

export interface PoolOptions {
  workers: number;
  setup: WorkerSetup;
  files: InputFile[];
  /** Loads what all workers share; called once, after they are started, so loading overlaps their start-up. */
  sharedData(): SharedBundledData;
  /** Called once per file, in the order of `files`. */
  onResult(file: InputFile, result: FileResult): void;
}

export class WorkerSetupError extends Error {}

export function runWorkerPool(options: PoolOptions): Promise<void> {
  const { files } = options;
  return new Promise<void>((resolve, reject) => {
    const done = new Map<number, FileResult>();
    const inFlight = new Map<Worker, Set<number>>();
    let nextToSend = 0;
    let nextToMerge = 0;
    /** Records held in results read but not yet merged. */
    let unmerged = 0;
    let finished = false;

    const stop = (error?: Error) => {
      if (finished) return;
      finished = true;
      for (const worker of inFlight.keys()) void worker.terminate();
      if (error) reject(error);
      else resolve();
    };

    const merge = () => {
      while (done.has(nextToMerge)) {
        const result = done.get(nextToMerge) as FileResult;
        done.delete(nextToMerge);
        unmerged -= weight(result);
        try {
          options.onResult(files[nextToMerge], result);
        } catch (err) {
          stop(err as Error);
          return;
        }
        nextToMerge++;
      }
      if (nextToMerge >= files.length) stop();
      else dispatch();
    };

    const dispatch = () => {
      if (unmerged >= MAX_UNMERGED_RECORDS) return;
      const limit = nextToMerge + AHEAD_PER_WORKER * Math.max(1, inFlight.size);
      for (const [worker, seqs] of inFlight) {
        while (seqs.size < IN_FLIGHT_PER_WORKER && nextToSend < files.length && nextToSend < limit) {
          seqs.add(nextToSend);
          worker.postMessage({ kind: "file", seq: nextToSend, path: files[nextToSend].path } satisfies FileRequest);
          nextToSend++;
        }
      }
    };

    // Set once the workers are started; a worker started after that (replacing one that died) gets it at once.
    const sharing: { data?: SharedData } = {};
    const start = () => {
      const worker = spawnWorker(options.setup);
      if (sharing.data) worker.postMessage(sharing.data);
      const seqs = new Set<number>();
      let ready = false;
      inFlight.set(worker, seqs);
      worker.on("message", (message: WorkerMessage) => {
        if (message.kind === "failed") stop(new WorkerSetupError(message.message));
        if (message.kind === "ready") ready = true;
        if (message.kind !== "file") return;
        seqs.delete(message.seq);
        done.set(message.seq, message);
        unmerged += weight(message);
        merge();
      });
      worker.on("error", (err) => {
        if (!ready) {
          stop(new WorkerSetupError(err.message));
          return;
        }
        // The thread died (a bug, not bad input): name the files it held, carry on with a fresh worker.
        inFlight.delete(worker);
        for (const seq of seqs) {
          const problem = { origin: files[seq].path, message: `internal error: ${err.message}` };
          done.set(seq, { seq, counts: emptyCounts(), candidates: [], deferred: [], problems: [problem] });
        }
        if (finished) return;
        start();
        merge();
      });
    };

    if (files.length === 0) {
      resolve();
      return;
    }
    for (let i = 0; i < Math.min(options.workers, files.length); i++) start();
    sharing.data = { kind: "shared", bundled: options.sharedData() };
    for (const worker of inFlight.keys()) worker.postMessage(sharing.data);
    dispatch();
  });
}

function weight(result: FileResult): number {
  return result.candidates.length + result.deferred.length;
}
