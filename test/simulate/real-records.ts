/**
 * The real CloudTrail records of ../shared/datasets that keep CloudTrail's own shape, for shape checks.
 * Left out, with the reason: Panther's rule-test fixtures (hand-edited, with Panther's p_* fields and placeholder
 * values) and Permiso's console events (reduced to 10 fields, no userIdentity).
 */
import { readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";

export const repoRoot = resolve(import.meta.dirname, "../..");
const datasets = resolve(repoRoot, "../shared/datasets");

type Rec = Record<string, unknown>;

export function realRecords(): Rec[] {
  const out: Rec[] = [];
  const stratus = join(datasets, "stratus-red-team/detonation-logs");
  for (const f of readdirSync(stratus).sort()) out.push(...(JSON.parse(readFileSync(join(stratus, f), "utf8")) as Rec[]));
  const pod = JSON.parse(readFileSync(join(datasets, "aws-samples-eks-security-immersion-day/pod_identity_events.records.json"), "utf8"));
  out.push(...(pod.Records as Rec[]));
  // OTRF went through Logstash, which renamed eventTime to @timestamp and added @version: undone here.
  const otrf = readFileSync(join(datasets, "otrf-security-datasets/ec2_proxy_s3_exfiltration_2020-09-14011940.json"), "utf8");
  for (const line of otrf.split("\n")) {
    if (!line.trim()) continue;
    const { "@timestamp": time, "@version": _version, ...rest } = JSON.parse(line) as Rec;
    out.push({ ...rest, eventTime: String(time).replace(/\.000Z$/, "Z") });
  }
  return out;
}
