/** A recursive-descent parser for ES|QL, following Elasticsearch's grammar and operator precedence. */
import { QueryError } from "../errors.ts";
import type { AggregateField, BinaryOp, Command, EsqlQuery, Expr, Field, Name, SortKey, StringLiteral } from "./ast.ts";
import { Lexer, type Token } from "./lexer.ts";

const TIME_UNITS = new Set([
  "millisecond",
  "milliseconds",
  "ms",
  "second",
  "seconds",
  "sec",
  "s",
  "minute",
  "minutes",
  "min",
  "hour",
  "hours",
  "h",
  "day",
  "days",
  "d",
  "week",
  "weeks",
  "w",
  "month",
  "months",
  "mo",
  "quarter",
  "quarters",
  "q",
  "year",
  "years",
  "yr",
  "y",
]);

/** Commands Elasticsearch has that trailwatch does not run; named so the user learns why the query is refused. */
const UNSUPPORTED_COMMANDS = new Set([
  "ENRICH",
  "LOOKUP",
  "INLINESTATS",
  "INLINE",
  "FORK",
  "CHANGE_POINT",
  "COMPLETION",
  "SAMPLE",
  "RERANK",
  "JOIN",
  "SHOW",
  "META",
  "EXPLAIN",
  "TS",
  "FUSE",
  "INSIST",
  "METRICS",
  "FULL",
  "LEFT",
  "RIGHT",
]);

const COMPARISONS = new Set(["==", "!=", "<", "<=", ">", ">="]);

export function parseEsql(query: string): EsqlQuery {
  return new Parser(query).parseQuery();
}

class Parser {
  private readonly lex: Lexer;
  constructor(private readonly source: string) {
    this.lex = new Lexer(source);
  }

  private error(detail: string, offset: number): QueryError {
    return new QueryError("esql", "parse", detail, this.source, offset);
  }

  private isKeyword(t: Token, word: string): boolean {
    return t.type === "ident" && !t.backquoted && t.value.toUpperCase() === word;
  }

  private acceptKeyword(word: string): Token | undefined {
    const t = this.lex.peek();
    if (this.isKeyword(t, word)) return this.lex.next();
    return undefined;
  }

  private expectKeyword(word: string): Token {
    const t = this.lex.next();
    if (!this.isKeyword(t, word)) throw this.error(`mismatched input '${t.text || "<EOF>"}' expecting ${word}`, t.pos);
    return t;
  }

  private acceptOp(op: string): Token | undefined {
    const t = this.lex.peek();
    if (t.type === "op" && t.text === op) return this.lex.next();
    return undefined;
  }

  private expectOp(op: string): Token {
    const t = this.lex.next();
    if (t.type !== "op" || t.text !== op)
      throw this.error(`mismatched input '${t.text || "<EOF>"}' expecting '${op}'`, t.pos);
    return t;
  }

  parseQuery(): EsqlQuery {
    const commands: Command[] = [];
    commands.push(this.parseCommand(true));
    for (;;) {
      const t = this.lex.next();
      if (t.type === "eof") break;
      if (t.type !== "op" || t.text !== "|")
        throw this.error(`mismatched input '${t.text}' expecting {<EOF>, '|'}`, t.pos);
      commands.push(this.parseCommand(false));
    }
    return { source: this.source, commands };
  }

  private parseCommand(first: boolean): Command {
    const t = this.lex.next();
    if (t.type !== "ident" || t.backquoted)
      throw this.error(`mismatched input '${t.text || "<EOF>"}' expecting a command`, t.pos);
    const word = t.value.toUpperCase();
    const pos = t.pos;
    const sourceCommand = word === "FROM" || word === "ROW";
    if (UNSUPPORTED_COMMANDS.has(word))
      throw new QueryError(
        "esql",
        "verification",
        `command [${word}] is not supported by trailwatch`,
        this.source,
        pos,
      );
    if (first !== sourceCommand)
      throw this.error(
        first ? `a query must start with FROM or ROW, found [${t.value}]` : `[${word}] must be the first command`,
        pos,
      );
    const command = this.parseCommandBody(word, pos);
    return { ...command, end: this.lex.pos } as Command;
  }

