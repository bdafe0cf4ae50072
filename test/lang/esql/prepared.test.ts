/**
 * prepare/runPrepared: a document's row-local leading commands run once, the rest per run. Over any run context the
 * pair must give exactly what run() gives: rows, group keys and counts, and warnings in the same order.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Document } from "../../../src/doc/document.ts";
import { type CompiledEsql, compileEsql, type EsqlResult, type RunContext } from "../../../src/lang/esql/index.ts";
import { catalog, NOW } from "./helpers.ts";
import { esqlRules, permissiveCatalog } from "./rules.ts";

const FROM = "FROM logs-aws.cloudtrail-*";
const LATER = new Date(NOW.getTime() + 3 * 3600_000);

interface Outcome {
  result: EsqlResult;
  warnings: string[];
}

function runBoth(query: CompiledEsql, docs: Document[], ctx: Partial<RunContext> = {}): [Outcome, Outcome] {
  const direct: string[] = [];
  const viaPrepared: string[] = [];
  const base = { now: NOW, ...ctx };
  const result = query.run(docs, { ...base, onWarning: (m) => direct.push(m) });
  const prepared = docs.map((d) => query.prepare(d, { skipRowFilter: ctx.skipRowFilter, metadata: ctx.metadata }));
  const preparedResult = query.runPrepared(prepared, { ...base, onWarning: (m) => viaPrepared.push(m) });
  return [
    { result, warnings: direct },
    { result: preparedResult, warnings: viaPrepared },
  ];
}

/** Asserts the two paths agree and returns the (common) outcome for further checks. */
function same(queryText: string, docs: Document[], ctx: Partial<RunContext> = {}): Outcome {
  const [direct, prepared] = runBoth(compileEsql(queryText, catalog), docs, ctx);
  assert.deepEqual(prepared, direct);
  return direct;
}

const actions: Document[] = [
  { "@timestamp": "2026-05-01T10:00:00Z", event: { action: "A" }, user: { name: "u1" }, source: { ip: "10.0.0.1" } },
  { "@timestamp": "2026-05-01T11:00:00Z", event: { action: "B" }, user: { name: ["u1", "u2"] } },
  { "@timestamp": "2026-05-01T11:30:00Z", event: { action: "A" }, user: { name: "u2" } },
  { "@timestamp": "2026-05-01T13:00:00Z", event: { action: "C" } },
  { "@timestamp": "2026-05-01T14:00:00Z", event: { action: ["A", "C"] }, user: { name: "u3" } },
];

describe("the prepared prefix", () => {
  it("covers the row-local commands up to the first STATS, SORT or LIMIT, hoisted WHEREs included", () => {
    const prepared = (q: string) => compileEsql(q, catalog).preparedCommands;
    assert.equal(prepared(`${FROM} | WHERE event.action == "A" | EVAL x = 1 | STATS c = COUNT(*) BY x`), 2);
    assert.equal(prepared(`${FROM} | EVAL x = 1 | MV_EXPAND user.name | KEEP x, user.name | SORT x`), 3);
    assert.equal(prepared(`${FROM} | EVAL x = 1 | LIMIT 2 | EVAL y = 2 | STATS c = COUNT(*)`), 1);
    assert.equal(prepared(`${FROM} | SORT @timestamp | EVAL x = 1`), 0);
  });

  it("stops before the first command that reads NOW(), which runs on every execution", () => {
    const query = compileEsql(
      `${FROM} | EVAL a = TO_UPPER(event.action) | WHERE @timestamp >= NOW() - 2 hours | EVAL b = 1 | STATS c = COUNT(*) BY a`,
      catalog,
    );
    assert.equal(query.preparedCommands, 1);
    const prepared = actions.map((d) => query.prepare(d, {}));
    // One preparation, two executions at different times: each must see its own NOW().
    for (const now of [NOW, LATER]) {
      const expected = query.run(actions, { now });
      assert.deepEqual(query.runPrepared(prepared, { now }), expected);
    }
    assert.notDeepEqual(query.run(actions, { now: NOW }).rows, query.run(actions, { now: LATER }).rows);
  });

  it("a KQL() with date math reads the run's now too; one without does not", () => {
    const withNow = compileEsql(`${FROM} | WHERE KQL("@timestamp >= now-2h") | STATS c = COUNT(*)`, catalog);
    const without = compileEsql(`${FROM} | WHERE KQL("event.action: A") | STATS c = COUNT(*)`, catalog);
    assert.equal(withNow.preparedCommands, 0);
    assert.equal(without.preparedCommands, 1);
    const prepared = actions.map((d) => withNow.prepare(d, {}));
    assert.deepEqual(withNow.runPrepared(prepared, { now: NOW }).rows, [[5]]);
    assert.deepEqual(withNow.runPrepared(prepared, { now: LATER }).rows, [[2]]);
    assert.deepEqual(withNow.runPrepared(prepared, { now: new Date("2026-05-01T15:30:00Z") }).rows, [[1]]);
  });
});

