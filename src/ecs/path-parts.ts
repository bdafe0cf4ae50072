/**
 * Dotted field paths split once: the pipeline uses a fixed few hundred paths, and splitting them on every access
 * was a measurable share of a record's cost. Callers must not modify the returned array.
 */
const cache = new Map<string, readonly string[]>();

/** Bounds the cache should a caller ever build paths from data. */
const CACHE_LIMIT = 10_000;

export function pathParts(path: string): readonly string[] {
  let parts = cache.get(path);
  if (parts === undefined) {
    parts = path.split(".");
    if (cache.size < CACHE_LIMIT) cache.set(path, parts);
  }
  return parts;
}
