/**
 * Splits a stream of JSON text into CloudTrail records without parsing them: the elements of a `{"Records":[…]}`
 * file, the elements of a bare JSON array, or the values of NDJSON / concatenated JSON. It only tracks depth and
 * strings, so a 50 MB record costs one copy, and a broken NDJSON line is reported and skipped at the next newline
 * instead of swallowing the rest of the file.
 */
export interface SplitterEvents {
  record(text: string): void;
  /** A problem with part of the input; splitting continues where it safely can. */
  problem(message: string): void;
}

type Mode = "start" | "array" | "wrapper" | "values";

const OPEN_BRACE = 123;
const CLOSE_BRACE = 125;
const OPEN_BRACKET = 91;
const CLOSE_BRACKET = 93;
const QUOTE = 34;
const BACKSLASH = 92;
const NEWLINE = 10;
const COLON = 58;

export class RecordSplitter {
  private buffer = "";
  /** Scan position inside `buffer`. */
  private pos = 0;
  private mode: Mode = "start";
  /** Depth counted from the top-level value (1 = inside it). */
  private depth = 0;
  private inString = false;
  /** Start of the element being collected in `buffer`, or -1. */
  private elementStart = -1;
  /** Depth at which elements start (1 for arrays, 2 for the Records array, 0 for NDJSON values). */
  private elementDepth = 0;
  /** In a wrapper object: the depth-1 key just read, to find "Records". */
  private lastKey = "";
  private keyStart = -1;
  private expectingKey = false;
  private wrapperStart = -1;
  private recordsInWrapper = false;
  private line = 1;
  private valueLine = 1;
  private recordCount = 0;
  /** Decided by the first top-level record: true when it sat on one line (NDJSON), false when pretty-printed. */
  private ndjson: boolean | undefined;
  private failed = false;
  /** No newline is left uncounted in the buffer before this position (see countLines). */
  private newlineFreeUntil = 0;

  /** `lineDelimited`: the input is known to be NDJSON (by its name), so broken lines resync from the first one. */
  constructor(
    private readonly events: SplitterEvents,
    lineDelimited = false,
  ) {
    if (lineDelimited) this.ndjson = true;
  }

  get records(): number {
    return this.recordCount;
  }

  push(chunk: string): void {
    if (this.failed) return;
    this.buffer += chunk;
    this.scan();
    this.compact();
  }

  end(): void {
    if (this.failed) return;
    const rest = this.buffer.slice(this.pos).trim();
    if (this.mode === "start" && this.recordCount === 0 && rest === "" && this.buffer.trim() === "") {
      this.events.problem("empty input (no JSON)");
      return;
    }
    if (this.depth > 0 || this.elementStart >= 0 || this.inString) {
      this.events.problem(`unexpected end of input inside a JSON value starting at line ${this.valueLine}`);
    }
  }

  private scan(): void {
    const buf = this.buffer;
    let i = this.pos;
    const n = buf.length;
    while (i < n) {
      const c = buf.charCodeAt(i);
      if (this.inString) {
        // Jump to the next quote; a quote preceded by an odd number of backslashes is escaped.
        const q = buf.indexOf('"', i);
        if (q < 0) {
          this.countLines(i, n);
          i = n;
          break;
        }
        let backslashes = 0;
        for (let k = q - 1; k >= i && buf.charCodeAt(k) === BACKSLASH; k--) backslashes++;
        this.countLines(i, q);
        i = q + 1;
        if (backslashes % 2 === 0) {
          this.inString = false;
          if (this.keyStart >= 0) {
            this.lastKey = buf.slice(this.keyStart, q);
            this.keyStart = -1;
          }
        }
        continue;
      }
      if (c === NEWLINE) {
        if (this.ndjson && this.mode === "wrapper" && this.depth > 0 && this.valueLine === this.line) {
          // NDJSON never spreads a record over lines, so a value still open at its line's end is a broken line.
          this.events.problem(`line ${this.line}: incomplete JSON record, skipped`);
          this.resetToValues();
        }
        this.line++;
        i++;
        continue;
      }
      if (c === 32 || c === 9 || c === 13) {
        i++;
        continue;
      }
      if (this.mode === "start" || (this.mode === "values" && this.depth === 0)) {
        // A top-level value: an array of records, or an object that is a Records wrapper or a record itself.
        if (c === OPEN_BRACKET || c === OPEN_BRACE) {
          if (c === OPEN_BRACKET) this.startArray();
          else this.startWrapper(i);
          i++;
          continue;
        }
        if (this.mode === "start") {
          this.fail(i, `not JSON: starts with ${JSON.stringify(buf.slice(i, i + 12))}`);
          return;
        }
        this.events.problem(
          `line ${this.line}: unexpected ${JSON.stringify(buf[i])} between JSON values, skipped to next line`,
        );
        const nl = buf.indexOf("\n", i);
        i = nl < 0 ? n : nl;
        continue;
      }
      i = this.step(buf, i, c);
      if (this.failed) return;
    }
    this.pos = i;
  }

