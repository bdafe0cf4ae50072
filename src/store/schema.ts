/**
 * The tables of watch's state store. Times are epoch milliseconds; documents and alerts are JSON text. A table per
 * question the loop asks: was this object read, which candidates can a future window still select, where did each
 * rule's schedule get to, which alerts exist, and which of them each sink has still to receive.
 */
export const SCHEMA_VERSION = 1;

export const SCHEMA_SQL = [
  `CREATE TABLE IF NOT EXISTS meta (key VARCHAR PRIMARY KEY, value VARCHAR NOT NULL)`,
  `CREATE TABLE IF NOT EXISTS objects (
     id VARCHAR PRIMARY KEY,
     source VARCHAR NOT NULL,
     name VARCHAR NOT NULL,
     modified_at BIGINT NOT NULL,
     read_at BIGINT NOT NULL,
     records INTEGER NOT NULL,
     candidates INTEGER NOT NULL
   )`,
  `CREATE TABLE IF NOT EXISTS candidates (
     rule_id VARCHAR NOT NULL,
     doc_id VARCHAR NOT NULL,
     window_time BIGINT NOT NULL,
     doc VARCHAR NOT NULL,
     alerted BOOLEAN NOT NULL DEFAULT false,
     PRIMARY KEY (rule_id, doc_id)
   )`,
  `CREATE TABLE IF NOT EXISTS checkpoints (rule_id VARCHAR PRIMARY KEY, last_tick BIGINT NOT NULL)`,
  `CREATE TABLE IF NOT EXISTS executions (
     rule_id VARCHAR NOT NULL,
     tick BIGINT NOT NULL,
     window_from BIGINT NOT NULL,
     window_to BIGINT NOT NULL,
     candidates INTEGER NOT NULL,
     alerts INTEGER NOT NULL,
     finished_at BIGINT NOT NULL,
     PRIMARY KEY (rule_id, tick)
   )`,
  `CREATE SEQUENCE IF NOT EXISTS alert_order`,
  `CREATE TABLE IF NOT EXISTS alerts (
     alert_id VARCHAR PRIMARY KEY,
     seq BIGINT NOT NULL DEFAULT nextval('alert_order'),
     rule_id VARCHAR NOT NULL,
     execution BIGINT NOT NULL,
     row_count INTEGER,
     executions INTEGER NOT NULL,
     alert VARCHAR NOT NULL
   )`,
  `CREATE TABLE IF NOT EXISTS outbox (
     sink VARCHAR NOT NULL,
     alert_id VARCHAR NOT NULL,
     attempts INTEGER NOT NULL DEFAULT 0,
     next_attempt_at BIGINT NOT NULL,
     delivered_at BIGINT,
     last_error VARCHAR,
     PRIMARY KEY (sink, alert_id)
   )`,
];
