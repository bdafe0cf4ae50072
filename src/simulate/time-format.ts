/** The date styles CloudTrail writes. */

/** eventTime style: second precision, "2026-11-20T09:00:00Z". */
export function isoSeconds(t: number): string {
  const second = Math.floor(t / 1000);
  const s = second - dayOf(second) * 86400;
  return `${cachedDayText}T${TWO_DIGITS[Math.floor(s / 3600)]}:${TWO_DIGITS[Math.floor(s / 60) % 60]}:${TWO_DIGITS[s % 60]}Z`;
}

/** The date part of eventTime: "2026-11-20". */
export function isoDay(t: number): string {
  dayOf(Math.floor(t / 1000));
  return cachedDayText;
}

function dayOf(second: number): number {
  const day = Math.floor(second / 86400);
  if (day !== cachedDay) {
    cachedDay = day;
    cachedDayText = new Date(day * 86400_000).toISOString().slice(0, 10);
  }
  return day;
}

// Formatting a Date is the costly part; records of one run share a handful of days.
const TWO_DIGITS = Array.from({ length: 60 }, (_, i) => String(i).padStart(2, "0"));
let cachedDay = Number.NaN;
let cachedDayText = "";

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/**
 * Java's default date style, as STS prints credential expirations ("Nov 21, 2026, 10:23:00 AM") and IAM prints
 * creation dates without the comma after the year ("Jul 30, 2024 9:53:13 PM"). Hand-formatted: toLocaleString is
 * far too slow for the simulator's record rate.
 */
export function javaDate(t: number, commaAfterYear = true): string {
  const d = new Date(t);
  const h24 = d.getUTCHours();
  const h12 = h24 % 12 === 0 ? 12 : h24 % 12;
  const mm = String(d.getUTCMinutes()).padStart(2, "0");
  const ss = String(d.getUTCSeconds()).padStart(2, "0");
  const year = commaAfterYear ? `${d.getUTCFullYear()},` : String(d.getUTCFullYear());
  return `${MONTHS[d.getUTCMonth()]} ${d.getUTCDate()}, ${year} ${h12}:${mm}:${ss} ${h24 < 12 ? "AM" : "PM"}`;
}

/** The stamp in a CloudTrail object name: "20261120T0905Z". */
export function fileStamp(t: number): string {
  const s = new Date(t).toISOString();
  return `${s.slice(0, 4)}${s.slice(5, 7)}${s.slice(8, 10)}T${s.slice(11, 13)}${s.slice(14, 16)}Z`;
}
