/**
 * The lateral-movement rule as a DuckDB user would script it: read_json over the same .json.gz files, unnest Records,
 * the rule's first WHERE, then its per-key STATS and threshold, on the same number of threads. Measured two ways:
 * the query alone in this process (DuckDB already loaded: the strict comparison), and a Node process that loads
 * @duckdb/node-api and runs it, from spawn to exit, the way the ceiling and the scan are measured.
 */
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { DuckDBInstance } from "@duckdb/node-api";

const repoRoot = fileURLToPath(new URL("..", import.meta.url));

const FOLLOW_ON = [
  "ListBuckets", "DescribeInstances", "GetCallerIdentity", "ListUsers", "ListRoles", "ListAttachedRolePolicies",
  "GetRolePolicy", "GetSecretValue", "ListSecrets", "GetParameters", "DescribeParameters", "ListKeys", "Decrypt",
  "ListFunctions", "GetAuthorizationToken", "SendCommand", "StartSession", "CreateUser", "CreateAccessKey",
  "AttachRolePolicy", "CreateRole", "PutRolePolicy", "UpdateAssumeRolePolicy", "UpdateFunctionCode",
  "UpdateFunctionConfiguration", "ModifyInstanceAttribute", "StopLogging", "DeleteTrail",
];

export interface DuckResult {
  seconds: number;
  keys: string[];
}

function lateralMovementSql(root: string): string {
  const glob = `${root.replaceAll("'", "''")}/AWSLogs/*/CloudTrail/*/*/*/*/*.json.gz`;
  const list = FOLLOW_ON.map((a) => `'${a}'`).join(", ");
  return `
    WITH records AS (
      SELECT unnest(Records) AS r
      FROM read_json('${glob}', columns = {Records: 'JSON[]'}, format = 'auto', maximum_object_size = 268435456)
    ),
    events AS (
      SELECT r->>'eventName' AS action, r->'userIdentity'->>'type' AS identity_type,
             r->'userIdentity'->>'userName' AS user_name, r->'userIdentity'->>'accessKeyId' AS key_id,
             r->'responseElements'->'credentials'->>'accessKeyId' AS issued_key_id,
             r->>'sourceIPAddress' AS source_ip, r->>'eventTime' AS event_time
      FROM records
    )
    SELECT COALESCE(issued_key_id, key_id) AS access_key,
           SUM(CASE WHEN action = 'AssumeRoleWithWebIdentity' THEN 1 ELSE 0 END) AS assume_count,
           COUNT(DISTINCT action) AS post_exploit_count, list(DISTINCT source_ip) AS source_ips,
           MIN(event_time) AS first_seen, MAX(event_time) AS last_seen, COUNT(*) AS total_calls
    FROM events
    WHERE (action = 'AssumeRoleWithWebIdentity' AND user_name LIKE 'system:serviceaccount:%')
       OR (action IN (${list}) AND identity_type = 'AssumedRole')
    GROUP BY 1
    HAVING access_key IS NOT NULL AND assume_count >= 1 AND post_exploit_count >= 3`;
}

export async function duckdbLateralMovement(root: string, threads: number): Promise<DuckResult> {
  const sql = lateralMovementSql(root);
  const instance = await DuckDBInstance.create(":memory:", { threads: String(threads) });
  const connection = await instance.connect();
  const started = performance.now();
  const reader = await connection.runAndReadAll(sql);
  const seconds = (performance.now() - started) / 1000;
  const keys = reader.getRowObjectsJson().map((row) => String(row.access_key));
  connection.closeSync();
  instance.closeSync();
  return { seconds, keys };
}

const PROCESS_PROGRAM = `
const { DuckDBInstance } = await import("@duckdb/node-api");
const [sql, threads] = process.argv.slice(1);
const instance = await DuckDBInstance.create(":memory:", { threads });
const connection = await instance.connect();
const reader = await connection.runAndReadAll(sql);
process.stdout.write(JSON.stringify(reader.getRowObjectsJson().map((row) => String(row.access_key))));
`;

/** The same query in a Node process of its own, timed from spawn to exit. */
export async function duckdbLateralMovementProcess(root: string, threads: number): Promise<DuckResult> {
  const started = performance.now();
  const out = await new Promise<string>((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ["--input-type=module", "-e", PROCESS_PROGRAM, lateralMovementSql(root), String(threads)],
      { cwd: repoRoot, stdio: ["ignore", "pipe", "inherit"] },
    );
    let text = "";
    child.stdout.on("data", (d: Buffer) => (text += d.toString()));
    child.on("close", (code) => (code === 0 ? resolve(text) : reject(new Error(`DuckDB process exited with ${code}`))));
  });
  return { seconds: (performance.now() - started) / 1000, keys: JSON.parse(out) as string[] };
}
