/**
 * Reads one input (file or stdin) as a stream of raw record texts. Gzip is recognised by its magic bytes, not the
 * name; the JSON shape (Records wrapper, array, NDJSON) is recognised by content. A truncated gzip or a broken
 * line is reported with the file name and reading goes on with everything that could be recovered.
 */
import { closeSync, createReadStream, fstatSync, openSync, readSync } from "node:fs";
import type { Readable } from "node:stream";
import { StringDecoder } from "node:string_decoder";
import { createGunzip } from "node:zlib";
import { gzipProblem, type Inflated, inflateWhole, isGzip } from "./gunzip.ts";
import { RecordSplitter } from "./record-splitter.ts";

export interface FileReadEvents {
  record(text: string, origin: string): void;
  problem(origin: string, message: string): void;
  /**
   * Offered first the whole (gunzipped) bytes of a file read in one go; returns true when it took care of the file's
   * records itself, false to have them split and delivered through `record` as usual.
   */
  wholeFile?(data: Buffer, origin: string): boolean;
}


/**
 * Files up to this size (compressed, and uncompressed per the gzip trailer) are read and inflated in one go, which
 * is several times faster than zlib's streams; larger ones stream, so memory stays bounded by this, not the file.
 */
const WHOLE_FILE_LIMIT = 32 << 20;

/** Resolves when the input is fully read (or given up on); never rejects for bad content. */
export async function readInputFile(
  path: string,
  events: FileReadEvents,
  stdin: Readable = process.stdin,
): Promise<void> {
  if (path !== "-") {
    const whole = readWhole(path);
    if (whole !== undefined) {
      const { data, problem } = whole;
      if (!problem && events.wholeFile?.(data, path)) return;
      const decoder = new StringDecoder("utf8");
      const text = decoder.write(data) + decoder.end();
      const splitter = new RecordSplitter(
        { record: (t) => events.record(t, path), problem: (message) => events.problem(path, message) },
        /\.(ndjson|jsonl)(\.gz)?$/i.test(path),
      );
      splitter.push(text);
      // A damaged gzip: the records before the damage, and the damage named (not the cut record after it).
      if (problem) events.problem(path, problem);
      else splitter.end();
      return;
    }
  }
  return streamInputFile(path, events, stdin);
}

/**
 * The whole content of a small file, gunzipped (only what precedes the damage of a damaged gzip, and the problem),
 * or undefined to stream it instead: too large, or unreadable (the stream names the error).
 */
function readWhole(path: string): Inflated | undefined {
  const data = readSmallFile(path);
  if (!data || !isGzip(data)) return data && { data };
  try {
    return inflateWhole(data, WHOLE_FILE_LIMIT);
  } catch {
    return undefined; // larger than WHOLE_FILE_LIMIT: streamed
  }
}

/**
 * A file's bytes read synchronously, or undefined when unreadable or larger than WHOLE_FILE_LIMIT. Synchronous: for
 * files this small, the promise API's open/stat/read/close round trips cost more than the read itself.
 */
function readSmallFile(path: string): Buffer | undefined {
  let fd: number;
  try {
    fd = openSync(path, "r");
  } catch {
    return undefined;
  }
  try {
    const { size } = fstatSync(fd);
    if (!(size <= WHOLE_FILE_LIMIT)) return undefined;
    const data = Buffer.allocUnsafe(size);
    let read = 0;
    while (read < size) {
      const n = readSync(fd, data, read, size - read, null);
      if (n === 0) break;
      read += n;
    }
    return read === size ? data : data.subarray(0, read);
  } catch {
    return undefined;
  } finally {
    closeSync(fd);
  }
}

function streamInputFile(path: string, events: FileReadEvents, stdin: Readable): Promise<void> {
  const origin = path === "-" ? "<stdin>" : path;
  const input = path === "-" ? stdin : createReadStream(path, { highWaterMark: 1 << 20 });
  const splitter = new RecordSplitter(
    {
      record: (text) => events.record(text, origin),
      problem: (message) => events.problem(origin, message),
    },
    /\.(ndjson|jsonl)(\.gz)?$/i.test(path),
  );
  const decoder = new StringDecoder("utf8");

  return new Promise((resolve) => {
    let settled = false;
    const finish = (problem?: string) => {
      if (settled) return;
      settled = true;
      if (problem) events.problem(origin, problem);
      else {
        splitter.push(decoder.end());
        splitter.end();
      }
      resolve();
    };
    let sniffed = false;
    let text: Readable = input;
    input.once("error", (err: Error & { code?: string }) => finish(readErrorMessage(err)));
    const onText = (chunk: Buffer) => splitter.push(decoder.write(chunk));

    input.once("readable", () => {
      const head: Buffer | null = input.read(2) ?? input.read();
      sniffed = true;
      if (head) input.unshift(head);
      if (head && isGzip(head)) {
        const gunzip = createGunzip();
        gunzip.once("error", (err: Error & { code?: string }) => {
          // Records decoded before the damage were already emitted; name what went wrong.
          splitter.push(decoder.end());
          finish(gzipProblem(err));
        });
        input.pipe(gunzip);
        text = gunzip;
      }
      text.on("data", onText);
      text.once("end", () => finish());
    });
    input.once("end", () => {
      if (!sniffed) finish();
    });
  });
}

function readErrorMessage(err: Error & { code?: string }): string {
  if (err.code === "ENOENT") return "no such file or directory";
  if (err.code === "EACCES") return "permission denied";
  if (err.code === "EISDIR") return "is a directory";
  return err.message;
}
