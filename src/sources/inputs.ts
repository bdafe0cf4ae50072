/**
 * Finds the files behind the user's inputs: directories recursively (sorted, so the S3 layout
 * `AWSLogs/<account>/CloudTrail/<region>/YYYY/MM/DD/` is read in date order), single files, and `-` for stdin.
 * Files whose S3-layout names prove they hold nothing inside the requested time range are skipped.
 * The file system is asked synchronously: one stat after another through the promise API costs a round trip each
 * (≈ 0.1 ms, 70 ms for 600 files) before the first file can be read.
 */
import { type Dirent, readdirSync, type Stats, statSync } from "node:fs";
import { join } from "node:path";

export interface InputFile {
  /** Path as the user will recognise it in messages, or "-" for stdin. */
  path: string;
  size: number;
}

export interface TimeRange {
  from?: number;
  to?: number;
}

/** CloudTrail delivers late, sometimes by hours: a file named after `to` may still hold events from before it. */
export const LATE_DELIVERY_SLACK_MS = 24 * 3600_000;

export async function listInputFiles(
  inputs: string[],
  range: TimeRange,
  onError: (path: string, message: string) => void,
): Promise<InputFile[]> {
  const files: InputFile[] = [];
  for (const input of inputs) {
    if (input === "-") {
      files.push({ path: "-", size: 0 });
      continue;
    }
    let info: Stats;
    try {
      info = statSync(input);
    } catch (err) {
      onError(input, describeFsError(err));
      continue;
    }
    if (info.isDirectory()) {
      walk(input, files, range, onError);
    } else {
      files.push({ path: input, size: info.size });
    }
  }
  return files;
}

function walk(dir: string, out: InputFile[], range: TimeRange, onError: (p: string, m: string) => void): void {
  let entries: Dirent[];
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch (err) {
    onError(dir, describeFsError(err));
    return;
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      walk(path, out, range, onError);
    } else if (entry.isFile() && isRecordFileName(entry.name) && !outsideRange(entry.name, range)) {
      try {
        out.push({ path, size: statSync(path).size });
      } catch (err) {
        onError(path, describeFsError(err));
      }
    }
  }
}

/** Inside directories only data files are read; hidden files and CloudTrail digests' signatures are not records. */
function isRecordFileName(name: string): boolean {
  if (name.startsWith(".")) return false;
  return /\.(json|jsonl|ndjson)(\.gz)?$/i.test(name) || /\.gz$/i.test(name);
}

/**
 * CloudTrail names files `<account>_CloudTrail_<region>_<YYYYMMDDTHHMMZ>_<id>.json.gz` after their delivery time,
 * which is never before the events inside: a file named before `from` cannot hold a later event.
 */
export function fileTimeFromName(name: string): number | undefined {
  const m = /_(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})Z_/.exec(name);
  if (!m) return undefined;
  return Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5]);
}

function outsideRange(name: string, range: TimeRange): boolean {
  const t = fileTimeFromName(name);
  if (t === undefined) return false;
  if (range.from !== undefined && t < range.from) return true;
  if (range.to !== undefined && t > range.to + LATE_DELIVERY_SLACK_MS) return true;
  return false;
}

export function describeFsError(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  switch (e?.code) {
    case "ENOENT":
      return "no such file or directory";
    case "EACCES":
      return "permission denied";
    case "EISDIR":
      return "is a directory";
    default:
      return e?.message ?? String(err);
  }
}
