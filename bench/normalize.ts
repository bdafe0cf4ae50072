/**
 * normalizeRecord cost per record, on the records `trailwatch scan` hands it: those of the bench corpus holding one of
 * the built-in rules' needles. The first pass is what a worker pays (pattern start-up, new user agents, cold code);
 * later passes repeat the same records with the code warm and every user agent cached. Usage: `npx tsx bench/normalize.ts [corpus dir] [max files]`.
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

interface FirstPass {
  startUp: number;
  newAgent: { micros: number; count: number };
  seenAgent: { micros: number; count: number };
}

/** The first run over the records, each timed alone: the very first call, then new vs already-seen user agents. */
function firstPass(records: readonly string[]): FirstPass {
  const seen = new Set<unknown>();
  const result: FirstPass = { startUp: 0, newAgent: { micros: 0, count: 0 }, seenAgent: { micros: 0, count: 0 } };
  records.forEach((raw, i) => {
    const agent = (JSON.parse(raw) as { userAgent?: unknown }).userAgent;
    const start = process.hrtime.bigint();
    normalizeRecord(raw);
    const micros = Number(process.hrtime.bigint() - start) / 1000;
    if (i === 0) result.startUp = micros;
    else {
      const bucket = seen.has(agent) ? result.seenAgent : result.newAgent;
      bucket.micros += micros;
      bucket.count++;
    }
    seen.add(agent);
  });
  return result;
}

function pass(records: readonly string[]): number {
  const start = process.hrtime.bigint();
  for (const raw of records) normalizeRecord(raw);
  return Number(process.hrtime.bigint() - start) / 1000 / records.length;
}

const perRecord = ({ micros, count }: { micros: number; count: number }) => (micros / count).toFixed(1);
const dir = process.argv[2] ?? "bench/.corpus/300000";
const maxFiles = Number(process.argv[3] ?? 60);
const records = candidates(dir, maxFiles);
const first = firstPass(records);
const warm = [pass(records), pass(records), pass(records)].sort((a, b) => a - b)[1];
console.log(`${records.length} candidate records from ${maxFiles} file(s)`);
console.log(`first call (loads the user-agent patterns): ${(first.startUp / 1000).toFixed(1)} ms`);
console.log(`first pass, user agent new: ${perRecord(first.newAgent)} µs/record (${first.newAgent.count} records)`);
console.log(`first pass, user agent seen: ${perRecord(first.seenAgent)} µs/record (${first.seenAgent.count} records)`);
console.log(`later passes (code warm, every user agent cached), median of 3: ${warm.toFixed(1)} µs/record`);
