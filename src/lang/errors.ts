/**
 * Errors in a query the user wrote: where (line and column, 1-based), what was expected, and the query line with a
 * caret under the spot. Both languages throw this, so the CLI can print rule errors the same way for KQL and ES|QL.
 */
export type QueryErrorKind = "parse" | "verification";

export class QueryError extends Error {
  readonly kind: QueryErrorKind;
  readonly language: "kql" | "esql";
  readonly line: number;
  readonly column: number;
  readonly detail: string;
  readonly source: string;

  constructor(language: "kql" | "esql", kind: QueryErrorKind, detail: string, source: string, offset: number) {
    const { line, column } = lineAndColumn(source, offset);
    super(`${language === "kql" ? "KQL" : "ES|QL"} ${kind} error at line ${line}:${column}: ${detail}`);
    this.name = "QueryError";
    this.language = language;
    this.kind = kind;
    this.line = line;
    this.column = column;
    this.detail = detail;
    this.source = source;
  }

  /** The message, the offending query line and a caret under the column. */
  pretty(): string {
    const text = this.source.split(/\r?\n/)[this.line - 1] ?? "";
    return `${this.message}\n  ${text}\n  ${" ".repeat(Math.max(0, this.column - 1))}^`;
  }
}

export function lineAndColumn(source: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  const end = Math.min(Math.max(0, offset), source.length);
  for (let i = 0; i < end; i++) {
    if (source.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: end - lineStart + 1 };
}
