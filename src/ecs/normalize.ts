/**
 * CloudTrail record → the ECS document Elasticsearch stores after the AWS integration's `aws.cloudtrail` ingest
 * pipeline (fork @1bc21c5b plus the visible #20403 changes, ecs-pipeline.md §1) and Fleet's constants. Processors
 * run in pipeline order; a processor that would fail in Elasticsearch stops the run and the on_failure handlers
 * mark the document, keeping what was already mapped.
 */
import type { Document } from "../doc/document.ts";
import { isoToElasticDate } from "./iso-date.ts";
import { pruneJava } from "./java/prune.ts";
import { PipelineFailure } from "./pipeline-failure.ts";
import { prunePlain } from "./plain.ts";
import { readRecord } from "./record-reader.ts";
import { PipelineContext } from "./steps/context.ts";
import { mapEntities } from "./steps/entities.ts";
import { finish } from "./steps/finish.ts";
import { mapIdentityAndEvent } from "./steps/identity.ts";
import { mapRequestDerived } from "./steps/request-derived.ts";
import { mapTailFields } from "./steps/tail.ts";

export interface NormalizeOptions {
  /** data_stream.namespace, default "default". */
  namespace?: string;
  /** When set, event.ingested (whole seconds, as Fleet sets it); scan mode leaves it unset. */
  ingested?: Date;
  /** Keep event.original (default false, as Fleet's final pipeline removes it). */
  keepOriginal?: boolean;
  /** Agent tags, e.g. ["preserve_original_event", "actor_target_mapping"] as the pipeline tests configure. */
  tags?: string[];
  /** `_conf.retain` (undefined = everything, the production case because of the agent's `retail` typo). */
  retain?: string;
}

export function normalizeRecord(rawJson: string, options: NormalizeOptions = {}): Document {
  const ctx = new PipelineContext(options);
  try {
    runPipeline(ctx, rawJson);
  } catch (error) {
    const failure =
      error instanceof PipelineFailure ? error : new PipelineFailure("script", undefined, describe(error));
    ctx.fail(failure);
  }
  return finish(ctx, rawJson);
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function runPipeline(ctx: PipelineContext, raw: string): void {
  let parts: ReturnType<typeof readRecord>;
  try {
    parts = readRecord(raw);
  } catch (error) {
    throw new PipelineFailure("json", "json_event_original_to_json_5e54dc16", describe(error));
  }
  ctx.attach(parts);
  ctx.put("ecs.version", "8.11.0");
  setTimestamp(ctx);

  // remove-nulls over the whole document, before anything is derived or serialized.
  prunePlain(ctx.json);
  for (const [key, value] of Object.entries(ctx.serialized)) {
    if (value === undefined || pruneJava(value)) delete ctx.serialized[key as keyof typeof ctx.serialized];
  }

  mapEntities(ctx);
  mapIdentityAndEvent(ctx);
  mapRequestDerived(ctx);
  mapTailFields(ctx);
}

/**
 * `date json.eventTime → @timestamp` (ISO8601, ignore_failure). Where Elasticsearch would keep the agent's read time,
 * trailwatch falls back to a `@timestamp` inside the record (Logstash/OTRF exports) and then to `ingested`. A present
 * but unparseable eventTime is reported as a pipeline error so that the record is not silently misplaced in time.
 */
function setTimestamp(ctx: PipelineContext): void {
  const eventTime = ctx.json.eventTime;
  const parsed = isoToElasticDate(eventTime);
  if (parsed !== undefined) {
    ctx.put("@timestamp", parsed);
    return;
  }
  const exported = isoToElasticDate(ctx.json["@timestamp"]);
  if (exported !== undefined) ctx.put("@timestamp", exported);
  else if (ctx.options.ingested) ctx.put("@timestamp", ctx.options.ingested.toISOString());
  if (eventTime != null) {
    throw new PipelineFailure(
      "date",
      "date_json_eventTime_to_timestamp_e9417ba3",
      `unable to parse date [${String(eventTime)}]`,
    );
  }
}