  private parseCommandBody(word: string, pos: number): Command {
    const end = 0;
    switch (word) {
      case "FROM":
        return this.parseFrom(pos);
      case "ROW":
        return { kind: "ROW", pos, end, fields: this.parseFields() };
      case "WHERE":
        return { kind: "WHERE", pos, end, condition: this.parseExpr() };
      case "EVAL":
        return { kind: "EVAL", pos, end, fields: this.parseFields() };
      case "STATS":
        return this.parseStats(pos);
      case "KEEP":
      case "DROP":
        return { kind: word, pos, end, patterns: this.parseNameList() };
      case "RENAME":
        return this.parseRename(pos);
      case "SORT":
        return this.parseSort(pos);
      case "LIMIT": {
        const t = this.lex.next();
        if (t.type !== "number" || !/^\d+$/.test(t.text))
          throw this.error(`LIMIT expects an integer, found '${t.text}'`, t.pos);
        return { kind: "LIMIT", pos, end, count: Number(t.text) };
      }
      case "DISSECT": {
        const input = this.parsePrimary();
        const pattern = this.parseStringLiteral();
        let appendSeparator: string | undefined;
        const opt = this.lex.peek();
        if (opt.type === "ident" && !opt.backquoted && opt.value.toUpperCase() === "APPEND_SEPARATOR") {
          this.lex.next();
          this.expectOp("=");
          appendSeparator = this.parseStringLiteral().value;
        }
        return { kind: "DISSECT", pos, end, input, pattern, appendSeparator };
      }
      case "GROK":
        return { kind: "GROK", pos, end, input: this.parsePrimary(), pattern: this.parseStringLiteral() };
      case "MV_EXPAND":
        return { kind: "MV_EXPAND", pos, end, column: this.parseName() };
      default:
        throw this.error(`unknown command [${word}]`, pos);
    }
  }

  private parseFrom(pos: number): Command {
    const sources: Name[] = [];
    const metadata: Name[] = [];
    do {
      const t = this.lex.readIndexPattern();
      sources.push({ name: t.value, pos: t.pos, end: t.end });
    } while (this.acceptOp(","));
    if (this.acceptKeyword("METADATA")) {
      do metadata.push(this.parseName());
      while (this.acceptOp(","));
    }
    return { kind: "FROM", pos, end: 0, sources, metadata };
  }

  private parseStringLiteral(): StringLiteral {
    const t = this.lex.next();
    if (t.type !== "string") throw this.error(`expected a string, found '${t.text || "<EOF>"}'`, t.pos);
    return { value: t.value, tripleQuoted: !!t.tripleQuoted, pos: t.pos, end: t.end };
  }

  private parseName(): Name {
    const t = this.lex.readNamePattern();
    return { name: t.value, pos: t.pos, end: t.end, backquoted: t.backquoted };
  }

  private parseNameList(): Name[] {
    const names: Name[] = [];
    do names.push(this.parseName());
    while (this.acceptOp(","));
    return names;
  }

  private parseRename(pos: number): Command {
    const pairs: { from: Name; to: Name }[] = [];
    do {
      const first = this.parseName();
      if (this.acceptKeyword("AS")) pairs.push({ from: first, to: this.parseName() });
      else {
        this.expectOp("=");
        pairs.push({ from: this.parseName(), to: first });
      }
    } while (this.acceptOp(","));
    return { kind: "RENAME", pos, end: 0, pairs };
  }

  private parseSort(pos: number): Command {
    const keys: SortKey[] = [];
    do {
      const key: SortKey = { expr: this.parseExpr() };
      if (this.acceptKeyword("ASC")) key.order = "ASC";
      else if (this.acceptKeyword("DESC")) key.order = "DESC";
      if (this.acceptKeyword("NULLS")) {
        if (this.acceptKeyword("FIRST")) key.nulls = "FIRST";
        else if (this.acceptKeyword("LAST")) key.nulls = "LAST";
        else throw this.error("expecting FIRST or LAST after NULLS", this.lex.peek().pos);
      }
      keys.push(key);
    } while (this.acceptOp(","));
    return { kind: "SORT", pos, end: 0, keys };
  }

  private parseStats(pos: number): Command {
    const aggregates: AggregateField[] = [];
    const groups: Field[] = [];
    if (!this.isKeyword(this.lex.peek(), "BY") && !this.atCommandEnd()) {
      do {
        const field: AggregateField = this.parseField();
        if (this.acceptKeyword("WHERE")) {
          field.filter = this.parseExpr();
          field.end = field.filter.end;
        }
        aggregates.push(field);
      } while (this.acceptOp(","));
    }
    if (this.acceptKeyword("BY")) groups.push(...this.parseFields());
    if (aggregates.length === 0 && groups.length === 0) throw this.error("STATS needs aggregates or BY groups", pos);
    return { kind: "STATS", pos, end: 0, aggregates, groups };
  }

