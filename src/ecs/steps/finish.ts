/**
 * The end of a run: on_failure marking, the final remove_nulls, then what Fleet adds (data stream constants,
 * event.dataset/module, event.ingested) and what its final pipeline keeps of event.original.
 */
import type { Document, JsonValue } from "../../doc/document.ts";
import { prunePlain } from "../plain.ts";
import type { PipelineContext } from "./context.ts";

export function finish(ctx: PipelineContext, raw: string): Document {
  const { doc, options } = ctx;
  if (ctx.failure) {
    ctx.put("event.kind", "pipeline_error");
    ctx.appendUnique("error.message", ctx.failure.render());
    // #20403: a failed document always keeps its original text.
    ctx.tags ??= [];
    if (!ctx.tags.includes("preserve_original_event")) ctx.tags.push("preserve_original_event");
  } else {
    prunePlain(doc, true);
  }
  if (ctx.tags && ctx.tags.length > 0) doc.tags = ctx.tags;
  if (options.keepOriginal || ctx.tags?.includes("preserve_original_event")) ctx.put("event.original", raw);
  const namespace = options.namespace ?? "default";
  doc.data_stream = { type: "logs", dataset: "aws.cloudtrail", namespace } as { [k: string]: JsonValue };
  ctx.put("event.dataset", "aws.cloudtrail");
  ctx.put("event.module", "aws");
  if (options.ingested) {
    const seconds = Math.floor(options.ingested.getTime() / 1000) * 1000;
    ctx.put("event.ingested", new Date(seconds).toISOString().replace(".000Z", "Z"));
  }
  return doc;
}
