import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { ATTACK_KINDS, type GroundTruth } from "../../src/simulate/index.ts";
import { allRecords, type Archive, readRecords, simulateInto } from "./simulated-archive.ts";

const OPTIONS = { start: Date.parse("2026-11-16T06:00:00Z"), hours: 6, accounts: 2, clusters: 3, seed: "test-seed", attacks: ATTACK_KINDS };
const LAYOUT =
  /^AWSLogs\/(\d{12})\/CloudTrail\/([a-z]{2}-[a-z]+-\d)\/(\d{4})\/(\d{2})\/(\d{2})\/\1_CloudTrail_\2_(\d{8}T\d{4}Z)_[A-Z2-7]{16}\.json\.gz$/;

let archive: Archive;
before(async () => {
  archive = await simulateInto({ ...OPTIONS, workers: 2 });
});
after(() => archive.cleanup());

const digest = (a: Archive) => {
  const h = createHash("sha256");
  for (const f of a.files) h.update(f).update(readFileSync(join(a.dir, f)));
  return h.digest("hex");
};

test("the same seed writes the same archive, byte for byte, on one thread or several; another seed another one", async () => {
  const again = await simulateInto({ ...OPTIONS, workers: 1 });
  const other = await simulateInto({ ...OPTIONS, seed: "other-seed" });
  try {
    assert.equal(digest(again), digest(archive));
    assert.notEqual(digest(other), digest(archive));
  } finally {
    again.cleanup();
    other.cleanup();
  }
});

test("files follow the S3 delivery layout, are valid gzip with a Records array, one per account/region and window", () => {
  const delivered = archive.files.filter((f) => f !== "ground-truth.json");
  assert.equal(delivered.length, archive.result.files);
  const streams = new Map<string, number>();
  for (const f of delivered) {
    const m = LAYOUT.exec(f);
    assert.ok(m, `${f} does not follow the layout`);
    const stamp = m[6];
    assert.equal(`${m[3]}${m[4]}${m[5]}`, stamp.slice(0, 8), `${f}: day folder is the delivery day`);
    streams.set(`${m[1]}/${m[2]}`, (streams.get(`${m[1]}/${m[2]}`) ?? 0) + 1);
    const records = readRecords(archive, f);
    assert.ok(records.length > 0);
    for (const r of records) {
      assert.equal(r.recipientAccountId, m[1]);
      assert.equal(r.awsRegion, m[2]);
    }
  }
  const truth = archive.result.truth;
  assert.equal(truth.accounts.length, 2);
  for (const c of truth.clusters) {
    // A cluster's account and region is busy: about one file every 5 minutes.
    const files = streams.get(`${c.account}/${c.region}`) ?? 0;
    assert.ok(files >= OPTIONS.hours * 12 * 0.9 && files <= OPTIONS.hours * 12 + 2, `${files} files for ${c.name}`);
  }
  assert.equal(allRecords(archive).length, archive.result.records);
});

test("events are unordered inside files, and some files are delivered late", () => {
  let unordered = 0;
  let late = 0;
  for (const f of archive.files.filter((x) => x.endsWith(".json.gz"))) {
    const times = readRecords(archive, f).map((r) => Date.parse(String(r.eventTime)));
    if (times.some((t, i) => i > 0 && t < times[i - 1])) unordered++;
    const stamp = /_(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})Z_/.exec(f)!;
    const delivered = Date.UTC(+stamp[1], +stamp[2] - 1, +stamp[3], +stamp[4], +stamp[5]);
    if (delivered - Math.max(...times) > 15 * 60_000) late++;
  }
  assert.ok(unordered > archive.result.files / 2, `${unordered} unordered files`);
  assert.ok(late > 0, "no late file");
  assert.ok(late < archive.result.files / 10, `${late} late files`);
});

test("ground truth labels every attack with keys and event ids that are in the archive", () => {
  const truth = JSON.parse(readFileSync(join(archive.dir, "ground-truth.json"), "utf8")) as GroundTruth;
  assert.deepEqual(truth, archive.result.truth);
  assert.deepEqual(truth.attacks.map((a) => a.kind), [...ATTACK_KINDS]);
  const byId = new Map(allRecords(archive).map((r) => [r.eventID, r]));
  for (const attack of truth.attacks) {
    assert.ok(attack.accessKeys.length > 0 && attack.eventIds.length > 0, attack.id);
    assert.ok(Date.parse(attack.start) <= Date.parse(attack.end));
    for (const id of attack.eventIds) {
      const r = byId.get(id);
      assert.ok(r, `${attack.id}: event ${id} not written`);
      const t = Date.parse(String(r.eventTime));
      assert.ok(t >= Date.parse(attack.start) - 1000 && t <= Date.parse(attack.end) + 1000, `${attack.id}: ${id} outside its span`);
    }
    assert.equal(attack.expected.length, 2, `${attack.id}: an expectation per built-in rule`);
  }
  const ids = truth.benign.map((b) => b.id);
  for (const workload of ["aws-load-balancer-controller", "external-dns", "ebs-csi-driver", "external-secrets", "fluent-bit", "payments-api"]) {
    assert.ok(ids.includes(`${truth.clusters[0].name}/${workload}`), workload);
  }
  assert.ok(ids.some((id) => /karpenter|cluster-autoscaler/.test(id)));
  for (const kind of ["node-role", "sso-engineers", "github-oidc-ci", "aws-service-roles"]) {
    assert.ok(truth.benign.some((b) => b.kind === kind), kind);
  }
  // The denied CronJob's exchanges fail and issue no key.
  const denied = allRecords(archive).filter((r) => r.errorCode === "AccessDenied");
  assert.ok(denied.length > 0);
  for (const r of denied) {
    assert.equal(r.eventName, "AssumeRoleWithWebIdentity");
    assert.equal(r.responseElements, null);
    assert.equal((r.userIdentity as { userName: string }).userName, "system:serviceaccount:reports:default");
  }
});

test("--attacks none writes no attack and an empty attack list", async () => {
  const quiet = await simulateInto({ ...OPTIONS, hours: 1, attacks: [] });
  try {
    assert.deepEqual(quiet.result.truth.attacks, []);
    const records = allRecords(quiet);
    assert.ok(records.length > 0);
    assert.ok(!records.some((r) => String(r.userAgent).includes("ubuntu.24")), "no attacker tool user agent");
  } finally {
    quiet.cleanup();
  }
});
