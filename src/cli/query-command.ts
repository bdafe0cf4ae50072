/**
 * `trailwatch query`: an ad-hoc ES|QL query over CloudTrail files. `FROM logs-aws.cloudtrail-*` reads the inputs as
 * ECS documents; the query's leading filter runs as records arrive so only matching documents are kept.
 */
import type { Document } from "../doc/document.ts";
import { cloudtrailSchema, normalizeRecord } from "../ecs/index.ts";
import { cloudTrailCatalog, readsIndex } from "../engine/catalog.ts";
import { compileEsql, type EsqlResult } from "../lang/esql/index.ts";
import { readSources } from "../sources/index.ts";
import { loadEnricher, openOutput, problemReporter } from "./setup.ts";
import { UsageError } from "./usage-error.ts";

const INDEX = "logs-aws.cloudtrail-default";

export interface QueryCommandOptions {
  format: "table" | "ndjson" | "csv";
  output?: string;
  asnDb?: string;
  geoDb?: string;
}

export async function runQuery(esql: string, inputs: string[], opts: QueryCommandOptions): Promise<number> {
  const query = compileEsql(esql, cloudTrailCatalog(INDEX, cloudtrailSchema));
  if (!readsIndex(query.sources, INDEX)) {
    throw new UsageError(`FROM ${query.sources.join(", ")}: only logs-aws.cloudtrail-* can be read from the inputs`);
  }
  const enricher = await loadEnricher(opts.asnDb, opts.geoDb);
  const docs: Document[] = [];
  const problems = problemReporter();
  await readSources(inputs, {
    onRecord: (text) => {
      const doc = normalizeRecord(text);
      enricher.enrich(doc);
      if (!query.rowFilter || query.rowFilter(doc)) docs.push(doc);
    },
    onProblem: problems.report,
  });
  const result = query.run(docs, {
    now: new Date(),
    skipRowFilter: true,
    onWarning: (m) => process.stderr.write(`trailwatch: warning: ${m}\n`),
  });
  const out = openOutput(opts.output);
  out.write(formatResult(result, opts.format));
  await out.close();
  return problems.count ? 2 : 0;
}

export function formatResult(result: EsqlResult, format: QueryCommandOptions["format"]): string {
  const names = result.columns.map((c) => c.name);
  if (format === "ndjson") {
    return result.rows
      .map((row) => `${JSON.stringify(Object.fromEntries(names.map((n, i) => [n, row[i]])))}\n`)
      .join("");
  }
  const cell = (v: unknown): string =>
    v === null || v === undefined ? "" : Array.isArray(v) ? v.map(cell).join(", ") : String(v);
  if (format === "csv") {
    const quote = (s: string) => (/[",\n\r]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s);
    return [names, ...result.rows.map((r) => r.map(cell))].map((r) => `${r.map(quote).join(",")}\n`).join("");
  }
  // Values such as "Amazon.com, Inc." hold commas, so a table separates multivalues with semicolons.
  const tableCell = (v: unknown): string => (v === null ? "null" : Array.isArray(v) ? v.map(cell).join("; ") : cell(v));
  const table = [names, ...result.rows.map((r) => r.map(tableCell))];
  const widths = names.map((_, i) => Math.min(60, Math.max(...table.map((r) => r[i].length))));
  const line = (r: string[]) =>
    r.map((c, i) => (c.length > widths[i] ? `${c.slice(0, widths[i] - 1)}…` : c.padEnd(widths[i]))).join(" │ ");
  return (
    [line(names), widths.map((w) => "─".repeat(w)).join("─┼─"), ...table.slice(1).map(line)].join("\n") +
    `\n(${result.rows.length} row${result.rows.length === 1 ? "" : "s"})\n`
  );
}
