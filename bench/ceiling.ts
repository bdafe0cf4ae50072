/**
 * The ceiling: read and gunzip every file and nothing else, on the same number of worker threads a scan uses, in a
 * process of its own started the way the scan is, so both pay Node's start-up. It inflates as the scan does (one
 * output chunk sized by the gzip trailer, see src/sources/read-file.ts), so the ratio measures what the scan adds
 * to the fastest gunzip we know, not a difference in how zlib is called. The program is plain JavaScript given to
 * `node -e`: no loader or build is involved in what is being measured.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const PROGRAM = `
const { Worker } = require("node:worker_threads");
const { readFileSync } = require("node:fs");
const [listFile, workers] = process.argv.slice(1);
const files = JSON.parse(readFileSync(listFile, "utf8"));
const WORKER = \`
const { parentPort, workerData } = require("node:worker_threads");
const { readFileSync } = require("node:fs");
const { gunzipSync } = require("node:zlib");
let bytes = 0;
for (const file of workerData) {
  const data = readFileSync(file);
  const isize = data.readUInt32LE(data.length - 4);
  bytes += gunzipSync(data, { chunkSize: Math.max(isize + 1, 1024) }).length;
}
parentPort.postMessage(bytes);
\`;
const shares = Array.from({ length: Number(workers) }, () => []);
files.forEach((f, i) => shares[i % shares.length].push(f));
Promise.all(shares.map((share) => new Promise((resolve, reject) => {
  const worker = new Worker(WORKER, { eval: true, workerData: share });
  worker.once("message", resolve);
  worker.once("error", reject);
}))).then((sizes) => {
  process.stdout.write(String(sizes.reduce((a, b) => a + b, 0)));
  process.exit(0);
});
`;

export interface CeilingResult {
  seconds: number;
  inflatedBytes: number;
}

export async function gunzipCeiling(files: string[], workers: number): Promise<CeilingResult> {
  const dir = mkdtempSync(join(tmpdir(), "trailwatch-ceiling-"));
  const list = join(dir, "files.json");
  writeFileSync(list, JSON.stringify(files));
  try {
    const started = performance.now();
    const out = await new Promise<string>((resolve, reject) => {
      const child = spawn(process.execPath, ["-e", PROGRAM, list, String(workers)], { stdio: ["ignore", "pipe", "inherit"] });
      let text = "";
      child.stdout.on("data", (d: Buffer) => (text += d.toString()));
      child.on("close", (code) => (code === 0 ? resolve(text) : reject(new Error(`ceiling exited with ${code}`))));
    });
    return { seconds: (performance.now() - started) / 1000, inflatedBytes: Number(out) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

