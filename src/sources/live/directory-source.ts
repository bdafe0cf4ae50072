/**
 * A directory watched by polling, e.g. the target of `aws s3 sync`. A file is offered only once it looks complete:
 * it is a gzip stream that decompresses to its end, or its size and mtime were unchanged across two polls, or it was
 * last modified long enough ago that no writer is still at it (so an existing archive is offered on the first poll).
 * Dot-files and `*.tmp` files (temporary names of copy tools) are never offered; they are renamed into place when
 * complete.
 */
import type { Dirent } from "node:fs";
import { readdir, readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import type { ObjectRef, ObjectSource } from "./object-source.ts";

export interface DirectorySourceOptions {
  /** Called for a file or directory that could not be listed; polling goes on. */
  onProblem?: (message: string) => void;
  /** A file whose mtime is at least this old at poll time is complete; default 10 s. */
  settleMs?: number;
}

export const DEFAULT_SETTLE_MS = 10_000;

interface Seen {
  size: number;
  mtimeMs: number;
}

export class DirectorySource implements ObjectSource {
  readonly description: string;
  private readonly seen = new Map<string, Seen>();

  constructor(
    private readonly root: string,
    private readonly options: DirectorySourceOptions = {},
  ) {
    this.description = root;
  }

  async poll(now: number): Promise<ObjectRef[]> {
    const settledBefore = now - (this.options.settleMs ?? DEFAULT_SETTLE_MS);
    const files: { path: string; size: number; mtimeMs: number }[] = [];
    await this.walk(this.root, files);
    const present = new Set<string>();
    const offered: ObjectRef[] = [];
    for (const file of files) {
      present.add(file.path);
      const before = this.seen.get(file.path);
      const unchanged = before !== undefined && before.size === file.size && before.mtimeMs === file.mtimeMs;
      const complete = unchanged || file.mtimeMs <= settledBefore || (await isCompleteGzip(file.path));
      this.seen.set(file.path, { size: file.size, mtimeMs: file.mtimeMs });
      if (!complete) continue;
      offered.push({
        id: `file:${file.path}#${file.size}:${file.mtimeMs}`,
        name: file.path,
        size: file.size,
        modifiedAt: Math.floor(file.mtimeMs),
      });
    }
    for (const path of this.seen.keys()) if (!present.has(path)) this.seen.delete(path);
    return offered;
  }

  read(ref: ObjectRef): Promise<Buffer> {
    return readFile(ref.name);
  }

  async done(_ref: ObjectRef): Promise<void> {}

  async close(): Promise<void> {}

  private async walk(dir: string, out: { path: string; size: number; mtimeMs: number }[]): Promise<void> {
    let entries: Dirent[];
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (err) {
      this.options.onProblem?.(`${dir}: cannot list: ${(err as Error).message}`);
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      if (isTemporaryName(entry.name)) continue;
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        await this.walk(path, out);
      } else if (entry.isFile()) {
        try {
          const info = await stat(path);
          out.push({ path, size: info.size, mtimeMs: info.mtimeMs });
        } catch {
          // Removed or renamed between listing and stat (a copy tool finishing): the next poll sees its new name.
        }
      }
    }
  }
}

/** Names copy tools write to before renaming a finished file into place. */
export function isTemporaryName(name: string): boolean {
  return name.startsWith(".") || name.endsWith(".tmp");
}

async function isCompleteGzip(path: string): Promise<boolean> {
  if (!path.endsWith(".gz")) return false;
  try {
    // Z_FINISH (the default) throws on a stream cut short, which is what a partially written file is.
    gunzipSync(await readFile(path));
    return true;
  } catch {
    return false;
  }
}
