/**
 * `trailwatch watch` as a process: a stream of CloudTrail files with the wall clock frozen per step
 * (TRAILWATCH_CLOCK), kill -9 in the middle of reading and of executing, restart, and the same alerts as an
 * uninterrupted run; SIGTERM stops cleanly; bad arguments are usage errors.
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { StateStore } from "../../src/store/state-store.ts";
import { ACCOUNT, AMAZON_IP, assumedRoleCall, OUTSIDE_IP, webIdentityAssume } from "../helpers/cloudtrail.ts";
import { runCli } from "../helpers/run-cli.ts";

const root = fileURLToPath(new URL("../..", import.meta.url));
const entry = fileURLToPath(new URL("../helpers/cli-entry.ts", import.meta.url));
const DAY = `AWSLogs/${ACCOUNT}/CloudTrail/us-east-1/2026/11/21`;

/**
 * 24 CloudTrail files: 12 IRSA sessions, each split over two files, every one fanning out into three sensitive
 * actions (12 lateral-movement alerts), every other one exchanging its token from outside Amazon (6 ASN alerts).
 */
const sampleFiles = Array.from({ length: 12 }, (_, i) => {
  const at = (m: number) => new Date(Date.parse("2026-11-21T17:00:00Z") + (i * 4 + m) * 60_000).toISOString();
  const key = `ASIACLITEST0000000${String(i).padStart(2, "0")}`;
  const stem = `${ACCOUNT}_CloudTrail_us-east-1_20261121T17${String(i * 4).padStart(2, "0")}Z_S${i}`;
  return [
    {
      name: `${stem}a.json.gz`,
      records: [
        webIdentityAssume({ at: at(0), key, ip: i % 2 ? AMAZON_IP : OUTSIDE_IP }),
        assumedRoleCall({ at: at(1), key, action: "ListRoles" }),
      ],
    },
    {
      name: `${stem}b.json.gz`,
      records: [
        assumedRoleCall({ at: at(2), key, action: "GetSecretValue", source: "secretsmanager.amazonaws.com" }),
        assumedRoleCall({ at: at(3), key, action: "CreateAccessKey" }),
      ],
    },
  ];
}).flat();

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stderr: string;
}

/** Runs the CLI; sends `killWith` once `killWhen` has matched `killAfter` stderr lines. */
function watchProcess(
  args: string[],
  clock: string,
  kill?: { when: RegExp; after: number; signal: NodeJS.Signals },
): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", entry, "watch", ...args], {
      cwd: root,
      env: { ...process.env, TRAILWATCH_CLOCK: clock },
      stdio: ["ignore", "ignore", "pipe"],
    });
    let stderr = "";
    let sent = false;
    child.stderr.setEncoding("utf8");
    child.stderr.on("data", (chunk: string) => {
      stderr += chunk;
      if (!kill || sent) return;
      if (stderr.split("\n").filter((l) => kill.when.test(l)).length < kill.after) return;
      sent = true;
      child.kill(kill.signal);
    });
    child.once("error", reject);
    child.once("close", (code, signal) => resolve({ code, signal, stderr }));
  });
}

