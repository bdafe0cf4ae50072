import { normalizeRecord } from "../ecs/index.ts";
import { readSources } from "../sources/index.ts";
import { loadEnricher, openOutput, pipelineTags, problemReporter } from "./setup.ts";

export interface NormalizeCommandOptions {
  /** `--actor-target-mapping`: the integration option that runs the pipeline's entity script. */
  actorTargetMapping?: boolean;
  output?: string;
  original?: boolean;
  asnDb?: string;
  geoDb?: string;
  namespace: string;
}

export async function runNormalize(inputs: string[], opts: NormalizeCommandOptions): Promise<number> {
  const enricher = await loadEnricher(opts.asnDb, opts.geoDb);
  const out = openOutput(opts.output);
  const problems = problemReporter();
  await readSources(inputs, {
    onRecord: (text) => {
      const doc = normalizeRecord(text, {
        namespace: opts.namespace,
        tags: pipelineTags(opts),
        keepOriginal: opts.original,
        ingested: new Date(),
      });
      enricher.enrich(doc);
      out.write(`${JSON.stringify(doc)}\n`);
    },
    onProblem: problems.report,
  });
  await out.close();
  return problems.count ? 2 : 0;
}
