/** KQL (Kibana Query Language) as Elastic's detection engine runs it, over documents instead of an index. */

export { kqlFields, kqlRequiredValues } from "./analysis.ts";
export type { KqlLiteral, KqlNode, KqlRangeOp } from "./ast.ts";
export { compileKql, type KqlCompileOptions, type KqlPredicate } from "./compile.ts";
export { parseKql } from "./parser.ts";
