import type { PipelineContext } from "../steps/context.ts";

export function appendEntities(_ctx: PipelineContext): void {}
