/**
 * java.util.HashMap bucket layout (OpenJDK 8+): String.hashCode, the high-bit spread, lazy 16-bucket table, 0.75 load
 * factor, and the treeify rule (a 9th entry in one bucket resizes a table smaller than 64, else makes a tree bin).
 */

const TREEIFY_THRESHOLD = 8;
const MIN_TREEIFY_CAPACITY = 64;

/** `String.hashCode()` over UTF-16 code units, spread as `HashMap.hash` does. */
export function javaKeyHash(key: string): number {
  let h = 0;
  for (let i = 0; i < key.length; i++) h = (Math.imul(31, h) + key.charCodeAt(i)) | 0;
  return h ^ (h >>> 16);
}

export interface Layout {
  capacity: number;
  treeified: boolean;
}

/** Simulates inserting distinct keys (by spread hash) in order into `new HashMap<>()`. */
export function simulateLayout(hashes: readonly number[]): Layout {
  const n = hashes.length;
  if (n === 0) return { capacity: 0, treeified: false };
  // Up to 8 keys: no bucket can pass 8 entries and 8 <= 16 * 0.75, so the first table is the last.
  if (n <= TREEIFY_THRESHOLD) return { capacity: 16, treeified: false };
  let capacity = 16;
  let counts: Uint32Array = new Uint32Array(capacity);
  let treeified = false;
  for (let i = 0; i < n; i++) {
    const bucket = hashes[i] & (capacity - 1);
    const before = counts[bucket]++;
    if (before >= TREEIFY_THRESHOLD) {
      if (capacity < MIN_TREEIFY_CAPACITY) {
        capacity *= 2;
        counts = recount(hashes, i + 1, capacity);
      } else {
        treeified = true;
      }
    }
    if (i + 1 > capacity * 0.75) {
      capacity *= 2;
      counts = recount(hashes, i + 1, capacity);
    }
  }
  return { capacity, treeified };
}

function recount(hashes: readonly number[], upTo: number, capacity: number): Uint32Array {
  const counts = new Uint32Array(capacity);
  for (let i = 0; i < upTo; i++) counts[hashes[i] & (capacity - 1)]++;
  return counts;
}
