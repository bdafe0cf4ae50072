/** What flows between commands, and the per-run context expressions evaluate in. */
import type { Document } from "../../doc/document.ts";
import { lineAndColumn } from "../errors.ts";
import type { DataType, Value } from "./values.ts";

export interface Column {
  name: string;
  type: DataType;
  /** The source field this column still carries unchanged from FROM (through RENAME/KEEP), if any. */
  sourceField?: string;
}

export interface Row {
  values: Value[];
  /** The source document, while rows still correspond one-to-one to documents (for KQL()). */
  doc?: Document;
  groupKey?: string;
  groupCount?: number;
}

/** Where an expression sits in the query: warnings name it the way Elasticsearch does. */
export interface Site {
  prefix: string;
  text: string;
}

export function siteOf(source: string, pos: number, end: number): Site {
  const { line, column } = lineAndColumn(source, pos);
  return { prefix: `Line ${line}:${column}`, text: source.slice(pos, end) };
}

const MAX_FAILURES_PER_SITE = 20;

export class Runtime {
  private readonly failures = new Map<Site, number>();
  constructor(
    readonly now: number,
    private readonly onWarning: ((message: string) => void) | undefined,
  ) {}

  /** Records an evaluation failure at a site; the first 20 per site are reported, as ES does. */
  warn(site: Site, message: string): void {
    if (!this.onWarning) return;
    const n = this.failures.get(site) ?? 0;
    this.failures.set(site, n + 1);
    if (n === 0)
      this.onWarning(
        `${site.prefix}: evaluation of [${site.text}] failed, treating result as null. Only first ${MAX_FAILURES_PER_SITE} failures recorded.`,
      );
    if (n < MAX_FAILURES_PER_SITE) this.onWarning(`${site.prefix}: ${message}`);
  }
}

export const MULTIVALUE_WARNING = "java.lang.IllegalArgumentException: single-value function encountered multi-value";

/** A warning raised while a document's rows were prepared, and how many of its rows were out by then. */
export interface RecordedWarning {
  site: Site;
  message: string;
  rowsBefore: number;
}

/**
 * The runtime of a document's preparation: keeps the warnings (with where they fell among the rows) so each run
 * over the prepared rows reports them through its own runtime, counted and capped per run as before.
 */
export class RecordingRuntime extends Runtime {
  readonly recorded: RecordedWarning[] = [];
  rowsOut = 0;
  constructor() {
    super(0, undefined);
  }

  override warn(site: Site, message: string): void {
    this.recorded.push({ site, message, rowsBefore: this.rowsOut });
  }
}
