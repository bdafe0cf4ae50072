/** The parse tree of an ES|QL query. Every node keeps its source offsets for error positions and column names. */
import type { DataType, Value } from "./values.ts";

export interface Span {
  pos: number;
  end: number;
}

export type Expr =
  | (Span & { kind: "literal"; value: Value; type: DataType; tripleQuoted?: boolean })
  | (Span & { kind: "timespan"; amount: number; unit: string })
  | (Span & { kind: "column"; name: string; backquoted: boolean })
  | (Span & { kind: "call"; name: string; args: Expr[]; star: boolean })
  | (Span & { kind: "neg"; operand: Expr })
  | (Span & { kind: "not"; operand: Expr })
  | (Span & { kind: "binary"; op: BinaryOp; left: Expr; right: Expr })
  | (Span & { kind: "in"; negated: boolean; value: Expr; list: Expr[] })
  | (Span & { kind: "like"; op: "LIKE" | "RLIKE"; negated: boolean; value: Expr; patterns: StringLiteral[] })
  | (Span & { kind: "isnull"; negated: boolean; operand: Expr })
  | (Span & { kind: "cast"; operand: Expr; target: string });

export type BinaryOp = "+" | "-" | "*" | "/" | "%" | "==" | "!=" | "<" | "<=" | ">" | ">=" | "AND" | "OR";

export interface StringLiteral extends Span {
  value: string;
  tripleQuoted: boolean;
}

export interface Name extends Span {
  name: string;
  backquoted?: boolean;
}

/** `name = expr`, or a bare expression (its column is named after its source text). */
export interface Field extends Span {
  name: string;
  namePos: number;
  expr: Expr;
}

export interface AggregateField extends Field {
  filter?: Expr;
}

export interface SortKey {
  expr: Expr;
  order?: "ASC" | "DESC";
  nulls?: "FIRST" | "LAST";
}

export type Command =
  | (Span & { kind: "FROM"; sources: Name[]; metadata: Name[] })
  | (Span & { kind: "ROW"; fields: Field[] })
  | (Span & { kind: "WHERE"; condition: Expr })
  | (Span & { kind: "EVAL"; fields: Field[] })
  | (Span & { kind: "STATS"; aggregates: AggregateField[]; groups: Field[] })
  | (Span & { kind: "KEEP"; patterns: Name[] })
  | (Span & { kind: "DROP"; patterns: Name[] })
  | (Span & { kind: "RENAME"; pairs: { from: Name; to: Name }[] })
  | (Span & { kind: "SORT"; keys: SortKey[] })
  | (Span & { kind: "LIMIT"; count: number })
  | (Span & { kind: "DISSECT"; input: Expr; pattern: StringLiteral; appendSeparator?: string })
  | (Span & { kind: "GROK"; input: Expr; pattern: StringLiteral })
  | (Span & { kind: "MV_EXPAND"; column: Name });

export interface EsqlQuery {
  source: string;
  commands: Command[];
}
