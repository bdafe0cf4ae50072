/**
 * One shard of a simulation: some of the clusters, each with its own random streams, emitter and delivery. A
 * cluster's traffic depends only on the seed and its index, so the archive is the same however clusters are spread
 * over worker threads.
 */
import { type Actor, clusterActors } from "./actors.ts";
import { runAttack } from "./attacks.ts";
import { Delivery, WINDOW_MS } from "./delivery.ts";
import { Emitter } from "./emitter.ts";
import { buildEstate } from "./estate.ts";
import type { AttackKind, AttackTruth } from "./ground-truth.ts";
import { Random } from "./random.ts";

/** Everything a shard needs, plain data so it can cross to a worker thread. */
export interface ShardSpec {
  out: string;
  seed: string;
  start: number;
  end: number;
  accounts: number;
  clusters: number;
  /** Attack kinds in order; attack i runs in cluster i mod clusters. */
  attacks: readonly AttackKind[];
  gzipLevel?: number;
}

export interface ShardResult {
  records: number;
  files: number;
  bytes: number;
  /** Ground truth of the attacks this shard ran, with their position in spec.attacks. */
  attacks: { index: number; truth: AttackTruth }[];
}

export function estateOf(spec: ShardSpec) {
  return buildEstate(new Random(spec.seed).fork("estate"), spec.accounts, spec.clusters);
}

export function runShard(spec: ShardSpec, clusterIndexes: number[]): ShardResult {
  const estate = estateOf(spec);
  const lanes = clusterIndexes.map((index) => {
    const cluster = estate.clusters[index];
    const rng = new Random(`${spec.seed}/cluster/${index}`);
    const delivery = new Delivery(spec.out, rng.fork("delivery"), spec.gzipLevel);
    const out = new Emitter(rng.fork("records"), delivery);
    const attacks = spec.attacks.flatMap((kind, i) =>
      i % estate.clusters.length === index
        ? [{ index: i, truth: runAttack(kind, { rng: rng.fork(`attack/${kind}`), out, estate, start: spec.start, end: spec.end }, cluster) }]
        : [],
    );
    const actors: Actor[] = clusterActors(estate, cluster, rng.fork("benign"), out, spec.start);
    return { delivery, out, actors, attacks };
  });
  for (let t = spec.start + WINDOW_MS; t <= spec.end; t += WINDOW_MS) {
    for (const lane of lanes) {
      for (const actor of lane.actors) actor.advance(t);
      lane.delivery.flushUntil(t);
    }
  }
  for (const lane of lanes) lane.delivery.finish();
  return {
    records: lanes.reduce((n, l) => n + l.out.count, 0),
    files: lanes.reduce((n, l) => n + l.delivery.files, 0),
    bytes: lanes.reduce((n, l) => n + l.delivery.bytes, 0),
    attacks: lanes.flatMap((l) => l.attacks),
  };
}
