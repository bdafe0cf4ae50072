/**
 * `trailwatch simulate`: a labelled CloudTrail archive of an EKS estate, deterministic for a seed. Benign actors
 * advance one 5-minute window at a time; attacks are written up front into their windows; delivery writes each
 * window's files as the window closes, so memory stays bounded by one window's records.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { benignActors } from "./actors.ts";
import { runAttacks } from "./attacks.ts";
import { benignTruth } from "./benign-truth.ts";
import { Delivery, WINDOW_MS } from "./delivery.ts";
import { Emitter } from "./emitter.ts";
import { buildEstate } from "./estate.ts";
import { type AttackKind, type GroundTruth } from "./ground-truth.ts";
import { Random } from "./random.ts";
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
}

export interface SimulationResult {
  records: number;
  files: number;
  bytes: number;
  truth: GroundTruth;
}

export const GROUND_TRUTH_FILE = "ground-truth.json";

export async function simulate(options: SimulateOptions): Promise<SimulationResult> {
  const rng = new Random(options.seed);
  const start = Math.floor(options.start / WINDOW_MS) * WINDOW_MS;
  const end = start + Math.round(options.hours * 3600_000);
  const estate = buildEstate(rng.fork("estate"), options.accounts, options.clusters);
  mkdirSync(options.out, { recursive: true });
  const delivery = new Delivery(options.out, rng.fork("delivery"), options.gzipLevel);
  const out = new Emitter(rng.fork("records"), delivery);

  const attacks = runAttacks({ rng: rng.fork("attacks"), out, estate, start, end }, options.attacks);
  const actors = benignActors(estate, rng.fork("benign"), out, start);
  for (let t = start + WINDOW_MS; t <= end; t += WINDOW_MS) {
    for (const actor of actors) actor.advance(t);
    await delivery.flushUntil(t);
  }
  await delivery.finish();

  const truth: GroundTruth = {
    generator: "trailwatch simulate",
    seed: options.seed,
    start: isoSeconds(start),
    end: isoSeconds(end),
    accounts: estate.accounts,
    clusters: estate.clusters.map((c) => ({ name: c.name, account: c.account, region: c.region, natIps: c.natIps, oidcProvider: c.oidcProvider })),
    attacks,
    benign: benignTruth(estate),
  };
  writeFileSync(join(options.out, GROUND_TRUTH_FILE), `${JSON.stringify(truth, null, 2)}\n`);
  return { records: out.count, files: delivery.files, bytes: delivery.bytes, truth };
}
