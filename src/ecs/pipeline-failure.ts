/**
 * A processor failure: Elasticsearch stops the pipeline there and runs the pipeline's on_failure handlers, which
 * set `event.kind: pipeline_error` and append a message naming the processor.
 */
export const PIPELINE_NAME = "logs-aws.cloudtrail-7.1.0";

export class PipelineFailure extends Error {
  constructor(
    readonly processorType: string,
    readonly tag: string | undefined,
    message: string,
  ) {
    super(message);
  }

  /** The text the pipeline's on_failure `append` renders into `error.message`. */
  render(): string {
    const tagPart = this.tag ? `with tag '${this.tag}' ` : "";
    return `Processor '${this.processorType}' ${tagPart}in pipeline '${PIPELINE_NAME}' failed with message '${this.message}'`;
  }
}
