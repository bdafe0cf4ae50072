/**
 * watch's state in one DuckDB file. Two transactions carry exactly-once: "object processed" stores the object's
 * candidates and marks it read together; "execution done" stores its alerts, their outbox rows and the rule's
 * checkpoint together. A crash between them replays the unfinished step, and deterministic alert ids inserted with
 * conflict-ignore make the replay raise nothing twice.
 */
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { type DuckDBConnection, DuckDBInstance, type DuckDBValue } from "@duckdb/node-api";
import type { AlertDocument } from "../alerts/build.ts";
import type { OutboxEntry, OutboxStore } from "../alerts/sinks/sink.ts";
import type { Document } from "../doc/document.ts";
import { SCHEMA_SQL, SCHEMA_VERSION } from "./schema.ts";

export const DEFAULT_STATE_DIR = ".trailwatch";
export const STATE_FILE = "state.duckdb";

export interface ObjectRecord {
  id: string;
  source: string;
  name: string;
  modifiedAt: number;
  readAt: number;
  records: number;
}

export interface CandidateRow {
  ruleId: string;
  docId: string;
  time: number;
  doc: Document;
}

export interface StoredCandidate extends CandidateRow {
  alerted: boolean;
}

export interface StoredAlert {
  id: string;
  ruleId: string;
  execution: number;
  alert: AlertDocument;
  /** Set for de-duplicated aggregating alerts, which later executions update in place. */
  rowCount?: number;
  executions: number;
}

export interface ExecutionRecord {
  ruleId: string;
  tick: number;
  from: number;
  to: number;
  candidates: number;
  /** Alerts whose rows are new, or updated group alerts; the outbox only gets the new ones. */
  alerts: StoredAlert[];
  /** Candidates that raised their alert in this execution. */
  alertedSources: string[];
  finishedAt: number;
}

/** The state directory cannot be used (in use by another process, unwritable, not a DuckDB file). */
export class StoreError extends Error {}

/** Rows per multi-row INSERT: keeps statements small while sparing a round trip per row. */
const BATCH = 200;

export class StateStore implements OutboxStore {
  /** Every operation runs alone, so a transaction never interleaves with another caller's statements. */
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(
    readonly path: string,
    private readonly instance: DuckDBInstance,
    private readonly conn: DuckDBConnection,
  ) {}

  static async open(dir: string): Promise<StateStore> {
    const path = join(dir, STATE_FILE);
    let instance: DuckDBInstance;
    try {
      mkdirSync(dir, { recursive: true });
      instance = await DuckDBInstance.create(path);
    } catch (err) {
      const message = (err as Error).message;
      if (/lock/i.test(message)) throw new StoreError(`${path}: in use by another trailwatch process`);
      throw new StoreError(`${path}: cannot open the state store: ${message}`);
    }
    const conn = await instance.connect();
    for (const sql of SCHEMA_SQL) await conn.run(sql);
    await conn.run("INSERT INTO meta VALUES ('schema_version', $1) ON CONFLICT DO NOTHING", [String(SCHEMA_VERSION)]);
    const version = await rows(conn, "SELECT value FROM meta WHERE key = 'schema_version'");
    if (Number(version[0]?.value) !== SCHEMA_VERSION) {
      conn.closeSync();
      instance.closeSync();
      throw new StoreError(`${path}: written by another version of trailwatch (schema ${String(version[0]?.value)})`);
    }
    return new StateStore(path, instance, conn);
  }

  close(): Promise<void> {
    return this.exclusive(async () => {
      // A checkpoint folds the write-ahead log into the file, so the next start opens quickly.
      await this.conn.run("CHECKPOINT");
      this.conn.closeSync();
      this.instance.closeSync();
    });
  }

  /** Which of these object ids were already processed. */
  readObjects(ids: string[]): Promise<Set<string>> {
    return this.exclusive(async () => {
      const found = new Set<string>();
      for (let i = 0; i < ids.length; i += BATCH) {
        const part = ids.slice(i, i + BATCH);
        const list = part.map((_, j) => `$${j + 1}`).join(",");
        for (const r of await rows(this.conn, `SELECT id FROM objects WHERE id IN (${list})`, part)) {
          found.add(String(r.id));
        }
      }
      return found;
    });
  }

  /** Atomically: the object's candidates (a candidate already stored for the rule wins) and the object as read. */
  commitObject(object: ObjectRecord, candidates: CandidateRow[]): Promise<void> {
    return this.transaction(async () => {
      for (let i = 0; i < candidates.length; i += BATCH) {
        const part = candidates.slice(i, i + BATCH);
        await this.conn.run(
          `INSERT INTO candidates (rule_id, doc_id, window_time, doc) VALUES ${placeholders(part.length, 4)}
           ON CONFLICT DO NOTHING`,
          part.flatMap((c) => [c.ruleId, c.docId, c.time, JSON.stringify(c.doc)]),
        );
      }
      await this.conn.run(
        "INSERT INTO objects VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING",
        [object.id, object.source, object.name, object.modifiedAt, object.readAt, object.records, candidates.length],
      );
    });
  }