  /** One structural character outside strings, in array / wrapper / values modes. */
  private step(buf: string, i: number, c: number): number {
    if (c === QUOTE) {
      this.inString = true;
      if (this.mode === "wrapper" && this.depth === 1 && this.expectingKey) this.keyStart = i + 1;
      if (this.depth === this.elementDepth && this.elementStart < 0) this.beginElement(i);
      return i + 1;
    }
    if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      if (this.depth === this.elementDepth && this.elementStart < 0) this.beginElement(i);
      if (
        this.mode === "wrapper" &&
        this.depth === 1 &&
        c === OPEN_BRACKET &&
        this.lastKey === "Records" &&
        !this.expectingKey
      ) {
        this.recordsInWrapper = true;
        this.elementDepth = 2;
      }
      this.depth++;
      if (this.mode === "wrapper" && this.depth === 1) this.expectingKey = true;
      return i + 1;
    }
    if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
      if (this.depth === this.elementDepth && this.elementStart >= 0) {
        // A scalar element pending when its array closes.
        this.emit(buf.slice(this.elementStart, i).trimEnd());
        this.elementStart = -1;
      }
      this.depth--;
      if (this.depth < 0) {
        this.fail(i, `unbalanced ${buf[i]} at line ${this.line}`);
        return i;
      }
      if (this.mode === "wrapper" && this.depth === 1 && c === CLOSE_BRACKET && this.elementDepth === 2) {
        this.elementDepth = -1; // Records array closed
      }
      if (this.depth === this.elementDepth && this.elementStart >= 0) {
        this.emit(buf.slice(this.elementStart, i + 1));
        this.elementStart = -1;
      }
      if (this.depth === 0) this.finishTopLevel(buf, i);
      return i + 1;
    }
    if (c === 44 /* , */) {
      if (this.depth === this.elementDepth && this.elementStart >= 0) {
        this.emit(buf.slice(this.elementStart, i).trimEnd());
        this.elementStart = -1;
      }
      if (this.mode === "wrapper" && this.depth === 1) this.expectingKey = true;
      return i + 1;
    }
    if (c === COLON) {
      if (this.mode === "wrapper" && this.depth === 1) this.expectingKey = false;
      return i + 1;
    }
    // A scalar element (number, true, false, null) of an array: collected until the next , or ].
    if (this.depth === this.elementDepth && this.elementStart < 0) this.beginElement(i);
    return i + 1;
  }

  private startArray(): void {
    this.mode = "array";
    this.elementDepth = 1;
    this.depth = 1;
  }

  private startWrapper(i: number): void {
    this.mode = "wrapper";
    this.wrapperStart = i;
    this.valueLine = this.line;
    this.depth = 1;
    this.expectingKey = true;
    this.recordsInWrapper = false;
    this.elementDepth = -1;
    this.lastKey = "";
  }

  private beginElement(i: number): void {
    this.elementStart = i;
    this.valueLine = this.line;
  }

  private finishTopLevel(buf: string, i: number): void {
    if (this.mode === "wrapper") {
      if (!this.recordsInWrapper) {
        const text = buf.slice(this.wrapperStart, i + 1);
        if (this.ndjson === undefined) this.ndjson = !text.includes("\n");
        this.emit(text);
      }
      this.wrapperStart = -1;
    }
    this.mode = "values";
    this.elementDepth = 0;
    this.elementStart = -1;
  }

  private resetToValues(): void {
    this.mode = "values";
    this.depth = 0;
    this.inString = false;
    this.elementStart = -1;
    this.wrapperStart = -1;
    this.elementDepth = 0;
  }

  private emit(text: string): void {
    this.recordCount++;
    this.events.record(text);
  }

  /**
   * Counts the newlines inside a string. The next newline found is remembered: on single-line JSON a plain search
   * would run to the end of the buffer for every string, which made splitting quadratic in the file size.
   */
  private countLines(from: number, to: number): void {
    if (to <= this.newlineFreeUntil) return;
    const buf = this.buffer;
    let k = buf.indexOf("\n", Math.max(from, this.newlineFreeUntil));
    for (; k >= 0 && k < to; k = buf.indexOf("\n", k + 1)) this.line++;
    this.newlineFreeUntil = k < 0 ? buf.length : k;
  }

  private fail(i: number, message: string): void {
    this.failed = true;
    this.pos = i;
    this.events.problem(message);
  }

  /** Drops consumed text so memory stays bounded by the largest record, not the file. */
  private compact(): void {
    let keep = this.pos;
    if (this.elementStart >= 0) keep = Math.min(keep, this.elementStart);
    if (this.wrapperStart >= 0 && !this.recordsInWrapper) keep = Math.min(keep, this.wrapperStart);
    if (keep === 0) return;
    this.buffer = this.buffer.slice(keep);
    this.pos -= keep;
    this.newlineFreeUntil = Math.max(0, this.newlineFreeUntil - keep);
    if (this.elementStart >= 0) this.elementStart -= keep;
    if (this.wrapperStart >= 0) this.wrapperStart -= keep;
    if (this.keyStart >= 0) this.keyStart -= keep;
  }
}
