/**
 * The KQL census's feature counts (../shared/reference/elastic-detection-rules/kql-census.json), recomputed from our
 * parse trees. Syntactic features come from the tree and its syntax marks; `\:` escapes are lexical and are counted
 * in the literals' source text.
 */
import type { KqlLiteral, KqlNode } from "../../../src/lang/kql/index.ts";

export type FeatureCounts = Record<string, number>;

export function censusFeatures(root: KqlNode): FeatureCounts {
  const counts: FeatureCounts = {};
  const add = (feature: string, n = 1) => {
    if (n > 0) counts[feature] = (counts[feature] ?? 0) + n;
  };
  const literal = (lit: KqlLiteral) => add("escaped char \\:", lit.raw.split("\\:").length - 1);
  const value = (lit: KqlLiteral) => {
    literal(lit);
    if (lit.quoted) {
      add('quoted value "..."');
      return;
    }
    add("unquoted value");
    if (typeof lit.value === "boolean") add("boolean-looking value");
    if (typeof lit.value === "string" && /^\d+(\.\d+)?$/.test(lit.value)) add("numeric-looking value");
    if (typeof lit.value === "string" && /\s/.test(lit.value)) add("unquoted value containing space");
    const parts = lit.wildcard;
    if (!parts) return;
    add("unquoted wildcard value");
    const leading = parts[0] === "";
    const trailing = parts[parts.length - 1] === "";
    if (leading && trailing) add("wildcard *contains*");
    else if (leading) add("wildcard *suffix (leading *)");
    else if (trailing) add("wildcard prefix* (trailing *)");
    else add("wildcard infix a*b");
    if (parts.length > 3) add("wildcard with >1 inner *");
  };
  const walk = (node: KqlNode, inList: boolean): void => {
    const grouped = (node.parens ?? 0) > 0;
    if (node.inList) {
      if (grouped && !node.valueList) add("nested parentheses inside value list");
    } else if (grouped) {
      add("parenthesised group (query level)");
    }
    if (node.valueList) add("value list field:( )");
    switch (node.type) {
      case "and":
      case "or": {
        const where = node.inList ? `${node.type} inside value list` : `${node.type.toUpperCase()} (query level)`;
        add(where, node.children.length - 1);
        for (const child of node.children) walk(child, inList || Boolean(node.inList));
        return;
      }
      case "not":
        if (node.inList) add("not inside value list");
        else if ((node.child.parens ?? 0) > 0 && !node.child.valueList) add("not ( group )");
        else add("not field:value");
        walk(node.child, inList);
        return;
      case "is":
        if (node.field) literal(node.field);
        value(node.value);
        return;
      case "exists":
        literal(node.field);
        // The census counts the `*` of `field:*` as an unquoted value too.
        add("unquoted value");
        add(node.inList ? "* inside value list (exists)" : "exists field:*");
        return;
      case "range":
        literal(node.field);
        value(node.value);
        return;
      case "nested":
        literal(node.path);
        walk(node.query, inList);
        return;
      case "matchAll":
        return;
    }
  };
  walk(root, false);
  return counts;
}
