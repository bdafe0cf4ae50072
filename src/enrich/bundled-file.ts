/**
 * The bundled data files. The repository keeps them brotli-compressed (data/NAME.br); `npm run build` unpacks each
 * next to it (data/NAME, not committed), which loads in milliseconds instead of ≈ 0.1–0.2 s of decompressing and
 * copying at every start. An unpacked file older than its .br (the data was updated, the build not re-run) is
 * ignored, so what is loaded is always the committed data.
 */
import { closeSync, fstatSync, openSync, readFileSync, readSync, statSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { brotliDecompressSync } from "node:zlib";

/** Every bundled data file, by its name in data/ without `.br`. */
export const BUNDLED_FILES = ["asn.bin", "geo-country.mmdb"] as const;
export type BundledFile = (typeof BUNDLED_FILES)[number];

/** Resolved from this module, so it works from src/enrich and dist/bundle alike (both two levels below the root). */
const DATA_DIR = new URL("../../data/", import.meta.url);

/** The bytes of data/NAME; `shared`: in a SharedArrayBuffer, for worker threads to read one copy. */
export function readBundledFile(name: BundledFile, shared = false, dir: URL = DATA_DIR): Uint8Array {
  const packed = fileURLToPath(new URL(`${name}.br`, dir));
  const unpacked = fileURLToPath(new URL(name, dir));
  if (isFresh(unpacked, packed)) return readInto(unpacked, shared);
  const raw = brotliDecompressSync(readFileSync(packed));
  if (!shared) return raw;
  const copy = new Uint8Array(new SharedArrayBuffer(raw.length));
  copy.set(raw);
  return copy;
}

/** Unpacks data/NAME.br to data/NAME (the build does this for every bundled file). */
export function unpackBundledFile(name: BundledFile, dir: URL = DATA_DIR): void {
  const packed = fileURLToPath(new URL(`${name}.br`, dir));
  writeFileSync(fileURLToPath(new URL(name, dir)), brotliDecompressSync(readFileSync(packed)));
}

function isFresh(unpacked: string, packed: string): boolean {
  try {
    return statSync(unpacked).mtimeMs >= statSync(packed).mtimeMs;
  } catch {
    return false;
  }
}

function readInto(path: string, shared: boolean): Uint8Array {
  const fd = openSync(path, "r");
  try {
    const size = fstatSync(fd).size;
    const bytes = shared ? new Uint8Array(new SharedArrayBuffer(size)) : Buffer.allocUnsafe(size);
    for (let read = 0; read < size; ) {
      const n = readSync(fd, bytes, read, size - read, null);
      if (n === 0) throw new Error(`${path}: shorter than its size`);
      read += n;
    }
    return bytes;
  } finally {
    closeSync(fd);
  }
}