  /** The newest modification time among processed objects. */
  newestObject(): Promise<number | undefined> {
    return this.exclusive(async () => {
      const [r] = await rows(this.conn, "SELECT max(modified_at) AS t FROM objects");
      return r?.t === null || r?.t === undefined ? undefined : Number(r.t);
    });
  }

  checkpoint(ruleId: string): Promise<number | undefined> {
    return this.exclusive(async () => {
      const [r] = await rows(this.conn, "SELECT last_tick FROM checkpoints WHERE rule_id = $1", [ruleId]);
      return r ? Number(r.last_tick) : undefined;
    });
  }

  /** Where a rule's schedule starts when it has never run: executions after `tick`. */
  startSchedule(ruleId: string, tick: number): Promise<void> {
    return this.exclusive(async () => {
      await this.conn.run("INSERT INTO checkpoints VALUES ($1, $2) ON CONFLICT DO NOTHING", [ruleId, tick]);
    });
  }

  /** Moves the checkpoint past executions that had nothing in their window (not logged, nothing to commit). */
  advanceCheckpoint(ruleId: string, tick: number): Promise<void> {
    return this.exclusive(async () => {
      await this.conn.run(
        "UPDATE checkpoints SET last_tick = greatest(last_tick, $2) WHERE rule_id = $1",
        [ruleId, tick],
      );
    });
  }

  /** The rule's candidates with window time in [from, to], oldest first. */
  windowCandidates(ruleId: string, from: number, to: number): Promise<StoredCandidate[]> {
    return this.exclusive(async () => {
      const found = await rows(
        this.conn,
        `SELECT doc_id, window_time, doc, alerted FROM candidates
         WHERE rule_id = $1 AND window_time >= $2 AND window_time <= $3 ORDER BY window_time, doc_id`,
        [ruleId, from, to],
      );
      return found.map((r) => ({
        ruleId,
        docId: String(r.doc_id),
        time: Number(r.window_time),
        doc: JSON.parse(String(r.doc)) as Document,
        alerted: r.alerted === true,
      }));
    });
  }

  /** A stored de-duplicated aggregating alert, to merge a new execution's row into. */
  groupAlert(id: string): Promise<{ alert: AlertDocument; rowCount: number; executions: number } | undefined> {
    return this.exclusive(async () => {
      const [r] = await rows(this.conn, "SELECT alert, row_count, executions FROM alerts WHERE alert_id = $1", [id]);
      if (!r) return undefined;
      const alert = JSON.parse(String(r.alert)) as AlertDocument;
      return { alert, rowCount: Number(r.row_count ?? 0), executions: Number(r.executions) };
    });
  }

  /**
   * Atomically: the execution's alerts (new ids inserted, group alerts updated, ids that exist otherwise ignored),
   * an outbox row per sink for each new alert, the candidates that alerted, the execution log and the checkpoint.
   * Returns the ids of the alerts that are new.
   */
  commitExecution(execution: ExecutionRecord, sinks: string[]): Promise<string[]> {
    return this.transaction(async () => {
      const fresh: string[] = [];
      for (const a of execution.alerts) {
        const inserted = await rows(
          this.conn,
          `INSERT INTO alerts (alert_id, rule_id, execution, row_count, executions, alert) VALUES ($1, $2, $3, $4, $5, $6)
           ON CONFLICT DO NOTHING RETURNING alert_id`,
          [a.id, a.ruleId, a.execution, a.rowCount ?? null, a.executions, JSON.stringify(a.alert)],
        );
        if (inserted.length) fresh.push(a.id);
        else if (a.rowCount !== undefined) {
          await this.conn.run(
            "UPDATE alerts SET row_count = $2, executions = $3, execution = $4, alert = $5 WHERE alert_id = $1",
            [a.id, a.rowCount, a.executions, a.execution, JSON.stringify(a.alert)],
          );
        }
      }
      const outbox = fresh.flatMap((id) => sinks.map((sink) => [sink, id, execution.finishedAt]));
      for (let i = 0; i < outbox.length; i += BATCH) {
        const part = outbox.slice(i, i + BATCH);
        await this.conn.run(
          `INSERT INTO outbox (sink, alert_id, next_attempt_at) VALUES ${placeholders(part.length, 3)} ON CONFLICT DO NOTHING`,
          part.flat(),
        );
      }
      for (let i = 0; i < execution.alertedSources.length; i += BATCH) {
        const part = execution.alertedSources.slice(i, i + BATCH);
        const list = part.map((_, j) => `$${j + 2}`).join(",");
        await this.conn.run(`UPDATE candidates SET alerted = true WHERE rule_id = $1 AND doc_id IN (${list})`, [
          execution.ruleId,
          ...part,
        ]);
      }
      await this.conn.run("INSERT INTO executions VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING", [
        execution.ruleId,
        execution.tick,
        execution.from,
        execution.to,
        execution.candidates,
        execution.alerts.length,
        execution.finishedAt,
      ]);
      await this.conn.run(
        "INSERT INTO checkpoints VALUES ($1, $2) ON CONFLICT (rule_id) DO UPDATE SET last_tick = excluded.last_tick",
        [execution.ruleId, execution.tick],
      );
      return fresh;
    });
  }

