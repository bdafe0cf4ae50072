/**
 * The lateral-movement rule as a DuckDB user would script it: read_json over the same .json.gz files, unnest Records,
 * the rule's first WHERE, then its per-key STATS and threshold, on the same number of threads.
 */
import { DuckDBInstance } from "@duckdb/node-api";

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

export async function duckdbLateralMovement(root: string, threads: number): Promise<DuckResult> {
  const glob = `${root.replaceAll("'", "''")}/AWSLogs/*/CloudTrail/*/*/*/*/*.json.gz`;
  const list = FOLLOW_ON.map((a) => `'${a}'`).join(", ");
  const sql = `
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
