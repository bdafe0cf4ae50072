/** Alerts on standard output as they are raised: a readable block each (`table`) or one JSON line each (`ndjson`). */
import type { AlertDocument } from "../build.ts";
import { formatAlerts } from "../format.ts";
import type { Sink } from "./sink.ts";

export type StdoutFormat = "table" | "ndjson";

export class StdoutSink implements Sink {
  readonly name: string;

  constructor(
    private readonly format: StdoutFormat = "table",
    private readonly write: (text: string) => void = (text) => process.stdout.write(text),
  ) {
    this.name = format === "table" ? "stdout" : `stdout:${format}`;
  }

  async deliver(alert: AlertDocument): Promise<void> {
    const text = formatAlerts([alert], this.format);
    // The table format ends a batch with its count ("1 alert."), which means nothing in a stream of single alerts.
    this.write(this.format === "table" ? `${text.replace(/\n1 alert\.\n$/, "\n")}\n` : text);
  }
}