  /** Drops the rule's candidates older than `before` (no future window reaches them); returns how many. */
  prune(ruleId: string, before: number): Promise<number> {
    return this.exclusive(async () => {
      const result = await this.conn.run("DELETE FROM candidates WHERE rule_id = $1 AND window_time < $2", [
        ruleId,
        before,
      ]);
      return Number(result.rowsChanged);
    });
  }

  /** The ids of a rule's alerts. */
  alertIds(ruleId: string): Promise<Set<string>> {
    return this.exclusive(async () => {
      const found = await rows(this.conn, "SELECT alert_id FROM alerts WHERE rule_id = $1", [ruleId]);
      return new Set(found.map((r) => String(r.alert_id)));
    });
  }

  /** Every alert, in the order they were first raised. */
  alerts(): Promise<StoredAlert[]> {
    return this.exclusive(async () => {
      const found = await rows(
        this.conn,
        "SELECT alert_id, rule_id, execution, row_count, executions, alert FROM alerts ORDER BY seq",
      );
      return found.map((r) => ({
        id: String(r.alert_id),
        ruleId: String(r.rule_id),
        execution: Number(r.execution),
        rowCount: r.row_count === null ? undefined : Number(r.row_count),
        executions: Number(r.executions),
        alert: JSON.parse(String(r.alert)) as AlertDocument,
      }));
    });
  }

  /** Row counts per table, for status and measurements. */
  counts(): Promise<Record<string, number>> {
    return this.exclusive(async () => {
      const out: Record<string, number> = {};
      for (const table of ["objects", "candidates", "executions", "alerts", "outbox"]) {
        const [r] = await rows(this.conn, `SELECT count(*) AS n FROM ${table}`);
        out[table] = Number(r.n);
      }
      return out;
    });
  }

  due(sink: string, now: number, limit: number): Promise<OutboxEntry[]> {
    return this.exclusive(async () => {
      const found = await rows(
        this.conn,
        `SELECT o.alert_id, o.attempts, o.next_attempt_at, a.alert FROM outbox o JOIN alerts a USING (alert_id)
         WHERE o.sink = $1 AND o.delivered_at IS NULL AND o.next_attempt_at <= $2 ORDER BY a.seq LIMIT $3`,
        [sink, now, limit],
      );
      return found.map((r) => ({
        sink,
        alertId: String(r.alert_id),
        alert: JSON.parse(String(r.alert)) as AlertDocument,
        attempts: Number(r.attempts),
        nextAttemptAt: Number(r.next_attempt_at),
      }));
    });
  }

  delivered(sink: string, alertId: string): Promise<void> {
    return this.exclusive(async () => {
      await this.conn.run(
        "UPDATE outbox SET delivered_at = $3, attempts = attempts + 1, last_error = NULL WHERE sink = $1 AND alert_id = $2",
        [sink, alertId, Date.now()],
      );
    });
  }

  failed(sink: string, alertId: string, nextAttemptAt: number, error: string): Promise<void> {
    return this.exclusive(async () => {
      await this.conn.run(
        "UPDATE outbox SET attempts = attempts + 1, next_attempt_at = $3, last_error = $4 WHERE sink = $1 AND alert_id = $2",
        [sink, alertId, nextAttemptAt, error],
      );
    });
  }

  /** Outbox rows not yet delivered, per sink. */
  undelivered(): Promise<Map<string, number>> {
    return this.exclusive(async () => {
      const found = await rows(
        this.conn,
        "SELECT sink, count(*) AS n FROM outbox WHERE delivered_at IS NULL GROUP BY sink ORDER BY sink",
      );
      return new Map(found.map((r) => [String(r.sink), Number(r.n)]));
    });
  }

  private transaction<T>(fn: () => Promise<T>): Promise<T> {
    return this.exclusive(async () => {
      await this.conn.run("BEGIN TRANSACTION");
      try {
        const result = await fn();
        await this.conn.run("COMMIT");
        return result;
      } catch (err) {
        await this.conn.run("ROLLBACK");
        throw err;
      }
    });
  }

  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn, fn);
    this.queue = run.catch(() => undefined);
    return run;
  }
}

type Row = Record<string, DuckDBValue | string | null>;

async function rows(conn: DuckDBConnection, sql: string, params: DuckDBValue[] = []): Promise<Row[]> {
  const reader = await conn.runAndReadAll(sql, params);
  return reader.getRowObjectsJson() as Row[];
}

function placeholders(rowCount: number, width: number): string {
  const out: string[] = [];
  for (let r = 0; r < rowCount; r++) {
    out.push(`(${Array.from({ length: width }, (_, c) => `$${r * width + c + 1}`).join(", ")})`);
  }
  return out.join(", ");
}
