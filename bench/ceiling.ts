/**
 * The ceiling: read and gunzip every file and nothing else, on the same number of worker threads a scan uses. The
 * worker is plain JavaScript evaluated inline, so no loader or build is involved in what is being measured.
 */
import { Worker } from "node:worker_threads";

const WORKER = `
const { parentPort, workerData } = require("node:worker_threads");
const { readFileSync } = require("node:fs");
const { gunzipSync } = require("node:zlib");
let bytes = 0;
for (const file of workerData) bytes += gunzipSync(readFileSync(file)).length;
parentPort.postMessage(bytes);
`;

export interface CeilingResult {
  seconds: number;
  inflatedBytes: number;
}

export async function gunzipCeiling(files: string[], workers: number): Promise<CeilingResult> {
  const shares: string[][] = Array.from({ length: workers }, () => []);
  files.forEach((f, i) => shares[i % workers].push(f));
  const started = performance.now();
  const sizes = await Promise.all(
    shares.map(
      (share) =>
        new Promise<number>((resolve, reject) => {
          const worker = new Worker(WORKER, { eval: true, workerData: share });
          worker.once("message", (n: number) => {
            resolve(n);
            void worker.terminate();
          });
          worker.once("error", reject);
        }),
    ),
  );
  return { seconds: (performance.now() - started) / 1000, inflatedBytes: sizes.reduce((a, b) => a + b, 0) };
}
