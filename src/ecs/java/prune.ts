/**
 * The pipeline's first `remove-nulls` script over Java objects: children first, then drop null, "", "-", "none"
 * and maps/lists left empty. Maps keep their table size (§6.5).
 */
import { JavaMap, type JavaValue } from "./values.ts";

export function isPrunable(v: JavaValue): boolean {
  if (v === null || v === "" || v === "-" || v === "none") return true;
  if (Array.isArray(v)) return v.length === 0;
  return v instanceof JavaMap && v.keys.length === 0;
}

/** Prunes in place; returns true when the value itself should then be removed. */
export function pruneJava(v: JavaValue): boolean {
  if (Array.isArray(v)) {
    let w = 0;
    for (let r = 0; r < v.length; r++) {
      const item = v[r];
      if (!pruneJava(item)) v[w++] = item;
    }
    v.length = w;
  } else if (v instanceof JavaMap) {
    let w = 0;
    for (let r = 0; r < v.keys.length; r++) {
      if (pruneJava(v.values[r])) continue;
      v.keys[w] = v.keys[r];
      v.values[w] = v.values[r];
      v.hashes[w] = v.hashes[r];
      w++;
    }
    v.keys.length = w;
    v.values.length = w;
    v.hashes.length = w;
  }
  return isPrunable(v);
}
