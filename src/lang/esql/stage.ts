/** The streaming protocol between commands: each stage pushes rows to the next and says when to stop. */
import type { Row, Runtime } from "./runtime.ts";

export interface Sink {
  /** Takes one row; returns false when no more rows are wanted (a LIMIT was reached). */
  push(row: Row): boolean;
  finish(): void;
}

export type Stage = (rt: Runtime, next: Sink) => Sink;

/** A stage that maps or filters rows one at a time. */
export function rowStage(transform: (row: Row, rt: Runtime) => Row | undefined): Stage {
  return (rt, next) => ({
    push(row) {
      const out = transform(row, rt);
      return out === undefined ? true : next.push(out);
    },
    finish: () => next.finish(),
  });
}
