/** The public CloudTrail datasets in ../shared/datasets, as tests read them. */
import { readdirSync, statSync } from "node:fs";
import { join, resolve } from "node:path";

export const DATASETS = resolve(import.meta.dirname, "../../../shared/datasets");

/** Every JSON / JSON-lines file below the datasets folder, in name order. */
export function datasetFiles(dir = DATASETS): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const path = join(dir, name);
      return statSync(path).isDirectory() ? datasetFiles(path) : /\.(json|jsonl)$/.test(name) ? [path] : [];
    });
}
