/**
 * Files records as CloudTrail delivers them to S3: per account and region, one gzipped `{"Records":[…]}` object for
 * each 5-minute window, named after its delivery time, events in no particular order inside, a few files late.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import type { RecordSink } from "./emitter.ts";
import type { Random } from "./random.ts";
import { fileStamp } from "./time-format.ts";

export const WINDOW_MS = 5 * 60_000;
/** Share of files delivered late, and how late (minutes after the window). */
const LATE_SHARE = 0.03;
const LATE_MINUTES: [number, number] = [20, 90];
const USUAL_MINUTES: [number, number] = [1, 5];
const OPEN = Buffer.from(`{"Records":[`);
const CLOSE = Buffer.from("]}");
const COMMA = 44;

export class Delivery implements RecordSink {
  files = 0;
  bytes = 0;
  /** Window index → "account/region" → record texts. */
  private readonly pending = new Map<number, Map<string, string[]>>();
  private flushedThrough = Number.NEGATIVE_INFINITY;
  private readonly madeDirs = new Set<string>();
  private readonly streamKeys = new Map<string, Map<string, string>>();
  /**
   * Where each file's JSON is assembled, reused from file to file. Compressing and writing synchronously costs the
   * least CPU: clusters already run on every core (one worker thread each), so the thread pool would only add
   * hand-offs, per-file zlib streams and chunk copies.
   */
  private body = Buffer.allocUnsafe(1 << 20);

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
    const key = this.streamKey(account, region);
    const list = byStream.get(key);
    if (list) list.push(text);
    else byStream.set(key, [text]);
  }

  /** The "account/region" key of a stream, made once: building and hashing a new string per record costs more. */
  private streamKey(account: string, region: string): string {
    let byRegion = this.streamKeys.get(account);
    if (!byRegion) {
      byRegion = new Map();
      this.streamKeys.set(account, byRegion);
    }
    let key = byRegion.get(region);
    if (key === undefined) {
      key = `${account}/${region}`;
      byRegion.set(region, key);
    }
    return key;
  }

  /** Writes every window that ends at or before `time`. */
  flushUntil(time: number): void {
    const last = Math.floor(time / WINDOW_MS) - 1;
    const windows = [...this.pending.keys()].filter((w) => w <= last).sort((a, b) => a - b);
    for (const w of windows) {
      const byStream = this.pending.get(w)!;
      for (const key of [...byStream.keys()].sort()) this.write(w, key, byStream.get(key)!);
      this.pending.delete(w);
    }
    this.flushedThrough = Math.max(this.flushedThrough, last);
  }

  /** Writes every window still open. */
  finish(): void {
    this.flushUntil(Number.MAX_SAFE_INTEGER);
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
    const gz = gzipSync(this.assemble(records), { level: this.gzipLevel });
    writeFileSync(join(dir, name), gz);
    this.files++;
    this.bytes += gz.length;
  }

  /** `{"Records":[…]}` encoded straight into the reused buffer: no joined string, no per-file allocation. */
  private assemble(records: string[]): Buffer {
    let chars = 0;
    for (const r of records) chars += r.length + 1;
    // UTF-8 takes at most 3 bytes per UTF-16 code unit.
    const worst = OPEN.length + 3 * chars + CLOSE.length;
    if (this.body.length < worst) this.body = Buffer.allocUnsafe(Math.max(worst, 2 * this.body.length));
    const body = this.body;
    let at = OPEN.copy(body, 0);
    for (let i = 0; i < records.length; i++) {
      if (i > 0) body[at++] = COMMA;
      at += body.write(records[i], at, "utf8");
    }
    at += CLOSE.copy(body, at);
    return body.subarray(0, at);
  }
}
