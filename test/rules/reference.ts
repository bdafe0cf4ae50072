/** Paths into the shared detection-rules reference (read by tests only, never by product code). */
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";

export const referenceDir = fileURLToPath(
  new URL("../../../shared/reference/elastic-detection-rules/", import.meta.url),
);

export interface CensusRow {
  file: string;
  rule_id: string;
  name: string;
  type: string;
  language: string;
  interval_eff: string;
  from_eff: string;
  max_signals_eff: number;
}

export function census(): CensusRow[] {
  return JSON.parse(readFileSync(join(referenceDir, "aws-census.json"), "utf8"));
}

/** Every .toml under aws/ (including aws/extra/**), keyed by its path under aws/ as the census names it. */
export function awsTomlFiles(): Map<string, string> {
  const aws = join(referenceDir, "aws");
  const files = new Map<string, string>();
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith(".toml")) files.set(relative(aws, full), full);
    }
  };
  walk(aws);
  return files;
}

export const topLevelTomls = [
  "initial_access_assume_role_with_web_identity_kubernetes_sa_from_external_asn.toml",
  "initial_access_assume_role_with_web_identity_kubernetes_sa_from_external_asn.v1.toml",
  "lateral_movement_k8_assumed_web_identity_session_with_multi_phase_api_use.toml",
].map((name) => join(referenceDir, name));
