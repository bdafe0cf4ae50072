/**
 * `AbstractMap.toString()` / `AbstractCollection.toString()` over the parsed Java objects, iterating each HashMap in
 * bucket order. Without tree bins, bucket order is the live keys stably sorted by `hash & (capacity - 1)`
 * (ecs-pipeline.md §6.6).
 */
import { javaDoubleToString } from "./double-to-string.ts";
import { type JavaMap, JavaNumber, type JavaValue } from "./values.ts";

export class TreeifiedBucketError extends Error {
  constructor() {
    super("a HashMap bucket holds 9+ colliding keys in a table of 64+ buckets (tree bin); its order is not emulated");
  }
}

const SMALL_MAP = 32;

/** The live entries' indexes in HashMap iteration order. */
export function iterationOrder(map: JavaMap): number[] {
  if (map.treeified) throw new TreeifiedBucketError();
  const mask = map.capacity - 1;
  const n = map.keys.length;
  const order = new Array<number>(n);
  for (let i = 0; i < n; i++) order[i] = i;
  const hashes = map.hashes;
  if (n > SMALL_MAP) {
    const buckets = hashes.map((h) => h & mask);
    order.sort((a, b) => buckets[a] - buckets[b] || a - b);
    return order;
  }
  // Small maps (nearly all): a stable insertion sort on the bucket index, with no allocation.
  for (let i = 1; i < n; i++) {
    const bucket = hashes[i] & mask;
    let j = i - 1;
    while (j >= 0 && (hashes[order[j]] & mask) > bucket) {
      order[j + 1] = order[j];
      j--;
    }
    order[j + 1] = i;
  }
  return order;
}

export function javaNumberToString(n: JavaNumber): string {
  if (n.isDouble) return javaDoubleToString(Number(n.text));
  // Integer/Long/BigInteger print their decimal value; only "-0" differs from the lexeme.
  return n.text === "-0" ? "0" : n.text;
}

export function javaToString(value: JavaValue): string {
  const out: string[] = [];
  write(value, out);
  return out.join("");
}

function write(value: JavaValue, out: string[]): void {
  if (typeof value === "string") out.push(value);
  else if (value === null) out.push("null");
  else if (typeof value === "boolean") out.push(value ? "true" : "false");
  else if (value instanceof JavaNumber) out.push(javaNumberToString(value));
  else if (Array.isArray(value)) {
    out.push("[");
    for (let i = 0; i < value.length; i++) {
      if (i > 0) out.push(", ");
      write(value[i], out);
    }
    out.push("]");
  } else {
    out.push("{");
    const order = iterationOrder(value);
    for (let i = 0; i < order.length; i++) {
      if (i > 0) out.push(", ");
      out.push(value.keys[order[i]], "=");
      write(value.values[order[i]], out);
    }
    out.push("}");
  }
}
