/**
 * The byte strings a record must contain for any rule to select it, found in a whole file with native searches
 * before anything is decoded. A field a raw test checks is copied verbatim from a JSON string value (see
 * raw-keys.ts), so a record whose field holds a required value `v` contains the bytes `"v"` — or a backslash, when
 * JSON spelt the value with an escape. The needle is `v"`, which every such record holds too. An `and` needs only
 * one of its parts (the one with the fewest needles), an `or` all of its branches; the backslash is always a needle.
 */
import { certainBytes, checkablePart } from "./raw-test.ts";
import type { Requirement } from "./requirement.ts";

const BACKSLASH = "\\";

/** Undefined when there is no raw test, or a required value's bytes are not certain (see `certainBytes`). */
export function rawNeedles(requirement: Requirement | undefined): string[] | undefined {
  const usable = checkablePart(requirement);
  const needles = usable && needlesOf(usable);
  return needles && [...new Set([...needles, BACKSLASH])];
}

function needlesOf(req: Requirement): string[] | undefined {
  switch (req.kind) {
    case "values":
      // `v"`, not `"v"`: the native search jumps between occurrences of the first byte, and `"` is everywhere.
      return req.values.every(certainBytes) ? req.values.map((v) => `${v}"`) : undefined;
    case "or": {
      const out: string[] = [];
      for (const part of req.parts) {
        const needles = needlesOf(part);
        if (!needles) return undefined;
        out.push(...needles);
      }
      return out;
    }
    case "and": {
      let best: string[] | undefined;
      for (const part of req.parts) {
        const needles = needlesOf(part);
        if (needles && (!best || fewerOrRarer(needles, best))) best = needles;
      }
      return best;
    }
  }
}

/** Fewer needles mean fewer passes over the file; among equals, longer ones are rarer and searched faster. */
function fewerOrRarer(a: string[], b: string[]): boolean {
  if (a.length !== b.length) return a.length < b.length;
  const shortest = (n: string[]) => Math.min(...n.map((s) => s.length));
  return shortest(a) > shortest(b);
}
