/**
 * `node --import tsx bench/simulate.ts [--hours 24] [--clusters 2] [--runs 3] [--dir DIR]`: how fast the built
 * simulator (dist/, as `trailwatch simulate` runs it) writes an archive, end to end: generation, gzip and files on
 * disk. Each run writes into a fresh directory under DIR (default: the system temp dir) and removes it after. Prints
 * records/s and CPU time per record (all threads), which varies far less than wall time when the machine is shared,
 * with the load average, since the cores are shared with whatever else runs. Disk matters too: right after many
 * files were deleted on an ext4 volume mounted with `discard`, each file created can cost a millisecond of kernel
 * time; `--dir /dev/shm` measures without the disk.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { availableParallelism, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import type { SimulateOptions, SimulationResult } from "../src/simulate/index.ts";
import { ensureBuilt } from "./build.ts";

const { values } = parseArgs({
  options: {
    hours: { type: "string", default: "24" },
    clusters: { type: "string", default: "2" },
    runs: { type: "string", default: "3" },
    dir: { type: "string", default: tmpdir() },
  },
});
const log = (line: string) => process.stderr.write(`${line}\n`);

ensureBuilt(log);
const built = "../dist/bundle/simulate.js";
const { simulate } = (await import(built)) as { simulate: (o: SimulateOptions) => Promise<SimulationResult> };

const load = () => loadavg().map((l) => l.toFixed(1)).join(" ");
log(`simulate --hours ${values.hours} --clusters ${values.clusters}, ${availableParallelism()} core(s), load ${load()}`);
const rates: number[] = [];
for (let run = 1; run <= Number(values.runs); run++) {
  const out = mkdtempSync(join(values.dir, "trailwatch-simulate-bench-"));
  try {
    const cpu = process.cpuUsage();
    const started = performance.now();
    const result = await simulate({
      out,
      start: Date.parse("2026-11-16T00:00:00Z"),
      hours: Number(values.hours),
      accounts: 1,
      clusters: Number(values.clusters),
      seed: "bench",
      attacks: [],
    });
    const seconds = (performance.now() - started) / 1000;
    const used = process.cpuUsage(cpu);
    const rate = result.records / seconds;
    rates.push(rate);
    log(
      `run ${run}: ${result.records} records, ${result.files} files, ${(result.bytes / 1e6).toFixed(1)} MB in ` +
        `${seconds.toFixed(2)}s = ${Math.round(rate)} records/s; CPU ${(((used.user + used.system) / result.records)).toFixed(1)} µs/record ` +
        `(user ${(used.user / 1e6).toFixed(2)}s, system ${(used.system / 1e6).toFixed(2)}s); load ${load()}`,
    );
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}
rates.sort((a, b) => a - b);
log(`best ${Math.round(rates[rates.length - 1])} records/s, median ${Math.round(rates[Math.floor(rates.length / 2)])} records/s`);
