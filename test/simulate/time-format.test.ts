import assert from "node:assert/strict";
import { test } from "node:test";
import { fileStamp, isoDay, isoSeconds, javaDate } from "../../src/simulate/time-format.ts";

test("eventTime has second precision and agrees with Date across days and leap days", () => {
  for (const text of ["1970-01-01T00:00:00.000Z", "2024-02-29T12:00:01.999Z", "2026-11-20T23:59:59.500Z", "2026-11-21T00:00:00.000Z"]) {
    assert.equal(isoSeconds(Date.parse(text)), `${text.slice(0, 19)}Z`);
    assert.equal(isoDay(Date.parse(text)), text.slice(0, 10));
  }
});

test("Java date styles as STS and IAM print them, and the object-name stamp", () => {
  assert.equal(javaDate(Date.parse("2026-11-20T00:05:07Z")), "Nov 20, 2026, 12:05:07 AM");
  assert.equal(javaDate(Date.parse("2024-07-30T21:53:13Z"), false), "Jul 30, 2024 9:53:13 PM");
  assert.equal(javaDate(Date.parse("2026-01-02T12:00:00Z")), "Jan 2, 2026, 12:00:00 PM");
  assert.equal(fileStamp(Date.parse("2026-11-20T13:05:59Z")), "20261120T1305Z");
});
