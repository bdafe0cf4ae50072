/** What several commands set up the same way: enrichment databases, the output stream, time options. */
import { createWriteStream, type WriteStream } from "node:fs";
import { type Enricher, EnrichmentLoadError, loadEnrichment } from "../enrich/index.ts";
import { builtinRules, loadRules, type Rule } from "../rules/index.ts";
import type { SourceProblem } from "../sources/index.ts";
import { parseTimeOption } from "./time-option.ts";
import { UsageError } from "./usage-error.ts";

/**
 * The enrichment the pipeline's two geoip processors do: ASN from `--asn-db` or the bundled data; geo from a
 * City/Country `.mmdb` given with `--geo-db` (city, region, continent, location as a City database yields them) or
 * else the bundled country data.
 */
export async function loadEnricher(asnDb: string | undefined, geoDb?: string): Promise<Enricher> {
  try {
    return await loadEnrichment({ asnDb, geoDb });
  } catch (err) {
    if (!(err instanceof EnrichmentLoadError)) throw err;
    throw new UsageError(`${err.which === "asnDb" ? "--asn-db" : "--geo-db"} ${err.message}`);
  }
}

/** The rules of `--rules` paths (every load error is a usage error), or the built-in rules without the option. */
export async function loadRuleOption(paths: string[] | undefined): Promise<Rule[]> {
  if (!paths) return builtinRules();
  const { rules, errors } = await loadRules(paths);
  if (errors.length) throw new UsageError(errors.map((e) => e.message).join("\ntrailwatch: "));
  if (!rules.length) throw new UsageError(`--rules ${paths.join(" ")}: no rules found`);
  return rules;
}

/** The agent tags the pipeline sees: `actor_target_mapping` when the user turns that integration option on. */
export function pipelineTags(opts: { actorTargetMapping?: boolean }): string[] | undefined {
  return opts.actorTargetMapping ? ["actor_target_mapping"] : undefined;
}

export interface Output {
  write(text: string): void;
  close(): Promise<void>;
}

export function openOutput(file: string | undefined): Output {
  if (!file) {
    return { write: (t) => void process.stdout.write(t), close: async () => {} };
  }
  const stream: WriteStream = createWriteStream(file);
  let failure: Error | undefined;
  stream.on("error", (err) => {
    failure = err;
  });
  return {
    write: (t) => void stream.write(t),
    close: () =>
      new Promise((resolve, reject) =>
        stream.end(() => (failure ? reject(new UsageError(`--output ${file}: ${failure.message}`)) : resolve())),
      ),
  };
}

/** Prints each unreadable input on stderr and counts them, for exit code 2. */
export function problemReporter() {
  const reporter = {
    count: 0,
    report: (p: SourceProblem) => {
      reporter.count++;
      process.stderr.write(`trailwatch: ${p.origin}: ${p.message}\n`);
    },
  };
  return reporter;
}

export function timeOption(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  try {
    return parseTimeOption(value);
  } catch (err) {
    throw new UsageError(`${name}: ${(err as Error).message}`);
  }
}
