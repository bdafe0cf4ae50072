/**
 * normalizeRecord cost per record, on the records `trailwatch scan` hands it: those of the bench corpus holding one of
 * the built-in rules' needles. Pass 1 sees each user agent for the first time (as a worker does); pass 2 repeats the
 * same records with every user agent cached. Usage: `npx tsx bench/normalize.ts [corpus dir] [max files]`.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { gunzipSync } from "node:zlib";
import { normalizeRecord } from "../src/ecs/index.ts";

const NEEDLES = ['AssumeRoleWithWebIdentity"', 'AssumedRole"'];

function gzFiles(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const full = path.join(dir, name);
      if (statSync(full).isDirectory()) return gzFiles(full);
      return name.endsWith(".json.gz") ? [full] : [];
    });
}

function candidates(dir: string, maxFiles: number): string[] {
  const out: string[] = [];
  for (const file of gzFiles(dir).slice(0, maxFiles)) {
    const { Records } = JSON.parse(gunzipSync(readFileSync(file)).toString("utf8")) as { Records: unknown[] };
    for (const record of Records) {
      const raw = JSON.stringify(record);
      if (NEEDLES.some((n) => raw.includes(n))) out.push(raw);
    }
  }
  return out;
}

function pass(records: readonly string[]): number {
  const start = process.hrtime.bigint();
  for (const raw of records) normalizeRecord(raw);
  return Number(process.hrtime.bigint() - start) / 1000 / records.length;
}

const dir = process.argv[2] ?? "bench/.corpus/300000";
const maxFiles = Number(process.argv[3] ?? 60);
const records = candidates(dir, maxFiles);
const first = pass(records);
const warm = [pass(records), pass(records), pass(records)].sort((a, b) => a - b)[1];
console.log(`${records.length} candidate records from ${maxFiles} file(s)`);
console.log(`pass 1 (user agents new): ${first.toFixed(1)} µs/record`);
console.log(`warm (user agents cached), median of 3: ${warm.toFixed(1)} µs/record`);
