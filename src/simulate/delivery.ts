/**
 * Files records as CloudTrail delivers them to S3: per account and region, one gzipped `{"Records":[…]}` object for
 * each 5-minute window, named after its delivery time, events in no particular order inside, a few files late.
 */
import { mkdirSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { gzip } from "node:zlib";
import type { RecordSink } from "./emitter.ts";
import type { Random } from "./random.ts";
import { fileStamp } from "./time-format.ts";

export const WINDOW_MS = 5 * 60_000;
/** Share of files delivered late, and how late (minutes after the window). */
const LATE_SHARE = 0.03;
const LATE_MINUTES: [number, number] = [20, 90];
const USUAL_MINUTES: [number, number] = [1, 5];
/** Files compressed and written at once in the thread pool, overlapping with generation on the main thread. */
const MAX_IN_FLIGHT = 32;
const gzipAsync = promisify(gzip);

export class Delivery implements RecordSink {
  files = 0;
  bytes = 0;
  /** Window index → "account/region" → record texts. */
  private readonly pending = new Map<number, Map<string, string[]>>();
  private flushedThrough = Number.NEGATIVE_INFINITY;
  private readonly madeDirs = new Set<string>();
  private readonly inFlight = new Set<Promise<void>>();

  constructor(
    private readonly out: string,
    private readonly rng: Random,
    private readonly gzipLevel = 1,
  ) {}

  add(time: number, account: string, region: string, text: string): void {
    // A record for a window already written goes into the next open one, as a slightly late event would.
    const window = Math.max(Math.floor(time / WINDOW_MS), this.flushedThrough + 1);
    let byStream = this.pending.get(window);
    if (!byStream) {
      byStream = new Map();
      this.pending.set(window, byStream);
    }
    const key = `${account}/${region}`;
    const list = byStream.get(key);
    if (list) list.push(text);
    else byStream.set(key, [text]);
  }

  /** Writes every window that ends at or before `time`; resolves once few enough files are still being written. */
  async flushUntil(time: number): Promise<void> {
    const last = Math.floor(time / WINDOW_MS) - 1;
    const windows = [...this.pending.keys()].filter((w) => w <= last).sort((a, b) => a - b);
    for (const w of windows) {
      const byStream = this.pending.get(w)!;
      for (const key of [...byStream.keys()].sort()) this.write(w, key, byStream.get(key)!);
      this.pending.delete(w);
    }
    this.flushedThrough = Math.max(this.flushedThrough, last);
    while (this.inFlight.size > MAX_IN_FLIGHT) await Promise.race(this.inFlight);
  }

  /** Resolves when every file is on disk. */
  async finish(): Promise<void> {
    await this.flushUntil(Number.MAX_SAFE_INTEGER);
    await Promise.all(this.inFlight);
  }

  private write(window: number, stream: string, records: string[]) {
    const [account, region] = stream.split("/");
    const late = this.rng.chance(LATE_SHARE);
    const [lo, hi] = late ? LATE_MINUTES : USUAL_MINUTES;
    const delivered = (window + 1) * WINDOW_MS + this.rng.between(lo, hi) * 60_000 + this.rng.int(60_000);
    const day = new Date(delivered).toISOString();
    const dir = join(this.out, "AWSLogs", account, "CloudTrail", region, day.slice(0, 4), day.slice(5, 7), day.slice(8, 10));
    if (!this.madeDirs.has(dir)) {
      mkdirSync(dir, { recursive: true });
      this.madeDirs.add(dir);
    }
    this.rng.shuffle(records);
    const name = `${account}_CloudTrail_${region}_${fileStamp(delivered)}_${this.rng.keyChars(16)}.json.gz`;
    const text = `{"Records":[${records.join(",")}]}`;
    this.files++;
    const done = gzipAsync(text, { level: this.gzipLevel })
      .then((body) => {
        this.bytes += body.length;
        return writeFile(join(dir, name), body);
      })
      .finally(() => this.inFlight.delete(done));
    this.inFlight.add(done);
  }
}
