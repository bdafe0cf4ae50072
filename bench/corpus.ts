/**
 * The benchmark corpus: real CloudTrail records from ../shared/datasets/, re-keyed (eventID, requestID) and re-timed
 * over six days, 500 per `.json.gz` in the S3 layout, with two planted IRSA incidents: a service-account session
 * fanning out into sensitive calls (the lateral-movement rule) and a token exchange from outside Amazon's networks
 * (the external-ASN rule). Cached under bench/.corpus/<records>/ and reused while its manifest matches.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { readInputFile } from "../src/sources/index.ts";
import { ACCOUNT, AMAZON_IP, assumedRoleCall, OUTSIDE_IP, webIdentityAssume } from "../test/helpers/cloudtrail.ts";

const VERSION = 2;
const PER_FILE = 500;
const DAYS = 6;
const START = Date.UTC(2026, 9, 1);
const DAY_MS = 86_400_000;
const REGION = "us-east-1";
export const LATERAL_KEY = "ASIABENCHLATERAL0001";
export const OUTSIDE_SUBJECT = "system:serviceaccount:ci:runner";

const benchDir = fileURLToPath(new URL(".", import.meta.url));
const datasets = join(resolve(benchDir, "../.."), "shared/datasets");

export interface Corpus {
  root: string;
  records: number;
  files: string[];
  bytes: number;
  /** One directory per day, in order (a prefix of them is a smaller corpus of the same shape). */
  days: string[];
  /** Records in each day directory. */
  recordsPerDay: number[];
}

export async function ensureCorpus(records: number, log: (line: string) => void): Promise<Corpus> {
  const root = join(benchDir, ".corpus", String(records));
  // Hidden, so that scanning the corpus directory does not read it as a record file.
  const manifestPath = join(root, ".manifest.json");
  if (existsSync(manifestPath)) {
    const manifest = JSON.parse(readFileSync(manifestPath, "utf8")) as { version: number; recordsPerDay: number[] };
    if (manifest.version === VERSION) return describe(root, records, manifest.recordsPerDay);
  }
  log(`generating a corpus of ${records} records in ${root} …`);
  rmSync(root, { recursive: true, force: true });
  const recordsPerDay = await generate(root, records);
  writeFileSync(manifestPath, JSON.stringify({ version: VERSION, records, recordsPerDay }));
  return describe(root, records, recordsPerDay);
}

function describe(root: string, records: number, recordsPerDay: number[]): Corpus {
  const days = dayDirs(root);
  const files = days.flatMap((d) => readdirSync(d).sort().map((f) => join(d, f)));
  const bytes = files.reduce((sum, f) => sum + statSync(f).size, 0);
  return { root, records, files, bytes, days, recordsPerDay };
}

function dayDirs(root: string): string[] {
  const out: string[] = [];
  for (let d = 0; d < DAYS; d++) {
    const date = new Date(START + d * DAY_MS);
    const dir = join(root, "AWSLogs", ACCOUNT, "CloudTrail", REGION, ...isoDate(date).split("-"));
    if (existsSync(dir)) out.push(dir);
  }
  return out;
}

const isoDate = (d: Date) => d.toISOString().slice(0, 10);

/** Real records, weighted so that no single dataset dominates the mix of shapes and sizes. */
async function templates(): Promise<Record<string, unknown>[]> {
  const pools: { dir: string; weight: number }[] = [
    { dir: "stratus-red-team", weight: 40 },
    { dir: "panther-analysis/panther_cloudtrail_rule_tests.events.jsonl", weight: 25 },
    { dir: "otrf-security-datasets/ec2_proxy_s3_exfiltration_2020-09-14011940.json", weight: 15 },
    { dir: "permiso-cloudconsolecartographer", weight: 15 },
    { dir: "aws-samples-eks-security-immersion-day", weight: 5 },
  ];
  const out: Record<string, unknown>[] = [];
  for (const { dir, weight } of pools) {
    const texts: string[] = [];
    for (const file of listJson(join(datasets, dir))) {
      await readInputFile(file, { record: (t) => texts.push(t), problem: () => {} });
    }
    const parsed = texts.flatMap((t) => {
      try {
        const r = JSON.parse(t) as unknown;
        return r && typeof r === "object" && !Array.isArray(r) ? [r as Record<string, unknown>] : [];
      } catch {
        return [];
      }
    });
    // Each pool contributes `weight` shares whatever its size.
    for (let i = 0; i < weight * 20; i++) out.push(parsed[(i * 7919) % parsed.length]);
  }
  return out;
}

