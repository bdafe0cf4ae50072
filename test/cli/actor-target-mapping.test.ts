/** `--actor-target-mapping`: the integration option that tags records so the pipeline's entity script runs. */
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { OUTSIDE_IP, webIdentityAssume } from "../helpers/cloudtrail.ts";
import { runCli } from "../helpers/run-cli.ts";

const dir = mkdtempSync(join(tmpdir(), "tw-entity-"));
after(() => rmSync(dir, { recursive: true, force: true }));

const record = webIdentityAssume({ at: "2026-11-20T10:00:00Z", ip: OUTSIDE_IP });
const input = join(dir, "records.json");
writeFileSync(input, JSON.stringify({ Records: [record] }));

test("normalize: entity fields and the tag only with the option", () => {
  const plain = runCli(["normalize", input]);
  assert.equal(plain.code, 0, plain.stderr);
  const without = JSON.parse(plain.stdout) as { related: Record<string, unknown>; tags?: string[] };
  assert.equal(without.related.entity, undefined);
  assert.equal(without.tags, undefined);

  const tagged = runCli(["normalize", input, "--actor-target-mapping"]);
  assert.equal(tagged.code, 0, tagged.stderr);
  const withIt = JSON.parse(tagged.stdout) as { related: { entity: string[] }; tags: string[] };
  assert.deepEqual(withIt.tags, ["actor_target_mapping"]);
  assert.ok(withIt.related.entity.includes("system:serviceaccount:payments:api"), JSON.stringify(withIt.related));
});

test("scan: alerts carry the entity fields, in the main thread and in workers", () => {
  const archive = join(dir, "archive");
  mkdirSync(archive);
  writeFileSync(join(archive, "a.json"), JSON.stringify({ Records: [record] }));
  writeFileSync(join(archive, "b.json"), JSON.stringify({ Records: [] }));
  for (const workers of ["1", "2"]) {
    const args = ["scan", archive, "--format", "ndjson", "--quiet", "--actor-target-mapping", "--workers", workers];
    const { code, stdout, stderr } = runCli(args);
    assert.equal(code, 0, stderr);
    const alert = JSON.parse(stdout.trim()) as { related: { entity: string[] } };
    assert.ok(alert.related.entity.includes("system:serviceaccount:payments:api"), `workers ${workers}`);
  }
});

test("query: entity fields are columns with the option", () => {
  const query = "FROM logs-aws.cloudtrail-* | KEEP related.entity";
  const { code, stdout, stderr } = runCli(["query", query, input, "--format", "ndjson", "--actor-target-mapping"]);
  assert.equal(code, 0, stderr);
  const row = JSON.parse(stdout.trim()) as Record<string, unknown>;
  assert.ok(String(row["related.entity"]).includes("system:serviceaccount:payments:api"), stdout);
});