function tempDir(t: { after(fn: () => void): void }) {
  const dir = mkdtempSync(join(tmpdir(), "tw-watch-cli-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function deliver(dir: string, files: typeof sampleFiles) {
  mkdirSync(join(dir, DAY), { recursive: true });
  for (const f of files) writeFileSync(join(dir, DAY, f.name), gzipSync(JSON.stringify({ Records: f.records })));
}

const STEPS: { clock: string; files: typeof sampleFiles; crash?: RegExp; after?: number }[] = [
  { clock: "2026-11-21T18:02:00Z", files: sampleFiles.slice(0, 13), crash: /^read /, after: 3 },
  // Late files: read half an hour after the first ones, with no crash.
  { clock: "2026-11-21T18:33:00Z", files: sampleFiles.slice(13) },
  { clock: "2026-11-21T20:00:00Z", files: [], crash: / execution 2026-/, after: 5 },
];

/** The whole stream, step by step; with `crash`, the steps that say so are killed with SIGKILL once, then run again. */
async function stream(t: { after(fn: () => void): void }, crash: boolean) {
  const work = tempDir(t);
  const input = join(work, "in");
  const state = join(work, "state");
  const output = join(work, "alerts.ndjson");
  const args = [input, "--once", "--verbose", "--state", state, "--sink", `file:${output}`];
  mkdirSync(input);
  const kills: Run[] = [];
  for (const step of STEPS) {
    deliver(input, step.files);
    if (crash && step.crash) {
      const killed = await watchProcess(args, step.clock, { when: step.crash, after: step.after ?? 1, signal: "SIGKILL" });
      assert.equal(killed.signal, "SIGKILL", killed.stderr);
      kills.push(killed);
    }
    const run = await watchProcess(args, step.clock);
    assert.equal(run.code, 0, run.stderr);
  }
  const store = await StateStore.open(state);
  const alerts = (await store.alerts()).map((a) => a.id).sort();
  const undelivered = await store.undelivered();
  await store.close();
  const delivered = readFileSync(output, "utf8")
    .trim()
    .split("\n")
    .map((l) => String(JSON.parse(l)["kibana.alert.uuid"]))
    .sort();
  return { alerts, delivered, undelivered, kills };
}

test("kill -9 while reading and while executing, then restart: the alerts of an uninterrupted run, each delivered once", async (t) => {
  const whole = await stream(t, false);
  assert.equal(whole.alerts.length, 12 + 6);
  assert.deepEqual(whole.delivered, whole.alerts);

  const crashed = await stream(t, true);
  // Each kill landed mid-step: after some objects were read, or after some executions ran.
  assert.match(crashed.kills[0].stderr, /^read /m);
  assert.match(crashed.kills[1].stderr, / execution 2026-11-21T/);
  assert.deepEqual(crashed.alerts, whole.alerts);
  assert.deepEqual(crashed.delivered, whole.alerts);
  assert.deepEqual([...crashed.undelivered], []);
});

test("SIGTERM finishes the current step, closes the store and exits 0", async (t) => {
  const work = tempDir(t);
  const state = join(work, "state");
  mkdirSync(join(work, "in"));
  deliver(join(work, "in"), sampleFiles.slice(0, 2));
  const run = await watchProcess([join(work, "in"), "--state", state, "--poll", "1", "--verbose"], "2026-11-21T18:02:00Z", {
    when: /^read /,
    after: 2,
    signal: "SIGTERM",
  });
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stderr, /SIGTERM: stopping after the current step/);
  // The store was closed: another process can open it, and both objects were recorded as read.
  assert.ok(existsSync(join(state, "state.duckdb")));
  const store = await StateStore.open(state);
  assert.equal((await store.counts()).objects, 2);
  await store.close();
});

test("--metrics-port serves the loop's counters and per-rule progress", async (t) => {
  const work = tempDir(t);
  mkdirSync(join(work, "in"));
  deliver(join(work, "in"), sampleFiles.slice(0, 2));
  const child = spawn(
    process.execPath,
    ["--import", "tsx", entry, "watch", join(work, "in"), "--state", join(work, "s"), "--metrics-port", "0", "--poll", "1"],
    // At 18:05 exactly the 5-minute rule's first execution is due at once.
    { cwd: root, env: { ...process.env, TRAILWATCH_CLOCK: "2026-11-21T18:05:00Z" }, stdio: ["ignore", "ignore", "pipe"] },
  );
  t.after(() => child.kill("SIGKILL"));
  let stderr = "";
  child.stderr.setEncoding("utf8");
  const url = await new Promise<string>((resolve) =>
    child.stderr.on("data", (chunk: string) => {
      stderr += chunk;
      const port = /metrics on (http:\/\/127\.0\.0\.1:\d+\/metrics)/.exec(stderr);
      if (port && /rule ".*": execution/.test(stderr)) resolve(port[1]);
    }),
  );
  // The execution's status line can come before the second object is counted: ask until it is (or give up).
  const read = /# TYPE trailwatch_objects_read_total counter\ntrailwatch_objects_read_total 2\n/;
  let metrics = "";
  for (let attempt = 0; attempt < 100 && !read.test(metrics); attempt++) {
    if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 100));
    metrics = await (await fetch(url)).text();
  }
  child.kill("SIGTERM");
  assert.match(metrics, read);
  assert.match(metrics, /trailwatch_rule_last_execution_timestamp_seconds\{rule_id="[^"]+"\} 1795284300\n/);
  assert.match(metrics, /trailwatch_outbox_pending\{sink="stdout(:ndjson)?"\} \d+/);
});

test("bad arguments are usage errors (exit 1) naming what is wrong", (t) => {
  const work = tempDir(t);
  const missing = runCli(["watch", join(work, "nope"), "--state", join(work, "s")]);
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /nope: no such directory/);
  const sink = runCli(["watch", work, "--sink", "carrier-pigeon", "--state", join(work, "s")]);
  assert.equal(sink.code, 1);
  assert.match(sink.stderr, /unknown sink "carrier-pigeon"/);
  const accounts = runCli(["watch", work, "--accounts", "12345", "--state", join(work, "s")]);
  assert.equal(accounts.code, 1);
  assert.match(accounts.stderr, /--accounts: "12345" is not a 12-digit account id/);
});

test("--once: an object with broken records is named on stderr, the rest is processed, exit 2", async (t) => {
  const work = tempDir(t);
  const input = join(work, "in");
  deliver(input, sampleFiles.slice(0, 2));
  const broken = join(input, DAY, `${ACCOUNT}_CloudTrail_us-east-1_20261121T1800Z_BROKEN.json.gz`);
  writeFileSync(broken, gzipSync('{"Records":[{"eventVersion":"1.08",'));
  const run = await watchProcess([input, "--once", "--state", join(work, "s")], "2026-11-21T18:02:00Z");
  assert.equal(run.code, 2, run.stderr);
  assert.match(run.stderr, /BROKEN\.json\.gz: unexpected end of input inside a JSON value/);
  assert.match(run.stderr, /3 object\(s\), 4 record\(s\)/);
});
