/**
 * A scan worker: reads, gunzips, splits, pre-filters, normalizes and enriches whole files, and sends back only the
 * documents some rule may select, per file, for the main thread to merge in input order.
 */
import { parentPort, workerData } from "node:worker_threads";
import { cloudtrailSchema } from "../../ecs/index.ts";
import { loadEnrichment } from "../../enrich/load.ts";
import { readInputFile } from "../../sources/index.ts";
import { planRules } from "../plans.ts";
import { recordScreen } from "../prefilter.ts";
import { RecordStage, type StagedDocument } from "../select/record-stage.ts";
import type { FileProblem, FileRequest, WorkerMessage, WorkerSetup } from "./protocol.ts";
import { candidateSelection, type SelectedDocument } from "./candidate-selection.ts";

const port = parentPort;
if (!port) throw new Error("scan-worker runs only as a worker thread");
const setup = workerData as WorkerSetup;
const send = (message: WorkerMessage) => port.postMessage(message);

try {
  const index = `logs-aws.cloudtrail-${setup.namespace}`;
  const planned = planRules(setup.rules, {
    schema: cloudtrailSchema,
    index,
    kibanaCompatible: setup.kibanaCompatible,
  });
  const rules = planned.plans.map((p) => p.rule);
  const selects = candidateSelection(planned.plans);
  const screen = setup.prefilter ? recordScreen(rules, cloudtrailSchema) : undefined;
  const stage = new RecordStage({
    namespace: setup.namespace,
    tags: setup.tags,
    enricher: await loadEnrichment(setup.enrichment, setup.bundled),
    range: setup.range,
    kibanaCompatible: setup.kibanaCompatible,
    prefilter: screen?.test,
    // Kibana-compatible ids number every record of a file: those files are split the general way.
    screen: setup.kibanaCompatible ? undefined : screen,
  });

  // Files are read one at a time; the main thread bounds how many wait in this worker's queue.
  let queue = Promise.resolve();
  port.on("message", (request: FileRequest) => {
    queue = queue.then(() => readOne(stage, selects, request));
  });
  send({ kind: "ready" });
} catch (err) {
  send({ kind: "failed", message: err instanceof Error ? err.message : String(err) });
}

type Selects = ReturnType<typeof candidateSelection>;

async function readOne(stage: RecordStage, selects: Selects, request: FileRequest) {
  const before = { ...stage.counts };
  let candidates: (SelectedDocument & { id: string })[] = [];
  const problems: FileProblem[] = [];
  try {
    const take = (staged: StagedDocument | undefined) => {
      const selected = staged && selects(staged.doc, staged.id);
      if (selected) candidates.push({ ...selected, id: staged.id });
    };
    await readInputFile(request.path, {
      record: (text, origin) => take(stage.process(text, origin, (message) => problems.push({ origin, message }))),
      problem: (origin, message) => problems.push({ origin, message }),
      wholeFile: (data, origin) => {
        const staged = stage.processFile(data, origin, (message) => problems.push({ origin, message }));
        staged?.forEach(take);
        return staged !== undefined;
      },
    });
  } catch (err) {
    // A bug, not bad input (readInputFile reports that): name the file, drop its partial results, go on.
    candidates = [];
    problems.push({ origin: request.path, message: `internal error: ${err instanceof Error ? err.message : err}` });
  }
  stage.doneWith(request.path);
  const after = stage.counts;
  send({
    kind: "file",
    seq: request.seq,
    candidates,
    problems,
    counts: {
      records: after.records - before.records,
      outOfRange: after.outOfRange - before.outOfRange,
      pipelineErrors: after.pipelineErrors - before.pipelineErrors,
      parsed: after.parsed - before.parsed,
    },
  });
}
