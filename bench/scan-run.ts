/**
 * `trailwatch scan` as a user runs it: the built CLI (bin/trailwatch.js) in a child process with the built-in rules,
 * alerts as NDJSON to a file. Wall time and peak RSS come from GNU time when installed, else from the child's
 * resource usage as Node reports it for the benchmark process's children.
 */
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const repoRoot = fileURLToPath(new URL("..", import.meta.url));
const GNU_TIME = "/usr/bin/time";

export interface ScanRun {
  seconds: number;
  peakRssMb: number;
  alerts: Record<string, unknown>[];
  summary: string;
}

/** `rules`: rule files instead of the built-in rules. */
export async function runScan(inputs: string[], workers: number, rules: string[] = []): Promise<ScanRun> {
  const dir = mkdtempSync(join(tmpdir(), "trailwatch-bench-"));
  const output = join(dir, "alerts.ndjson");
  const rssFile = join(dir, "rss");
  const cli = [
    join(repoRoot, "bin/trailwatch.js"),
    "scan",
    ...inputs,
    "--workers",
    String(workers),
    ...rules.flatMap((r) => ["--rules", r]),
  ];
  const args = [...cli, "--format", "ndjson", "--output", output];
  const timed = existsSync(GNU_TIME);
  const started = performance.now();
  const { code, stderr } = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
    const child = timed
      ? spawn(GNU_TIME, ["-f", "%M", "-o", rssFile, process.execPath, ...args])
      : spawn(process.execPath, args);
    let err = "";
    child.stderr.on("data", (d: Buffer) => {
      err += d.toString();
    });
    child.on("close", (c) => resolve({ code: c, stderr: err }));
  });
  const seconds = (performance.now() - started) / 1000;
  try {
    if (code !== 0) throw new Error(`trailwatch scan exited with ${code}:\n${stderr}`);
    const peakKb = timed ? Number(readFileSync(rssFile, "utf8").trim()) : process.resourceUsage().maxRSS;
    const alerts = readFileSync(output, "utf8")
      .split("\n")
      .filter((l) => l.trim())
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    return { seconds, peakRssMb: peakKb / 1024, alerts, summary: stderr.trim().split("\n").pop() ?? "" };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
