/** The entity script's working state (`enrichCtx`) and its helpers addField/addFields/addValue/addValues. */
import { asList, asString, lookup } from "./entity-access.ts";
import type { PipelineContext } from "./context.ts";

export class EntityCollector {
  readonly related = new Set<string>();
  readonly target = new Set<string>();
  actor: unknown;

  constructor(readonly ctx: PipelineContext) {
    this.actor = lookup(ctx, "userIdentity.arn");
    if (this.actor === null) this.actor = lookup(ctx, "userIdentity.onBehalfOf.userId");
  }

  /** `$(path, fallback)` relative to `json`. */
  get(path: string, fallback: unknown = null): unknown {
    return lookup(this.ctx, path, fallback);
  }

  /** `$(path, []).stream()`. */
  list(path: string): unknown[] {
    return asList(lookup(this.ctx, path, []));
  }

  /** Java `Set.add` of a String: false for null/"" and for a value already present. */
  addValue(set: Set<string>, value: unknown): boolean {
    const text = asString(value);
    if (text === null || text === "") return false;
    if (set.has(text)) return false;
    set.add(text);
    return true;
  }

  /**
   * `addedAll = addedAll && addValue(…)`: Java's `&&` short-circuits, so after the first value that is missing or
   * already present the remaining values are not added. Elasticsearch behaves so; we keep it.
   */
  addValues(set: Set<string>, values: unknown): boolean {
    let addedAll = true;
    for (const value of asList(values)) {
      const text = asString(value);
      addedAll = addedAll && this.addValue(set, text);
    }
    return addedAll;
  }

  addField(set: Set<string>, path: string): void {
    this.addValue(set, lookup(this.ctx, path));
  }

  addFields(set: Set<string>, paths: string[]): void {
    for (const path of paths) this.addField(set, path);
  }
}
