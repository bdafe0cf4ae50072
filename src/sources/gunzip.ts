/**
 * Inflating a whole gzip file in one call, and what can be recovered from a damaged one: everything before the
 * damage, found synchronously, so the same bytes always give the same records (a stream's last output before its
 * error may or may not have been delivered, depending on timing).
 */
import { constants, gunzipSync } from "node:zlib";

export interface Inflated {
  data: Buffer;
  /** What was wrong with the gzip, when `data` is only what came before the damage. */
  problem?: string;
}

/** Gzip is recognised by its magic bytes, not the file's name. */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/** Deflate's best ratio: no valid stream inflates to more than this many times its size. */
const MAX_DEFLATE_RATIO = 1032;

/**
 * `maxOutput`: larger content throws RangeError (code ERR_BUFFER_TOO_LARGE), for the caller to stream instead.
 * The trailer's ISIZE (the size modulo 2^32; garbage in a truncated file) is only a hint: when it is possible, the
 * output is one chunk of that size, ≈ 25 % faster than zlib's 16 KiB pieces.
 */
export function inflateWhole(bytes: Buffer, maxOutput: number): Inflated {
  const isize = bytes.length >= 18 ? bytes.readUInt32LE(bytes.length - 4) : Infinity;
  const possible = isize < maxOutput && isize <= bytes.length * MAX_DEFLATE_RATIO;
  const chunkSize = possible ? Math.max(isize + 1, 1024) : undefined;
  try {
    return { data: gunzipSync(bytes, { maxOutputLength: maxOutput, chunkSize }) };
  } catch (err) {
    if ((err as { code?: string }).code === "ERR_BUFFER_TOO_LARGE") throw err;
    return { data: salvage(bytes, maxOutput), problem: gzipProblem(err as Error & { code?: string }) };
  }
}

export function gzipProblem(err: Error & { code?: string }): string {
  if (err.code === "Z_BUF_ERROR" || /unexpected end/i.test(err.message)) return "truncated gzip (unexpected end of file)";
  return `corrupt gzip: ${err.message}`;
}

/** The output of the longest prefix of `bytes` that inflates without error: all of it when only the end is missing. */
function salvage(bytes: Buffer, maxOutput: number): Buffer {
  const upTo = (length: number): Buffer | undefined => {
    try {
      return gunzipSync(bytes.subarray(0, length), { finishFlush: constants.Z_SYNC_FLUSH, maxOutputLength: maxOutput });
    } catch {
      return undefined;
    }
  };
  const whole = upTo(bytes.length);
  if (whole) return whole;
  // Corrupt in the middle: prefixes before the damage inflate, longer ones fail; find the longest.
  let good = 0;
  let bad = bytes.length;
  while (bad - good > 1) {
    const mid = Math.floor((good + bad) / 2);
    if (upTo(mid)) good = mid;
    else bad = mid;
  }
  return upTo(good) ?? Buffer.alloc(0);
}
