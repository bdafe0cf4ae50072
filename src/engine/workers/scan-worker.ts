/**
 * A scan worker: reads, gunzips, splits, pre-filters, normalizes and enriches whole files, and sends back only the
 * documents some rule may select, per file, for the main thread to merge in input order.
 */
import { parentPort, workerData } from "node:worker_threads";
import { cloudtrailSchema } from "../../ecs/index.ts";
import { loadEnrichment, type SharedBundledData } from "../../enrich/load.ts";
import { readInputFile } from "../../sources/index.ts";
import { planRules } from "../plans.ts";
import { recordScreen } from "../prefilter.ts";
import { RecordStage, type ScreenedRecord, type StagedDocument } from "../select/record-stage.ts";
import type { FileProblem, FileRequest, MainMessage, WorkerMessage, WorkerSetup } from "./protocol.ts";
import { candidateSelection, type SelectedDocument } from "./candidate-selection.ts";

const port = parentPort;
if (!port) throw new Error("scan-worker runs only as a worker thread");
const setup = workerData as WorkerSetup;
const send = (message: WorkerMessage) => port.postMessage(message);

// One listener from the start, so no message arrives while none is attached; files wait until the worker is set up,
// which waits for the shared tables.
let shareData: (bundled: SharedBundledData) => void = () => {};
const bundled = new Promise<SharedBundledData>((resolve) => (shareData = resolve));
const reader = setUp();
let queue = Promise.resolve();
port.on("message", (message: MainMessage) => {
  if (message.kind === "shared") shareData(message.bundled);
  else queue = queue.then(() => reader.then((read) => read?.(message)));
});

async function setUp(): Promise<((request: FileRequest) => Promise<void>) | undefined> {
  try {
    // The rules are planned only once this worker normalizes a record itself: most files leave that to the main
    // thread, and planning costs each worker ≈ 50 ms before its first file.
    let planned: Selects | undefined;
    const selects: Selects = (doc, id) => {
      planned ??= candidateSelection(
        planRules(setup.rules, {
          schema: cloudtrailSchema,
          index: `logs-aws.cloudtrail-${setup.namespace}`,
          kibanaCompatible: setup.kibanaCompatible,
        }).plans,
      );
      return planned(doc, id);
    };
    const screen = setup.prefilter ? recordScreen(setup.rules, cloudtrailSchema) : undefined;
    const stage = new RecordStage({
      namespace: setup.namespace,
      tags: setup.tags,
      enricher: await loadEnrichment(setup.enrichment, await bundled),
      range: setup.range,
      kibanaCompatible: setup.kibanaCompatible,
      prefilter: screen?.test,
      // Kibana-compatible ids number every record of a file: those files are split the general way.
      screen: setup.kibanaCompatible ? undefined : screen,
    });
    send({ kind: "ready" });
    return (request) => readOne(stage, selects, request);
  } catch (err) {
    send({ kind: "failed", message: err instanceof Error ? err.message : String(err) });
    return undefined;
  }
}

type Selects = ReturnType<typeof candidateSelection>;

/**
 * A screened file whose passing records are at most this share of it sends them undecoded for the main thread to
 * normalize: one thread then warms up the pipeline's code instead of every worker, and workers keep to bytes. A file
 * where more pass is normalized here, so the main thread never becomes the bottleneck.
 */
const DEFER_SHARE = 0.05;

async function readOne(stage: RecordStage, selects: Selects, request: FileRequest) {
  const before = { ...stage.counts };
  let candidates: (SelectedDocument & { id: string })[] = [];
  let deferred: ScreenedRecord[] = [];
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
        const screened = stage.screen(data, origin);
        if (!screened) return false;
        if (screened.passed.length <= screened.records * DEFER_SHARE) deferred = screened.passed;
        else {
          for (const { text, position } of screened.passed) {
            take(stage.normalizeAt(text, origin, position, (message) => problems.push({ origin, message })));
          }
        }
        return true;
      },
    });
  } catch (err) {
    // A bug, not bad input (readInputFile reports that): name the file, drop its partial results, go on.
    candidates = [];
    deferred = [];
    problems.push({ origin: request.path, message: `internal error: ${err instanceof Error ? err.message : err}` });
  }
  stage.doneWith(request.path);
  const after = stage.counts;
  send({
    kind: "file",
    seq: request.seq,
    candidates,
    deferred,
    problems,
    counts: {
      records: after.records - before.records,
      outOfRange: after.outOfRange - before.outOfRange,
      pipelineErrors: after.pipelineErrors - before.pipelineErrors,
      parsed: after.parsed - before.parsed,
    },
  });
}
