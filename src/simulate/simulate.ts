/**
 * `trailwatch simulate`: a labelled CloudTrail archive of an EKS estate, deterministic for a seed. Clusters are
 * simulated independently (shard.ts), spread over the calling thread and worker threads; within a cluster, actors
 * advance one 5-minute window at a time, attacks are written up front into their windows, and delivery writes each
 * window's files as it closes, so memory stays bounded by a window's records.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { join } from "node:path";
import { Worker } from "node:worker_threads";
import { benignTruth } from "./benign-truth.ts";
import { WINDOW_MS } from "./delivery.ts";
import type { AttackKind, GroundTruth } from "./ground-truth.ts";
import { estateOf, runShard, type ShardResult, type ShardSpec } from "./shard.ts";
import { isoSeconds } from "./time-format.ts";

export interface SimulateOptions {
  out: string;
  /** Epoch milliseconds. */
  start: number;
  hours: number;
  accounts: number;
  clusters: number;
  seed: string;
  attacks: readonly AttackKind[];
  gzipLevel?: number;
  /**
   * Threads, the calling one included; default: one per cluster up to the available cores. 1 runs everything on
   * the calling thread.
   */
  workers?: number;
}

export interface SimulationResult {
  records: number;
  files: number;
  bytes: number;
  truth: GroundTruth;
}

export const GROUND_TRUTH_FILE = "ground-truth.json";

export async function simulate(options: SimulateOptions): Promise<SimulationResult> {
  const start = Math.floor(options.start / WINDOW_MS) * WINDOW_MS;
  const spec: ShardSpec = {
    out: options.out,
    seed: options.seed,
    start,
    end: start + Math.round(options.hours * 3600_000),
    accounts: options.accounts,
    clusters: options.clusters,
    attacks: options.attacks,
    gzipLevel: options.gzipLevel,
  };
  mkdirSync(options.out, { recursive: true });
  const workers = Math.max(1, Math.min(options.workers ?? availableParallelism(), options.clusters));
  const groups = Array.from({ length: workers }, (_, w) =>
    Array.from({ length: options.clusters }, (_, i) => i).filter((i) => i % workers === w),
  );
  // The calling thread takes the first group itself, so one thread fewer pays a worker's start-up; the workers are
  // started first so that they run alongside it.
  const others = groups.slice(1).map((g) => inWorker(spec, g));
  // A worker's failure is reported by Promise.all below, unless this thread fails first and supersedes it.
  for (const o of others) o.catch(() => undefined);
  const results = [runShard(spec, groups[0]), ...(await Promise.all(others))];

  const estate = estateOf(spec);
  const truth: GroundTruth = {
    generator: "trailwatch simulate",
    seed: options.seed,
    start: isoSeconds(spec.start),
    end: isoSeconds(spec.end),
    accounts: estate.accounts,
    clusters: estate.clusters.map((c) => ({ name: c.name, account: c.account, region: c.region, natIps: c.natIps, oidcProvider: c.oidcProvider })),
    attacks: results
      .flatMap((r) => r.attacks)
      .sort((a, b) => a.index - b.index)
      .map((a) => a.truth),
    benign: benignTruth(estate),
  };
  writeFileSync(join(options.out, GROUND_TRUTH_FILE), `${JSON.stringify(truth, null, 2)}\n`);
  const sum = (k: "records" | "files" | "bytes") => results.reduce((n, r) => n + r[k], 0);
  return { records: sum("records"), files: sum("files"), bytes: sum("bytes"), truth };
}

/** The worker module next to this one: .ts when running from source, .js from dist/bundle/ (see scripts/build.ts). */
const FROM_SOURCE = import.meta.url.endsWith(".ts");
const WORKER_URL = new URL(`./shard-worker${FROM_SOURCE ? ".ts" : ".js"}`, import.meta.url);

function startWorker(workerData: unknown): Worker {
  if (!FROM_SOURCE) return new Worker(WORKER_URL, { workerData });
  // From source (tests, scripts under tsx), the worker registers tsx itself: loader hooks do not reach workers.
  const boot = `import("tsx/esm/api").then(({ register }) => { register(); return import(${JSON.stringify(WORKER_URL.href)}); });`;
  return new Worker(boot, { eval: true, workerData });
}

function inWorker(spec: ShardSpec, clusters: number[]): Promise<ShardResult> {
  return new Promise((resolve, reject) => {
    const worker = startWorker({ spec, clusters });
    worker.once("message", resolve);
    worker.once("error", reject);
    worker.once("exit", (code) => {
      if (code !== 0) reject(new Error(`simulation worker stopped with exit code ${code}`));
    });
  });
}
