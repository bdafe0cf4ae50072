import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { QueryError } from "../../../src/lang/errors.ts";
import { type KqlLiteral, type KqlNode, parseKql } from "../../../src/lang/kql/index.ts";

/** A compact rendering of a tree: `and(f:v, not(g:*))`, quoted values in quotes, wildcards as written. */
function show(node: KqlNode): string {
  const lit = (l: KqlLiteral) => (l.quoted ? JSON.stringify(l.value) : String(l.value));
  switch (node.type) {
    case "and":
    case "or":
      return `${node.type}(${node.children.map(show).join(", ")})`;
    case "not":
      return `not(${show(node.child)})`;
    case "is":
      return node.field ? `${lit(node.field)}:${lit(node.value)}` : lit(node.value);
    case "exists":
      return `${lit(node.field)}:*`;
    case "range":
      return `${lit(node.field)} ${node.op} ${lit(node.value)}`;
    case "nested":
      return `${lit(node.path)}:{${show(node.query)}}`;
    case "matchAll":
      return "ALL";
  }
}

function value(query: string): KqlLiteral {
  const node = parseKql(query);
  assert.equal(node.type, "is");
  if (node.type !== "is") throw new Error("not an is node");
  return node.value;
}

function parseError(query: string): QueryError {
  try {
    parseKql(query);
  } catch (error) {
    assert.ok(error instanceof QueryError);
    return error;
  }
  throw new Error(`expected a parse error for ${query}`);
}

describe("KQL grammar: boolean structure", () => {
  it("binds not tighter than and, and tighter than or", () => {
    assert.equal(show(parseKql("a:1 or b:2 and c:3")), "or(a:1, and(b:2, c:3))");
    assert.equal(show(parseKql("not a:1 and b:2")), "and(not(a:1), b:2)");
    assert.equal(show(parseKql("(a:1 or b:2) and c:3")), "and(or(a:1, b:2), c:3)");
    assert.equal(show(parseKql("not (a:1 or b:2)")), "not(or(a:1, b:2))");
  });

  it("reads keywords in any case", () => {
    assert.equal(show(parseKql("a:1 AND b:2 Or NOT c:3")), "or(and(a:1, b:2), not(c:3))");
  });

  it("needs whitespace around and/or and after not", () => {
    assert.equal(show(parseKql("a:x\tand\nb:y")), "and(a:x, b:y)");
    parseError("not(a:1)");
    parseError("a:(x)and b:y");
    // Without spaces the word is part of the value.
    assert.equal(show(parseKql("a:xandy")), "a:xandy");
    assert.equal(show(parseKql("a:x or")), "a:x or");
  });

  it("does not allow a double not (Kibana's grammar has one optional not)", () => {
    parseError("not not a:1");
  });

  it("reads the empty query and *:* as match-all", () => {
    assert.equal(show(parseKql("")), "ALL");
    assert.equal(show(parseKql("   ")), "ALL");
    assert.equal(show(parseKql("*:*")), "ALL");
    assert.equal(show(parseKql("*")), "ALL");
  });
});

describe("KQL grammar: values", () => {
  it("trims unquoted values and keeps their inner spaces", () => {
    assert.equal(value("message:  hello   world  ").value, "hello   world");
    assert.equal(show(parseKql("a:hello world and b:2")), "and(a:hello world, b:2)");
  });

  it("decodes escapes in unquoted values", () => {
    assert.equal(value(String.raw`a:x\:y\(z\)\\\"\<\>\{\}`).value, 'x:y(z)\\"<>{}');
    assert.equal(value(String.raw`a:\u0041b`).value, "Ab");
    assert.equal(value(String.raw`a:x\tb`).value, "x\tb");
    assert.equal(value(String.raw`a:x \and y`).value, "x and y");
    assert.equal(value(String.raw`a:\OR`).value, "OR");
    // \n is an escaped newline before it is an escaped keyword.
    assert.equal(value(String.raw`a:x\not`).value, "x\not");
  });

  it("makes unescaped * a wildcard, anywhere, and escaped \\* a literal star", () => {
    assert.deepEqual(value("a:*mid*dle*").wildcard, ["", "mid", "dle", ""]);
    assert.deepEqual(value("a:pre*").wildcard, ["pre", ""]);
    assert.deepEqual(value("a:a*b").wildcard, ["a", "b"]);
    const escaped = value(String.raw`a:a\*b`);
    assert.equal(escaped.wildcard, undefined);
    assert.equal(escaped.value, "a*b");
    assert.deepEqual(value(String.raw`a:\**`).wildcard, ["*", ""]);
  });

  it("never makes a quoted value a wildcard, and decodes quoted escapes", () => {
    const quoted = value('a:"x*y"');
    assert.equal(quoted.quoted, true);
    assert.equal(quoted.wildcard, undefined);
    assert.equal(quoted.value, "x*y");
    assert.equal(value(String.raw`a:"say \"hi\" \\ \n\u0041"`).value, 'say "hi" \\ \nA');
    // Other backslashes are ordinary characters inside quotes, and special characters need no escape.
    assert.equal(value(String.raw`a:"c:\temp\x (1)"`).value, "c:\temp\\x (1)");
  });

  it("reads bare true, false and null as literals, but not quoted ones", () => {
    assert.equal(value("a:true").value, true);
    assert.equal(value("a:false").value, false);
    assert.equal(value("a:null").value, null);
    assert.equal(value('a:"true"').value, "true");
    assert.equal(value("a:True").value, "True");
  });

  it("keeps numbers as text (the field type decides)", () => {
    assert.equal(value("a:007").value, "007");
  });

  it("reads field:* as exists, and ** as a wildcard", () => {
    assert.equal(show(parseKql("a.b:*")), "a.b:*");
    assert.equal(parseKql("a.b: * ").type, "exists");
    assert.deepEqual(value("a:**").wildcard, ["", "", ""]);
    assert.equal(value('a:"*"').value, "*");
  });

  it("reads values with no field as free text", () => {
    const node = parseKql('"quoted phrase"');
    assert.equal(node.type === "is" && node.field, null);
    assert.equal(show(parseKql("foo or bar*")), "or(foo, bar*)");
  });
});

