/** Alerts appended to an NDJSON file, one document per line; the file is created if missing. */
import { appendFile } from "node:fs/promises";
import type { AlertDocument } from "../build.ts";
import type { Sink } from "./sink.ts";

export class FileSink implements Sink {
  readonly name: string;

  constructor(private readonly path: string) {
    this.name = `file:${path}`;
  }

  async deliver(alert: AlertDocument): Promise<void> {
    try {
      await appendFile(this.path, `${JSON.stringify(alert)}\n`);
    } catch (err) {
      throw new Error(`${this.path}: cannot append: ${(err as Error).message}`, { cause: err });
    }
  }
}
