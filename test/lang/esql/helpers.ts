/** Shared test fixtures: small schemas, catalogs and a query runner. */
import type { Document } from "../../../src/doc/document.ts";
import { type FieldSpec, mapSchema } from "../../../src/doc/schema.ts";
import { type Catalog, compileEsql, type EsqlResult, type RunContext } from "../../../src/lang/esql/index.ts";

export const CLOUDTRAIL_FIELDS: Record<string, FieldSpec> = {
  "@timestamp": { type: "date" },
  "event.ingested": { type: "date" },
  "event.action": { type: "keyword" },
  "event.provider": { type: "keyword" },
  "event.outcome": { type: "keyword" },
  "event.category": { type: "keyword" },
  "event.dataset": { type: "keyword" },
  "data_stream.dataset": { type: "constant_keyword", constant: "aws.cloudtrail" },
  "data_stream.namespace": { type: "keyword" },
  "user.name": { type: "keyword" },
  "user.target.name": { type: "keyword" },
  "user_agent.original": { type: "keyword" },
  "source.ip": { type: "ip" },
  "source.address": { type: "keyword" },
  "source.as.number": { type: "long" },
  "source.geo.location": { type: "geo_point" },
  "source.as.organization.name": { type: "keyword" },
  "cloud.account.id": { type: "keyword" },
  "cloud.region": { type: "keyword" },
  "aws.cloudtrail.user_identity.type": { type: "keyword" },
  "aws.cloudtrail.user_identity.arn": { type: "keyword" },
  "aws.cloudtrail.user_identity.access_key_id": { type: "keyword" },
  "aws.cloudtrail.request_parameters": { type: "keyword", ignoreAbove: 8191 },
  "aws.cloudtrail.response_elements": { type: "keyword", ignoreAbove: 8191 },
  "aws.cloudtrail.resources.arn": { type: "keyword" },
  "aws.cloudtrail.read_only": { type: "boolean" },
  "aws.cloudtrail.flattened.request_parameters": { type: "flattened" },
  message: { type: "text" },
  bytes: { type: "long" },
  ratio: { type: "double" },
  count: { type: "integer" },
};

export const cloudtrailSchema = mapSchema(CLOUDTRAIL_FIELDS);

export const catalog: Catalog = {
  resolve: (pattern) => (pattern.startsWith("logs-aws.cloudtrail") || pattern === "*" ? cloudtrailSchema : undefined),
};

export const NOW = new Date("2026-05-01T12:00:00.000Z");

export function run(query: string, docs: Document[], ctx: Partial<RunContext> = {}): EsqlResult {
  return compileEsql(query, catalog).run(docs, { now: NOW, ...ctx });
}

/** Result rows as objects keyed by column name. */
export function records(result: EsqlResult): Record<string, unknown>[] {
  return result.rows.map((row) => Object.fromEntries(result.columns.map((c, i) => [c.name, row[i]])));
}

/** Runs a query and collects its warnings too. */
export function runWithWarnings(query: string, docs: Document[]): { result: EsqlResult; warnings: string[] } {
  const warnings: string[] = [];
  const result = run(query, docs, { onWarning: (m) => warnings.push(m) });
  return { result, warnings };
}

/** `ROW …` queries need no documents. */
export function row(query: string): Record<string, unknown> {
  return records(run(query, []))[0];
}
