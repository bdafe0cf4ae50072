/**
 * `trailwatch query`: an ad-hoc ES|QL query over local files. The FROM index decides what the inputs are:
 * `logs-aws.cloudtrail-*` reads them as CloudTrail and normalizes each record to its ECS document (the query's
 * leading filter runs as records arrive so only matching documents are kept); `.alerts-security.*` reads them as
 * alerts that `trailwatch scan` wrote (NDJSON or a JSON array).
 */
import type { AlertDocument } from "../alerts/build.ts";
import { type Document, fieldValues } from "../doc/document.ts";
import { cloudtrailSchema, normalizeRecord } from "../ecs/index.ts";
import { ALERTS_INDEX, alertDocument, alertsSchema } from "../engine/alerts-index.ts";
import { indicesCatalog, readsIndex } from "../engine/catalog.ts";
import { type CompiledEsql, compileEsql, type EsqlResult } from "../lang/esql/index.ts";
import { readSources } from "../sources/index.ts";
import { loadEnricher, openOutput, pipelineTags, problemReporter } from "./setup.ts";
import { UsageError } from "./usage-error.ts";

const CLOUDTRAIL_INDEX = "logs-aws.cloudtrail-default";

export interface QueryCommandOptions {
  /** `--actor-target-mapping`: the integration option that runs the pipeline's entity script. */
  actorTargetMapping?: boolean;
  format: "table" | "ndjson" | "csv";
  output?: string;
  asnDb?: string;
  geoDb?: string;
}

export async function runQuery(esql: string, inputs: string[], opts: QueryCommandOptions): Promise<number> {
  const catalog = indicesCatalog([
    [CLOUDTRAIL_INDEX, cloudtrailSchema],
    [ALERTS_INDEX, alertsSchema(cloudtrailSchema)],
  ]);
  const query = compileEsql(esql, catalog);
  const readsCloudTrail = readsIndex(query.sources, CLOUDTRAIL_INDEX);
  const readsAlerts = readsIndex(query.sources, ALERTS_INDEX);
  const from = `FROM ${query.sources.join(", ")}`;
  if (readsCloudTrail && readsAlerts) {
    throw new UsageError(`${from}: read CloudTrail or alerts in one query, not both (the inputs are one or the other)`);
  }
  if (!readsCloudTrail && !readsAlerts) {
    throw new UsageError(`${from}: the inputs can be read as logs-aws.cloudtrail-* or .alerts-security.* only`);
  }
  const problems = problemReporter();
  const alerts = readsAlerts ? await readAlerts(inputs, query, problems.report) : undefined;
  const docs = alerts ? alerts.docs : await readCloudTrail(inputs, query, opts, problems.report);
  const result = query.run(docs, {
    now: new Date(),
    skipRowFilter: true,
    metadata: alerts?.metadata,
    onWarning: (m) => process.stderr.write(`trailwatch: warning: ${m}\n`),
  });
  const out = openOutput(opts.output);
  out.write(formatResult(result, opts.format));
  await out.close();
  return problems.count ? 2 : 0;
}

type ProblemSink = ReturnType<typeof problemReporter>["report"];

async function readCloudTrail(
  inputs: string[],
  query: CompiledEsql,
  opts: QueryCommandOptions,
  report: ProblemSink,
): Promise<Document[]> {
  const enricher = await loadEnricher(opts.asnDb, opts.geoDb);
  const docs: Document[] = [];
  await readSources(inputs, {
    onRecord: (text) => {
      const doc = normalizeRecord(text, { tags: pipelineTags(opts) });
      enricher.enrich(doc);
      if (!query.rowFilter || query.rowFilter(doc)) docs.push(doc);
    },
    onProblem: report,
  });
  return docs;
}

interface AlertInputs {
  docs: Document[];
  metadata: (doc: Document) => { _id?: string; _index: string; _version: number };
}

/** Alert files as `trailwatch scan --format ndjson|json` writes them; anything else is named and skipped. */
async function readAlerts(inputs: string[], query: CompiledEsql, report: ProblemSink): Promise<AlertInputs> {
  const ids = new Map<Document, string>();
  const docs: Document[] = [];
  await readSources(inputs, {
    onRecord: (text, origin) => {
      let alert: unknown;
      try {
        alert = JSON.parse(text);
      } catch (err) {
        report({ origin, message: `not JSON: ${(err as Error).message}` });
        return;
      }
      const isObject = typeof alert === "object" && alert !== null && !Array.isArray(alert);
      const doc = isObject ? alertDocument(alert as AlertDocument) : {};
      const id = fieldValues(doc, "kibana.alert.uuid")[0];
      if (id === undefined) {
        report({ origin, message: "not an alert document (no kibana.alert.uuid); skipped" });
        return;
      }
      ids.set(doc, String(id));
      if (!query.rowFilter || query.rowFilter(doc)) docs.push(doc);
    },
    onProblem: report,
  });
  return { docs, metadata: (doc) => ({ _id: ids.get(doc), _index: ALERTS_INDEX, _version: 1 }) };
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