  private atCommandEnd(): boolean {
    const t = this.lex.peek();
    return t.type === "eof" || (t.type === "op" && t.text === "|");
  }

  private parseFields(): Field[] {
    const fields: Field[] = [];
    do fields.push(this.parseField());
    while (this.acceptOp(","));
    return fields;
  }

  private parseField(): Field {
    const save = this.lex.pos;
    const t = this.lex.next();
    if (t.type === "ident") {
      const eq = this.lex.peek();
      if (eq.type === "op" && eq.text === "=") {
        this.lex.next();
        const expr = this.parseExpr();
        return { name: t.value, namePos: t.pos, expr, pos: t.pos, end: expr.end };
      }
    }
    this.lex.pos = save;
    const expr = this.parseExpr();
    return { name: this.source.slice(expr.pos, expr.end), namePos: expr.pos, expr, pos: expr.pos, end: expr.end };
  }

  parseExpr(): Expr {
    return this.parseOr();
  }

  private parseOr(): Expr {
    let left = this.parseAnd();
    while (this.acceptKeyword("OR")) {
      const right = this.parseAnd();
      left = { kind: "binary", op: "OR", left, right, pos: left.pos, end: right.end };
    }
    return left;
  }

  private parseAnd(): Expr {
    let left = this.parseNot();
    while (this.acceptKeyword("AND")) {
      const right = this.parseNot();
      left = { kind: "binary", op: "AND", left, right, pos: left.pos, end: right.end };
    }
    return left;
  }

  private parseNot(): Expr {
    const not = this.acceptKeyword("NOT");
    if (not) {
      const operand = this.parseNot();
      return { kind: "not", operand, pos: not.pos, end: operand.end };
    }
    return this.parsePredicate();
  }

  private parsePredicate(): Expr {
    const left = this.parseAdditive();
    const t = this.lex.peek();
    if (t.type === "op" && COMPARISONS.has(t.text)) {
      this.lex.next();
      const right = this.parseAdditive();
      return { kind: "binary", op: t.text as BinaryOp, left, right, pos: left.pos, end: right.end };
    }
    if (this.isKeyword(t, "IS")) {
      this.lex.next();
      const negated = !!this.acceptKeyword("NOT");
      const nul = this.expectKeyword("NULL");
      return { kind: "isnull", negated, operand: left, pos: left.pos, end: nul.end };
    }
    const save = this.lex.pos;
    const negated = !!this.acceptKeyword("NOT");
    const op = this.lex.peek();
    if (this.isKeyword(op, "IN")) {
      this.lex.next();
      this.expectOp("(");
      const list: Expr[] = [];
      do list.push(this.parseExpr());
      while (this.acceptOp(","));
      const close = this.expectOp(")");
      return { kind: "in", negated, value: left, list, pos: left.pos, end: close.end };
    }
    if (this.isKeyword(op, "LIKE") || this.isKeyword(op, "RLIKE")) {
      this.lex.next();
      const patterns: StringLiteral[] = [];
      let end: number;
      if (this.acceptOp("(")) {
        do patterns.push(this.parseStringLiteral());
        while (this.acceptOp(","));
        end = this.expectOp(")").end;
      } else {
        patterns.push(this.parseStringLiteral());
        end = patterns[0].end;
      }
      return {
        kind: "like",
        op: op.value.toUpperCase() as "LIKE" | "RLIKE",
        negated,
        value: left,
        patterns,
        pos: left.pos,
        end,
      };
    }
    if (negated) {
      this.lex.pos = save;
      const bad = this.lex.peek();
      throw this.error(`mismatched input '${bad.text}' expecting {IN, LIKE, RLIKE} after NOT`, bad.pos);
    }
    return left;
  }

  private parseAdditive(): Expr {
    let left = this.parseMultiplicative();
    for (;;) {
      const t = this.lex.peek();
      if (t.type !== "op" || (t.text !== "+" && t.text !== "-")) return left;
      this.lex.next();
      const right = this.parseMultiplicative();
      left = { kind: "binary", op: t.text, left, right, pos: left.pos, end: right.end };
    }
  }

  private parseMultiplicative(): Expr {
    let left = this.parseUnary();
    for (;;) {
      const t = this.lex.peek();
      if (t.type !== "op" || (t.text !== "*" && t.text !== "/" && t.text !== "%")) return left;
      this.lex.next();
      const right = this.parseUnary();
      left = { kind: "binary", op: t.text, left, right, pos: left.pos, end: right.end };
    }
  }

