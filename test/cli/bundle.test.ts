/**
 * The bundled CLI (scripts/build.ts) behaves as the CLI from source: its worker threads, the bundled ASN/geo data
 * and uap-core's regexes are all found from the bundle's folder, which no test from source exercises.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { fileURLToPath } from "node:url";
import { buildBundle } from "../../scripts/build.ts";
import { runCli } from "../helpers/run-cli.ts";

const root = fileURLToPath(new URL("../..", import.meta.url));
// Inside the repo, so that the bundle sits two levels below it as dist/bundle/ does.
const dist = mkdtempSync(join(root, ".bundle-test-"));
const out = mkdtempSync(join(tmpdir(), "tw-bundle-"));

/** The bundle's own bin/trailwatch.js: runs `main` of dist/bundle/main.js. */
const bin = join(dist, "trailwatch.js");

function runBundle(args: string[]) {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd: root, encoding: "utf8" });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Every file under `dir`, by path relative to it, with its bytes. */
function filesUnder(dir: string): Map<string, Buffer> {
  const entries = readdirSync(dir, { recursive: true, withFileTypes: true }).filter((entry) => entry.isFile());
  return new Map(entries.map((entry) => {
    const path = join(entry.parentPath, entry.name);
    return [path.slice(dir.length), readFileSync(path)];
  }));
}

before(async () => {
  await buildBundle(dist);
  writeFileSync(bin, readFileSync(join(root, "bin", "trailwatch.js"), "utf8").replace("../dist/", "./"));
});

after(() => {
  rmSync(dist, { recursive: true, force: true });
  rmSync(out, { recursive: true, force: true });
});

test("the bundled scan with two workers writes the alerts the CLI from source writes, enriched alike", () => {
  const args = ["scan", "samples/eks-irsa", "--format", "ndjson", "--workers", "2", "--quiet"];
  const bundled = runBundle(args);
  const fromSource = runCli(args);
  assert.equal(bundled.code, 0, bundled.stderr);
  assert.equal(fromSource.code, 0, fromSource.stderr);
  assert.equal(bundled.stdout, fromSource.stdout);
  const alerts = bundled.stdout.trim().split("\n").map((line) => JSON.parse(line));
  assert.ok(alerts.length > 0);
  assert.ok(alerts.some((alert) => alert.source?.as?.number !== undefined), "ASN data found");
  assert.ok(alerts.some((alert) => alert.source?.geo?.country_iso_code !== undefined), "geo data found");
  assert.ok(alerts.some((alert) => alert.user_agent?.name !== undefined), "user agent regexes found");
});

// Two clusters: on two or more cores the second is simulated in a shard worker.
test("the bundled simulate (shard workers) writes the archive the CLI from source writes", () => {
  const args = (dir: string) => ["simulate", "--out", join(out, dir), "--hours", "1", "--clusters", "2", "--quiet"];
  const bundled = runBundle(args("bundled"));
  const fromSource = runCli(args("source"));
  assert.equal(bundled.code, 0, bundled.stderr);
  assert.equal(fromSource.code, 0, fromSource.stderr);
  const expected = filesUnder(join(out, "source"));
  assert.ok(expected.size > 1);
  assert.deepEqual(filesUnder(join(out, "bundled")), expected);
});
