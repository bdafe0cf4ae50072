/** The state one pipeline run mutates: the output document, the parsed record (`json`) and run options. */
import { type Document, fieldValues, type JsonValue, setField } from "../../doc/document.ts";
import type { JavaValue } from "../java/values.ts";
import type { NormalizeOptions } from "../normalize.ts";
import type { PipelineFailure } from "../pipeline-failure.ts";
import type { PlainObject, RecordParts, SerializedField } from "../record-reader.ts";

export class PipelineContext {
  readonly doc: Document = {};
  json: PlainObject = {};
  serialized: Partial<Record<SerializedField, JavaValue>> = {};
  tags: string[] | undefined;
  failure: PipelineFailure | undefined;
  /** Session name extracted from an assumed-role ARN (`_tmp.session_name`). */
  sessionName: string | undefined;

  constructor(readonly options: NormalizeOptions) {
    this.tags = options.tags ? [...options.tags] : undefined;
  }

  attach(parts: RecordParts): void {
    this.json = parts.plain;
    this.serialized = parts.serialized;
  }

  put(path: string, value: JsonValue): void {
    setField(this.doc, path, value);
  }

  /** The single value at a path of the output document (undefined when absent). */
  get(path: string): JsonValue | undefined {
    const values = fieldValues(this.doc, path);
    return values.length === 0 ? undefined : values[0];
  }

  has(path: string): boolean {
    return fieldValues(this.doc, path).length > 0;
  }

  /** `append` with allow_duplicates: false: a scalar already there becomes the list's first element. */
  appendUnique(path: string, value: string): void {
    const current = findValue(this.doc, path);
    if (current === undefined || current === null) this.put(path, [value]);
    else if (Array.isArray(current)) {
      if (!current.includes(value)) current.push(value);
    } else if (current !== value) this.put(path, [current, value]);
  }

  fail(failure: PipelineFailure): void {
    this.failure = failure;
  }
}

function findValue(doc: Document, path: string): JsonValue | undefined {
  let node: JsonValue | undefined = doc;
  for (const part of path.split(".")) {
    if (node === null || node === undefined || typeof node !== "object" || Array.isArray(node)) return undefined;
    node = node[part];
  }
  return node;
}
