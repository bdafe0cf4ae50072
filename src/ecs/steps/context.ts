/** The state one pipeline run mutates: the output document, the parsed record (`json`) and run options. */
import { type Document, fieldValues, type JsonValue, setFieldParts } from "../../doc/document.ts";
import type { JavaValue } from "../java/values.ts";
import type { NormalizeOptions } from "../normalize.ts";
import { pathParts } from "../path-parts.ts";
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

  /** `setField`, with the path's parts split once per distinct path rather than on every call. */
  put(path: string, value: JsonValue): void {
    setFieldParts(this.doc, pathParts(path), value);
  }

  /** The single value at a path of the output document (undefined when absent). */
  get(path: string): JsonValue | undefined {
    const direct = directValue(this.doc, path);
    if (direct !== ARRAY_ON_PATH) return direct;
    const values = fieldValues(this.doc, path);
    return values.length === 0 ? undefined : values[0];
  }

  has(path: string): boolean {
    return this.get(path) !== undefined;
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

const ARRAY_ON_PATH = Symbol("array on path");

/**
 * What `fieldValues(doc, path)[0]` gives when no array lies on the path, else ARRAY_ON_PATH (the caller then takes
 * the general route). Only `put` builds the objects along a path (input values sit at leaves), and `put` never
 * creates a dotted key, so plain member access finds what `fieldValues` finds.
 */
function directValue(doc: Document, path: string): JsonValue | undefined | typeof ARRAY_ON_PATH {
  const parts = pathParts(path);
  let node: JsonValue | undefined = doc;
  for (let i = 0; i < parts.length; i++) {
    if (node === null || node === undefined) return undefined;
    if (Array.isArray(node)) return ARRAY_ON_PATH;
    if (typeof node !== "object") return undefined;
    node = Object.hasOwn(node, parts[i]) ? node[parts[i]] : undefined;
  }
  if (Array.isArray(node)) return ARRAY_ON_PATH;
  return node === null ? undefined : node;
}

function findValue(doc: Document, path: string): JsonValue | undefined {
  let node: JsonValue | undefined = doc;
  for (const part of pathParts(path)) {
    if (node === null || node === undefined || typeof node !== "object" || Array.isArray(node)) return undefined;
    node = node[part];
  }
  return node;
}