function listJson(path: string): string[] {
  if (statSync(path).isFile()) return [path];
  return readdirSync(path)
    .sort()
    .flatMap((name) => {
      const full = join(path, name);
      return statSync(full).isDirectory() ? listJson(full) : /\.(json|jsonl)$/.test(name) ? [full] : [];
    });
}

/** Deterministic pseudo-random numbers (mulberry32), so every run builds the same corpus. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function planted(): Record<string, unknown>[] {
  const at = (day: number, h: number, m: number) => new Date(START + day * DAY_MS + (h * 60 + m) * 60_000).toISOString();
  const key = LATERAL_KEY;
  return [
    webIdentityAssume({ at: at(2, 10, 0), key, ip: AMAZON_IP, eventID: "bench-lateral-assume" }),
    assumedRoleCall({ at: at(2, 10, 4), action: "ListRoles", key, eventID: "bench-lateral-1" }),
    assumedRoleCall({ at: at(2, 10, 9), action: "GetSecretValue", key, source: "secretsmanager.amazonaws.com", eventID: "bench-lateral-2" }),
    assumedRoleCall({ at: at(2, 10, 30), action: "CreateAccessKey", key, eventID: "bench-lateral-3" }),
    webIdentityAssume({ at: at(4, 15, 0), key: "ASIABENCHOUTSIDE0001", ip: OUTSIDE_IP, subject: OUTSIDE_SUBJECT, eventID: "bench-outside-assume" }),
  ] as Record<string, unknown>[];
}

async function generate(root: string, total: number): Promise<number[]> {
  const pool = await templates();
  const next = random(42);
  const extra = planted();
  const background = total - extra.length;
  const plantedTimes = extra.map((r) => Date.parse(String(r.eventTime)));
  const recordsPerDay = new Array<number>(DAYS).fill(0);
  let file: string[] = [];
  let fileDay = -1;
  let serial = 0;
  const flush = (lastTime: number) => {
    if (!file.length) return;
    const delivered = new Date(lastTime + 5 * 60_000);
    const dir = join(root, "AWSLogs", ACCOUNT, "CloudTrail", REGION, ...isoDate(delivered).split("-"));
    mkdirSync(dir, { recursive: true });
    const stamp = delivered.toISOString().replace(/[-:]/g, "").slice(0, 13);
    const name = `${ACCOUNT}_CloudTrail_${REGION}_${stamp}Z_${String(serial++).padStart(6, "0")}.json.gz`;
    writeFileSync(join(dir, name), gzipSync(`{"Records":[${file.join(",")}]}`));
    recordsPerDay[Math.floor((delivered.getTime() - START) / DAY_MS)] += file.length;
    file = [];
  };
  let p = 0;
  let fileLast = START;
  for (let i = 0; i < background; i++) {
    // Background spans the six days evenly, ending an hour before the last delivery so every file lands in its day.
    const time = START + Math.floor(((i + next()) / background) * (DAYS * DAY_MS - 3_600_000));
    const day = Math.floor((time + 5 * 60_000) / DAY_MS) - Math.floor(START / DAY_MS);
    if (file.length >= PER_FILE || (day !== fileDay && file.length)) flush(fileLast);
    fileDay = day;
    while (p < extra.length && plantedTimes[p] <= time) file.push(asDelivered(extra[p++]));
    const template = pool[Math.floor(next() * pool.length)];
    file.push(
      asDelivered({
        ...template,
        eventTime: new Date(time).toISOString().replace(/\.\d{3}Z$/, "Z"),
        eventID: uuid(next),
        requestID: uuid(next),
      }),
    );
    fileLast = time;
  }
  flush(fileLast);
  return recordsPerDay;
}

/**
 * A record as CloudTrail writes it into a log file: compact, eventVersion first (the datasets' exports reorder keys
 * and some drop eventVersion, which every delivered record has).
 */
function asDelivered(record: Record<string, unknown>): string {
  return JSON.stringify({ eventVersion: record.eventVersion ?? "1.08", ...record });
}

function uuid(next: () => number): string {
  const hex = () => Math.floor(next() * 0x10000).toString(16).padStart(4, "0");
  return `${hex()}${hex()}-${hex()}-4${hex().slice(1)}-a${hex().slice(1)}-${hex()}${hex()}${hex()}`;
}