describe("runPrepared gives what run gives", () => {
  it("with a WHERE with NOW() before STATS", () => {
    for (const now of [NOW, LATER]) {
      same(`${FROM} | WHERE @timestamp > NOW() - 1 hour | STATS c = COUNT(*) BY event.action`, actions, { now });
    }
  });

  it("with a LIMIT before STATS: the LIMIT counts rows across documents", () => {
    const { result } = same(`${FROM} | EVAL a = event.action | LIMIT 3 | STATS c = COUNT(*) BY a | SORT a`, actions);
    assert.deepEqual(result.rows, [[2, "A"], [1, "B"]]);
  });

  it("with MV_EXPAND before STATS", () => {
    const { result } = same(
      `${FROM} | MV_EXPAND user.name | EVAL n = CONCAT(user.name, "!") | STATS c = COUNT(*) BY n | SORT n`,
      actions,
    );
    assert.deepEqual(result.rows, [[2, "u1!"], [2, "u2!"], [1, "u3!"], [1, null]]);
  });

  it("with MV_EXPAND and a LIMIT that stops in the middle of a document's rows", () => {
    const { result } = same(`${FROM} | MV_EXPAND user.name | LIMIT 2 | KEEP user.name`, actions);
    assert.deepEqual(result.rows, [["u1"], ["u1"]]);
  });

  it("with multivalued and null group keys", () => {
    const { result } = same(`${FROM} | EVAL who = user.name | STATS c = COUNT(*) BY who, event.action`, actions);
    assert.ok(result.groupKeys?.includes('["u2","B"]'));
    assert.ok(result.groupKeys?.includes('[null,"C"]'));
    assert.ok(result.groupKeys?.includes('["u3","A"]') && result.groupKeys?.includes('["u3","C"]'));
  });

  it("with warnings from the prefix and the rest, in the same order and counts", () => {
    const multi = Array.from({ length: 25 }, (_, i) => ({ event: { action: ["A", "B"] }, user: { name: `u${i}` } }));
    const docs: Document[] = [...multi, ...actions];
    const { warnings } = same(
      `${FROM} | EVAL a = TO_LOWER(event.action) | MV_EXPAND user.name | EVAL u = TO_UPPER(user.name) | STATS c = COUNT(*) BY a | EVAL d = c == 1 | KEEP a, d`,
      docs,
    );
    // 20 recorded failures per site per run, as Elasticsearch caps them, plus the header.
    assert.equal(warnings.filter((w) => /failed, treating result as null/.test(w)).length, 1);
    assert.equal(warnings.filter((w) => /single-value function/.test(w)).length, 20);
  });

  it("with warnings in a hoisted WHERE, run and prepared applying the row filter", () => {
    const { warnings } = same(`${FROM} | WHERE user.name == "u1" | STATS c = COUNT(*)`, actions);
    assert.equal(warnings.length, 2);
  });

  it("with a LIMIT after STATS-less rows, and the result cap", () => {
    same(`${FROM} | EVAL a = event.action | WHERE a != "B"`, actions, { limit: 2 });
    same(`${FROM} | EVAL a = event.action | SORT a DESC | LIMIT 2`, actions);
  });

  it("with METADATA _id read through the prepare-time metadata", () => {
    const ids = new Map(actions.map((d, i) => [d, `id-${i}`]));
    const metadata = (doc: Document) => ({ _id: ids.get(doc) });
    const { result } = same(`${FROM} METADATA _id | WHERE event.action == "A" | KEEP _id`, actions, { metadata });
    // The multivalued action of the last document makes == null (with a warning): it is not selected.
    assert.deepEqual(result.rows, [["id-0"], ["id-2"]]);
  });

  it("with a ROW query, which reads no documents", () => {
    same(`ROW a = 1 | EVAL b = a + 1`, []);
  });

  it("with KQL() after the prefix, which still sees the source document", () => {
    same(`${FROM} | EVAL a = 1 | LIMIT 10 | WHERE KQL("user.name: u2") | KEEP a, user.name`, actions);
  });

  it("for every reference ES|QL rule, over documents of the fields each reads", () => {
    const rules = esqlRules();
    assert.equal(rules.length, 26);
    const ruleCatalog = permissiveCatalog(rules);
    let prefixed = 0;
    for (const { file, query } of rules) {
      const compiled = compileEsql(query, ruleCatalog);
      if (compiled.preparedCommands > 0) prefixed++;
      const docs = syntheticDocuments(compiled.requiredFields);
      for (const now of [NOW, LATER]) {
        const [direct, prepared] = runBoth(compiled, docs, { now });
        assert.deepEqual(prepared, direct, file);
      }
    }
    assert.ok(prefixed >= 20, `${prefixed} of 26 rules prepare something`);
  });
});

/** Documents whose fields take a few recurring values, so rule conditions sometimes hold and groups form. */
function syntheticDocuments(fields: string[] | "*"): Document[] {
  const names = fields === "*" ? ["event.action", "user.name"] : fields;
  const docs: Document[] = [];
  for (let i = 0; i < 60; i++) {
    const doc: Record<string, unknown> = {};
    for (const [k, name] of names.entries()) {
      if ((i + k) % 7 === 0) continue;
      doc[name] = /timestamp|ingested|date/.test(name)
        ? new Date(NOW.getTime() - (i % 30) * 600_000).toISOString()
        : name === "source.ip"
          ? `10.0.0.${i % 5}`
          : (i + k) % 11 === 0
            ? [`v${i % 3}`, `v${(i + 1) % 3}`]
            : `v${(i * (k + 1)) % 4}`;
    }
    docs.push(doc as Document);
  }
  return docs;
}