  private parseUnary(): Expr {
    const t = this.lex.peek();
    if (t.type === "op" && (t.text === "-" || t.text === "+")) {
      this.lex.next();
      const operand = this.parseUnary();
      if (t.text === "+") return operand;
      if (operand.kind === "literal" && typeof operand.value === "number")
        return { ...operand, value: -operand.value, pos: t.pos };
      if (operand.kind === "timespan") return { ...operand, amount: -operand.amount, pos: t.pos };
      return { kind: "neg", operand, pos: t.pos, end: operand.end };
    }
    let expr = this.parsePrimary();
    while (this.acceptOp("::")) {
      const type = this.lex.next();
      if (type.type !== "ident") throw this.error(`expected a type name after '::'`, type.pos);
      expr = { kind: "cast", operand: expr, target: type.value.toLowerCase(), pos: expr.pos, end: type.end };
    }
    return expr;
  }

  private parsePrimary(): Expr {
    const t = this.lex.next();
    switch (t.type) {
      case "number": {
        const unit = this.lex.peek();
        const amount = Number(t.text);
        if (unit.type === "ident" && !unit.backquoted && TIME_UNITS.has(unit.value.toLowerCase())) {
          this.lex.next();
          if (!Number.isInteger(amount))
            throw this.error(`a time span needs an integer amount, found [${t.text}]`, t.pos);
          return { kind: "timespan", amount, unit: unit.value.toLowerCase(), pos: t.pos, end: unit.end };
        }
        const isInt = /^\d+$/.test(t.text);
        const type = !isInt ? "double" : amount <= 2147483647 ? "integer" : "long";
        return { kind: "literal", value: amount, type, pos: t.pos, end: t.end };
      }
      case "string":
        return {
          kind: "literal",
          value: t.value,
          type: "keyword",
          tripleQuoted: t.tripleQuoted,
          pos: t.pos,
          end: t.end,
        };
      case "ident": {
        if (!t.backquoted) {
          const upper = t.value.toUpperCase();
          if (upper === "NULL") return { kind: "literal", value: null, type: "null", pos: t.pos, end: t.end };
          if (upper === "TRUE" || upper === "FALSE")
            return { kind: "literal", value: upper === "TRUE", type: "boolean", pos: t.pos, end: t.end };
          const paren = this.lex.peek();
          if (paren.type === "op" && paren.text === "(" && !t.value.includes(".")) return this.parseCall(t);
        }
        return { kind: "column", name: t.value, backquoted: !!t.backquoted, pos: t.pos, end: t.end };
      }
      case "op":
        if (t.text === "(") {
          const inner = this.parseExpr();
          const close = this.expectOp(")");
          return { ...inner, pos: t.pos, end: close.end };
        }
        if (t.text === "[") return this.parseListLiteral(t);
        break;
      case "eof":
        break;
    }
    throw this.error(`mismatched input '${t.text || "<EOF>"}' expecting an expression`, t.pos);
  }

  private parseCall(nameToken: Token): Expr {
    this.expectOp("(");
    const args: Expr[] = [];
    let star = false;
    if (this.acceptOp("*")) star = true;
    else if (!this.acceptOp(")")) {
      do args.push(this.parseExpr());
      while (this.acceptOp(","));
    } else {
      return { kind: "call", name: nameToken.value.toUpperCase(), args, star, pos: nameToken.pos, end: this.lex.pos };
    }
    const close = this.expectOp(")");
    return { kind: "call", name: nameToken.value.toUpperCase(), args, star, pos: nameToken.pos, end: close.end };
  }

  private parseListLiteral(open: Token): Expr {
    const items: Expr[] = [];
    if (!this.acceptOp("]")) {
      do items.push(this.parseUnary());
      while (this.acceptOp(","));
      this.expectOp("]");
    }
    const values = items.map((item) => {
      if (item.kind !== "literal" || item.value === null || Array.isArray(item.value))
        throw this.error("a list literal holds only constants", item.pos);
      return item.value;
    });
    const types = new Set(items.map((i) => (i.kind === "literal" ? i.type : "null")));
    const type = types.has("double") ? "double" : types.has("long") ? "long" : ([...types][0] ?? "null");
    return {
      kind: "literal",
      value: values.length === 0 ? null : values.length === 1 ? values[0] : values,
      type,
      pos: open.pos,
      end: this.lex.pos,
    };
  }
}