describe("KQL grammar: fields, lists, ranges, nested", () => {
  it("distributes a field over a value list with and/or/not and nested parentheses", () => {
    const node = parseKql("f:(a or b and not (c or d*) or *)");
    assert.equal(show(node), "or(f:a, and(f:b, not(or(f:c, f:d*))), f:*)");
    assert.equal(node.valueList, true);
    assert.equal(node.inList, true);
    assert.equal(show(parseKql("f:(a)")), "f:a");
    assert.equal(show(parseKql('f:( "x y"  )')), 'f:"x y"');
  });

  it("accepts quoted field names, spaces around the colon and wildcard field names", () => {
    assert.equal(show(parseKql('"user.name" : x')), '"user.name":x');
    const node = parseKql("user.*:x");
    assert.ok(node.type === "is" && node.field?.wildcard);
  });

  it("reads ranges with all four operators", () => {
    assert.equal(show(parseKql("a<5")), "a lt 5");
    assert.equal(show(parseKql("a <= 5")), "a lte 5");
    assert.equal(show(parseKql("a > 5 and a >= 1")), "and(a gt 5, a gte 1)");
    assert.equal(show(parseKql('@timestamp < "2024-01-01T00:00:00Z"')), '@timestamp lt "2024-01-01T00:00:00Z"');
  });

  it("reads nested queries", () => {
    assert.equal(show(parseKql("items:{ name:a and qty > 2 }")), "items:{and(name:a, qty gt 2)}");
    assert.equal(show(parseKql("a:{ b:{ c:1 } }")), "a:{b:{c:1}}");
  });

  it("keeps literal offsets and source text", () => {
    const node = parseKql(String.raw`x:1 and user.id: *\:i-*`);
    assert.ok(node.type === "and");
    const second = node.type === "and" ? node.children[1] : node;
    assert.ok(second.type === "is");
    if (second.type === "is") {
      assert.equal(second.value.raw, String.raw`*\:i-*`);
      assert.equal(second.value.offset, 17);
      assert.equal(second.field?.offset, 8);
    }
  });
});

describe("KQL grammar: errors", () => {
  it("reports the offset, line, column and what was expected", () => {
    const error = parseError("a:1 and\n  b:(x or");
    assert.equal(error.kind, "parse");
    assert.equal(error.language, "kql");
    assert.equal(error.line, 2);
    assert.equal(error.column, 10);
    assert.match(error.detail, /^expected .*"\)".* but end of input found$/);
    assert.equal(error.pretty().split("\n")[1], "    b:(x or");
    assert.equal(error.pretty().split("\n")[2], `  ${" ".repeat(9)}^`);
  });

  it("rejects an unterminated quote, a stray parenthesis and a bad escape", () => {
    assert.match(parseError('a:"abc').detail, /expected/);
    assert.equal(parseError("a:1)").column, 4);
    assert.equal(parseError(String.raw`a:x\y`).column, 4);
  });

  it("parses deep parentheses, and reports nesting beyond the stack as a query error", () => {
    assert.equal(show(parseKql(`${"(".repeat(200)}a:1${")".repeat(200)}`)), "a:1");
    assert.match(parseError(`${"(".repeat(200_000)}a:1${")".repeat(200_000)}`).detail, /nests too deeply/);
  });

  it("stops an unquoted value at 'not ', as Kibana's keyword lookahead does", () => {
    const error = parseError("message:cannot be");
    assert.equal(error.column, 12);
    assert.match(error.detail, /but "n" found/);
  });
});
