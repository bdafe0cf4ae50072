/**
 * A rule file that cannot be loaded. The message is meant for the user as is ("file:line:column: what is wrong"),
 * so callers print it without a stack trace.
 */
export class RuleLoadError extends Error {
  readonly file: string;
  readonly line?: number;
  readonly column?: number;
  /** What is wrong, without the location prefix. */
  readonly detail: string;

  constructor(file: string, detail: string, position: { line?: number; column?: number } = {}) {
    const where = [file, position.line, position.line !== undefined ? position.column : undefined]
      .filter((part) => part !== undefined)
      .join(":");
    super(`${where}: ${detail}`);
    this.name = "RuleLoadError";
    this.file = file;
    this.line = position.line;
    this.column = position.line !== undefined ? position.column : undefined;
    this.detail = detail;
  }
}

/** A bad value in one rule field; loaders turn it into a RuleLoadError with the file and position. */
export class RuleFieldError extends Error {
  readonly field: string;

  constructor(field: string, reason: string) {
    super(`${field}: ${reason}`);
    this.name = "RuleFieldError";
    this.field = field;
  }
}
