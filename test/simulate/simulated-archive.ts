/** Runs the simulator into a temporary directory and reads back what it wrote, for the simulate tests. */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { gunzipSync } from "node:zlib";
import { type SimulateOptions, type SimulationResult, simulate } from "../../src/simulate/index.ts";

export interface Archive {
  dir: string;
  result: SimulationResult;
  /** Paths of the delivered files relative to dir, sorted. */
  files: string[];
  cleanup(): void;
}

export async function simulateInto(options: Omit<SimulateOptions, "out">): Promise<Archive> {
  const dir = mkdtempSync(join(tmpdir(), "tw-simulate-"));
  const result = await simulate({ ...options, out: dir });
  const files: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else files.push(relative(dir, p));
    }
  };
  walk(dir);
  files.sort();
  return { dir, result, files, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export function readRecords(archive: Archive, file: string): Record<string, unknown>[] {
  const parsed = JSON.parse(gunzipSync(readFileSync(join(archive.dir, file))).toString("utf8")) as { Records: Record<string, unknown>[] };
  return parsed.Records;
}

export function allRecords(archive: Archive): Record<string, unknown>[] {
  return archive.files.filter((f) => f.endsWith(".json.gz")).flatMap((f) => readRecords(archive, f));
}
