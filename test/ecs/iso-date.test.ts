/** The date processor's output, on CloudTrail's own spelling (the short path) and on the general ISO forms. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { isoToElasticDate, parseIsoMillis } from "../../src/ecs/iso-date.ts";

/** What Elasticsearch stores, computed independently through Date for the cases that Date reads alike. */
function viaDate(text: string): string {
  return new Date(text).toISOString();
}

test("CloudTrail's yyyy-MM-ddTHH:mm:ssZ gains milliseconds, as a Date would print it", () => {
  for (const text of ["2023-07-14T09:03:21Z", "1999-12-31T23:59:59Z", "2024-02-29T00:00:00Z", "2000-02-29T12:00:00Z"]) {
    assert.equal(isoToElasticDate(text), viaDate(text), text);
  }
});

test("out-of-range fields are not dates", () => {
  for (const text of [
    "2023-02-29T00:00:00Z",
    "2100-02-29T00:00:00Z",
    "2023-04-31T00:00:00Z",
    "2023-13-01T00:00:00Z",
    "2023-00-01T00:00:00Z",
    "2023-01-00T00:00:00Z",
    "2023-01-01T24:00:00Z",
    "2023-01-01T00:60:00Z",
    "2023-01-01T00:00:60Z",
    "2023-01-01T0a:00:00Z",
    "redacted",
  ]) {
    assert.equal(isoToElasticDate(text), undefined, text);
  }
});

test("other ISO forms: fraction truncated to milliseconds, offsets, space separator, date only", () => {
  assert.equal(isoToElasticDate("2023-07-14T09:03:21.123456789Z"), "2023-07-14T09:03:21.123Z");
  assert.equal(isoToElasticDate("2023-07-14T11:03:21+02:00"), "2023-07-14T09:03:21.000Z");
  assert.equal(isoToElasticDate("2023-07-14 09:03:21Z"), "2023-07-14T09:03:21.000Z");
  assert.equal(isoToElasticDate("2023-07-14"), "2023-07-14T00:00:00.000Z");
  assert.equal(isoToElasticDate("2023-07-14t09:03:21Z"), undefined);
  assert.equal(isoToElasticDate(20230714), undefined);
});

test("years before 100 keep the general route's day check, which reads them as 19xx", () => {
  // 0004 is a leap year, 1904 too: accepted; 0000 is one but 1900 is not: rejected, as before the short path.
  assert.equal(isoToElasticDate("0004-02-29T00:00:00Z"), "0004-02-29T00:00:00.000Z");
  assert.equal(isoToElasticDate("0000-02-29T00:00:00Z"), undefined);
  assert.equal(parseIsoMillis("0050-06-01T00:00:00Z"), new Date("0050-06-01T00:00:00Z").getTime());
});
