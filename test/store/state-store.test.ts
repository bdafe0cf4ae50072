import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { StateStore, StoreError } from "../../src/store/state-store.ts";

function tempDir(t: { after(fn: () => void): void }): string {
  const dir = mkdtempSync(join(tmpdir(), "trailwatch-store-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

const object = (id: string, readAt = 1000) => ({ id, source: "dir", name: id, modifiedAt: readAt, readAt, records: 2 });
const alert = (id: string) => ({ id, ruleId: "r1", execution: 5000, alert: { "kibana.alert.uuid": id }, executions: 1 });

test("an object's candidates and its read mark are stored together; a repeated candidate keeps the first copy", async (t) => {
  const dir = tempDir(t);
  const store = await StateStore.open(dir);
  await store.commitObject(object("o1"), [
    { ruleId: "r1", docId: "e1", time: 1000, doc: { a: 1 } },
    { ruleId: "r2", docId: "e1", time: 1000, doc: { a: 1 } },
  ]);
  await store.commitObject(object("o2", 2000), [{ ruleId: "r1", docId: "e1", time: 2000, doc: { a: 2 } }]);
  assert.deepEqual([...(await store.readObjects(["o1", "o2", "o3"]))].sort(), ["o1", "o2"]);
  const window = await store.windowCandidates("r1", 0, 5000);
  assert.deepEqual(
    window.map((c) => [c.docId, c.time, c.doc, c.alerted]),
    [["e1", 1000, { a: 1 }, false]],
  );
  assert.deepEqual(await store.windowCandidates("r1", 1001, 5000), []);
  assert.equal(await store.newestObject(), 2000);
  await store.close();
});

test("an execution's alerts, outbox rows and checkpoint commit together; a replayed execution adds nothing", async (t) => {
  const dir = tempDir(t);
  let store = await StateStore.open(dir);
  await store.commitObject(object("o1"), [{ ruleId: "r1", docId: "e1", time: 1000, doc: {} }]);
  const execution = {
    ruleId: "r1",
    tick: 5000,
    from: 0,
    to: 5000,
    candidates: 1,
    alerts: [alert("A1")],
    alertedSources: ["e1"],
    finishedAt: 5000,
  };
  assert.deepEqual(await store.commitExecution(execution, ["stdout", "webhook:x"]), ["A1"]);
  assert.equal(await store.checkpoint("r1"), 5000);
  assert.equal((await store.windowCandidates("r1", 0, 5000))[0].alerted, true);
  await store.close();

  store = await StateStore.open(dir);
  assert.deepEqual(await store.commitExecution(execution, ["stdout", "webhook:x"]), []);
  assert.deepEqual(
    (await store.alerts()).map((a) => a.id),
    ["A1"],
  );
  const due = await store.due("webhook:x", 5000, 10);
  assert.deepEqual(
    due.map((e) => [e.alertId, e.attempts, e.alert["kibana.alert.uuid"]]),
    [["A1", 0, "A1"]],
  );
  await store.failed("webhook:x", "A1", 9000, "HTTP 503");
  assert.deepEqual(await store.due("webhook:x", 8999, 10), []);
  assert.equal((await store.due("webhook:x", 9000, 10))[0].attempts, 1);
  await store.delivered("webhook:x", "A1");
  assert.deepEqual(await store.due("webhook:x", 99_999, 10), []);
  assert.deepEqual([...(await store.undelivered())], [["stdout", 1]]);
  await store.close();
});

test("a group alert is updated in place by later executions and enters the outbox once", async (t) => {
  const store = await StateStore.open(tempDir(t));
  const group = (tick: number, rowCount: number, executions: number) => ({
    ruleId: "r1",
    tick,
    from: tick - 10,
    to: tick,
    candidates: rowCount,
    alerts: [{ ...alert("G"), execution: tick, rowCount, executions, alert: { n: rowCount } }],
    alertedSources: [],
    finishedAt: tick,
  });
  assert.deepEqual(await store.commitExecution(group(10, 2, 1), ["s"]), ["G"]);
  assert.deepEqual(await store.commitExecution(group(20, 5, 2), ["s"]), []);
  assert.deepEqual(await store.groupAlert("G"), { alert: { n: 5 }, rowCount: 5, executions: 2 });
  assert.equal((await store.due("s", 20, 10)).length, 1);
  await store.close();
});

test("pruning drops only candidates older than the horizon", async (t) => {
  const store = await StateStore.open(tempDir(t));
  await store.commitObject(object("o1"), [
    { ruleId: "r1", docId: "old", time: 100, doc: {} },
    { ruleId: "r1", docId: "new", time: 300, doc: {} },
    { ruleId: "r2", docId: "other", time: 100, doc: {} },
  ]);
  assert.equal(await store.prune("r1", 200), 1);
  assert.deepEqual(
    (await store.windowCandidates("r1", 0, 1000)).map((c) => c.docId),
    ["new"],
  );
  assert.equal((await store.windowCandidates("r2", 0, 1000)).length, 1);
  await store.close();
});

test("a state directory in use by another process is a clear error", async (t) => {
  const dir = tempDir(t);
  const { spawn } = await import("node:child_process");
  const holder = spawn(
    process.execPath,
    [
      "--import",
      "tsx",
      "-e",
      `const { StateStore } = await import(${JSON.stringify(new URL("../../src/store/state-store.ts", import.meta.url).href)});
       await StateStore.open(${JSON.stringify(dir)}); console.log("open"); setInterval(() => {}, 1000);`,
    ],
    { stdio: ["ignore", "pipe", "inherit"] },
  );
  t.after(() => holder.kill("SIGKILL"));
  await new Promise<void>((resolve) => holder.stdout.once("data", () => resolve()));
  await assert.rejects(StateStore.open(dir), (err: Error) => err instanceof StoreError && /in use by another/.test(err.message));
});
