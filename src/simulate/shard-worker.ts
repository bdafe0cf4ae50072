/** Worker-thread entry: runs the shard it is given and posts the result back. */
import { parentPort, workerData } from "node:worker_threads";
import { runShard, type ShardSpec } from "./shard.ts";

const { spec, clusters } = workerData as { spec: ShardSpec; clusters: number[] };
parentPort!.postMessage(runShard(spec, clusters));
