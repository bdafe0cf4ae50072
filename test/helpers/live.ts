/** In-memory live sources and an injected clock for tests of the `watch` loop: no real sleeping, no real buckets. */
import { gzipSync } from "node:zlib";
import type { Clock } from "../../src/engine/watch/clock.ts";
import type { ObjectRef, ObjectSource } from "../../src/sources/live/object-source.ts";
import type { CloudTrailRecord } from "./cloudtrail.ts";

/** Objects that become visible at `arriveAt`; polls offer every visible object again, as an S3 re-scan does. */
export class MemorySource implements ObjectSource {
  readonly description = "memory";
  readonly acknowledged: string[] = [];
  private readonly objects: { ref: ObjectRef; body: Buffer }[] = [];

  add(name: string, arriveAt: number, records: CloudTrailRecord[]) {
    const body = gzipSync(JSON.stringify({ Records: records }));
    this.objects.push({ ref: { id: `mem:${name}`, name, size: body.length, modifiedAt: arriveAt }, body });
  }
  async poll(now: number) {
    return this.objects.filter((o) => o.ref.modifiedAt <= now).map((o) => o.ref);
  }
  async read(ref: ObjectRef) {
    const found = this.objects.find((o) => o.ref.id === ref.id);
    if (!found) throw new Error("gone");
    return found.body;
  }
  async done(ref: ObjectRef) {
    this.acknowledged.push(ref.id);
  }
  async close() {}
}

/** Sleeping jumps the clock; the loop stops once the clock passes `until`. */
export function fakeClock(start: number, until: number, stop: AbortController): Clock & { at: number } {
  const clock = {
    at: start,
    now: () => clock.at,
    sleep: async (ms: number) => {
      clock.at += Math.max(ms, 1);
      if (clock.at > until) stop.abort();
    },
  };
  return clock;
}
