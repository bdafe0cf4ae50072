/**
 * Compiles a KQL query once into a predicate over documents, with the detection engine's semantics: Kibana turns
 * each clause into an Elasticsearch query without knowing field types (`match`, `match_phrase`, `query_string` for
 * wildcards, `exists`, `range`), and Elasticsearch then applies the mapping; here the Schema plays the mapping.
 * Multi-valued fields match when any value matches; `not` is plain negation, so `not f:v` also matches documents
 * without `f`.
 */
import { type Document, fieldReader, flattenDocument, type JsonValue } from "../../doc/document.ts";
import type { Schema } from "../../doc/schema.ts";
import { QueryError } from "../errors.ts";
import { fieldName, type KqlLiteral, type KqlNode } from "./ast.ts";
import { type FieldAccess, resolveField, type Scalar } from "./fields.ts";
import { globMatcher } from "./glob.ts";
import { existsTest, isTest, type MatchOptions, rangeTest, ValueRejected, type ValueTest } from "./matchers.ts";
import { parseKql, querySource } from "./parser.ts";

export type KqlPredicate = (doc: Document) => boolean;

export interface KqlCompileOptions {
  /** See MatchOptions.splitWildcardOnWhitespace; default true (Kibana's query_string behaviour). */
  splitWildcardOnWhitespace?: boolean;
  /** Epoch milliseconds for `now` in date math; default the time of compilation. */
  now?: number;
}

/**
 * Compiles a query (text or parsed) into a predicate. Throws QueryError("kql", "parse") for bad syntax and
 * QueryError("kql", "verification") for a value a field's type cannot read (`source.ip: foo`, `source.as.number:
 * x*`), where Elasticsearch would fail the search.
 */
export function compileKql(query: string | KqlNode, schema: Schema, options: KqlCompileOptions = {}): KqlPredicate {
  const node = typeof query === "string" ? parseKql(query) : query;
  const source = typeof query === "string" ? query : (querySource(node) ?? "");
  const compiler = new Compiler(schema, source, {
    splitWildcardOnWhitespace: options.splitWildcardOnWhitespace ?? true,
    now: options.now ?? Date.now(),
  });
  return compiler.compile(node, "");
}

class Compiler {
  constructor(
    private readonly schema: Schema,
    private readonly source: string,
    private readonly options: MatchOptions,
  ) {}

  /** `prefix` is the nested path (with a trailing dot) that field names inside `path:{…}` are relative to. */
  compile(node: KqlNode, prefix: string): KqlPredicate {
    switch (node.type) {
      case "and": {
        const parts = node.children.map((child) => this.compile(child, prefix));
        return (doc) => parts.every((part) => part(doc));
      }
      case "or": {
        const parts = node.children.map((child) => this.compile(child, prefix));
        return (doc) => parts.some((part) => part(doc));
      }
      case "not": {
        const inner = this.compile(node.child, prefix);
        return (doc) => !inner(doc);
      }
      case "matchAll":
        return () => true;
      case "is":
        if (node.field === null) return this.freeText(node.value, prefix);
        return this.onFields(node.field, prefix, (access) => isTest(access.kind, node.value, this.options), node.value);
      case "exists":
        return this.onFields(node.field, prefix, (access) => existsTest(access.kind), node.field);
      case "range":
        return this.onFields(
          node.field,
          prefix,
          (access) => rangeTest(access.kind, node.op, node.value, this.options),
          node.value,
        );
      case "nested":
        return this.nested(node.path, node.query, prefix);
    }
  }

  /**
   * A clause on one field, or on every mapped field a wildcard field name matches. An explicit field rejects a value
   * its type cannot read; expanded fields skip it, as Elasticsearch's lenient field expansion does.
   */
  private onFields(
    field: KqlLiteral,
    prefix: string,
    buildTest: (access: FieldAccess) => ValueTest,
    blame: KqlLiteral,
  ): KqlPredicate {
    if (!field.wildcard) {
      const name = fieldName(field);
      const access = resolveField(prefix + name, this.schema, name);
      return anyValue(
        access.read,
        this.rejectAsError(() => buildTest(access), blame),
      );
    }
    const pattern = globMatcher([prefix + field.wildcard[0], ...field.wildcard.slice(1)]);
    const parts: KqlPredicate[] = [];
    for (const path of this.schema.fields()) {
      if (!pattern(path)) continue;
      const access = resolveField(path, this.schema, path.slice(prefix.length));
      const test = lenient(() => buildTest(access));
      if (test) parts.push(anyValue(access.read, test));
    }
    return (doc) => parts.some((part) => part(doc));
  }

  /** A value without a field matches any field of the document (Kibana's multi_match / query_string, lenient). */
  private freeText(value: KqlLiteral, prefix: string): KqlPredicate {
    const constantHit = this.schema
      .fields()
      .filter((path) => path.startsWith(prefix))
      .some((path) => {
        const access = resolveField(path, this.schema, path.slice(prefix.length));
        if (access.kind !== "constant") return false;
        const test = lenient(() => isTest(access.kind, value, this.options));
        return test !== undefined && access.read({}).some(test);
      });
    if (constantHit) return () => true;
    const tests = new Map<string, ValueTest | undefined>();
    const testFor = (path: string): ValueTest | undefined => {
      if (!tests.has(path)) {
        const access = resolveField(prefix + path, this.schema, path);
        tests.set(
          path,
          access.kind === "constant" ? undefined : lenient(() => isTest(access.kind, value, this.options)),
        );
      }
      return tests.get(path);
    };
    return (doc) => {
      for (const [path, values] of flattenDocument(doc)) {
        const test = testFor(path);
        if (test && values.some((v) => typeof v !== "object" && test(v as Scalar))) return true;
      }
      return false;
    };
  }

  /** `path:{ query }`: the inner query must match within a single object of `path`. */
  private nested(path: KqlLiteral, query: KqlNode, prefix: string): KqlPredicate {
    const name = fieldName(path);
    const read = fieldReader(name);
    const inner = this.compile(query, `${prefix}${name}.`);
    return (doc) => read(doc).some((item) => isObject(item) && inner(item));
  }

  private rejectAsError(build: () => ValueTest, blame: KqlLiteral): ValueTest {
    try {
      return build();
    } catch (error) {
      if (!(error instanceof ValueRejected)) throw error;
      throw new QueryError("kql", "verification", error.message, this.source, blame.offset);
    }
  }
}

function lenient(build: () => ValueTest): ValueTest | undefined {
  try {
    return build();
  } catch (error) {
    if (error instanceof ValueRejected) return undefined;
    throw error;
  }
}

function anyValue(read: (doc: Document) => Scalar[], test: ValueTest): KqlPredicate {
  return (doc) => {
    for (const value of read(doc)) if (test(value)) return true;
    return false;
  };
}

function isObject(value: JsonValue): value is Document {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}
