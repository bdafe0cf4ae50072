import { type AsnTable, decodeAsnTable, NO_ORG } from "./asn-format.ts";
import { parseIp } from "./ip.ts";
import { isSpecialPurpose } from "./special-ranges.ts";
import type { AsnDatabase, AsnInfo } from "./types.ts";

import { type BundledFile, readBundledFile } from "./bundled-file.ts";

const BUNDLED_ASN_FILE: BundledFile = "asn.bin";

/** The ASN table built from @ip-location-db/asn (DB-IP, RouteViews, NRO; CC-BY-4.0, see NOTICE). */
export function loadBundledAsn(): AsnDatabase {
  return asnDatabaseFromTable(decodeAsnTable(readBundledFile(BUNDLED_ASN_FILE)));
}

/**
 * The bundled table with its arrays in shared memory (SharedArrayBuffer): worker threads handed it (workerData,
 * postMessage) all read one copy instead of decompressing their own.
 */
export function loadBundledAsnTableShared(): AsnTable {
  return decodeAsnTable(readBundledFile(BUNDLED_ASN_FILE, true));
}

export function asnDatabaseFromTable(table: AsnTable): AsnDatabase {
  // One AsnInfo object per entry, made on first use and shared by every range that points at it.
  const infos: (AsnInfo | undefined)[] = new Array(table.entryAsn.length);
  const info = (entry: number): AsnInfo => {
    let value = infos[entry];
    if (!value) {
      const org = table.entryOrg[entry];
      value =
        org === NO_ORG
          ? { number: table.entryAsn[entry] }
          : { number: table.entryAsn[entry], organization: table.orgs[org] };
      infos[entry] = value;
    }
    return value;
  };
  return {
    lookup(text: string): AsnInfo | undefined {
      const ip = parseIp(text);
      if (!ip || isSpecialPurpose(ip)) return undefined;
      const row = ip.version === 4 ? findV4(table, ip.value) : findV6(table, ip.words);
      return row < 0 ? undefined : info(ip.version === 4 ? table.v4Entry[row] : table.v6Entry[row]);
    },
  };
}

/** Index of the range holding `value`, or -1. */
function findV4(t: AsnTable, value: number): number {
  let lo = 0;
  let hi = t.v4Start.length - 1;
  let found = -1; // last row whose start ≤ value
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    if (t.v4Start[mid] <= value) {
      found = mid;
      lo = mid + 1;
    } else {
      hi = mid - 1;
    }
  }
  return found >= 0 && value <= t.v4End[found] ? found : -1;
}

function findV6(t: AsnTable, words: Uint32Array): number {
  let lo = 0;
  let hi = t.v6Entry.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    if (compareWords(t.v6Start, mid * 4, words) <= 0) {
      found = mid;
      lo = mid + 1;
    } else {
      hi = mid - 1;
    }
  }
  return found >= 0 && compareWords(t.v6End, found * 4, words) >= 0 ? found : -1;
}

/** Compares the address stored at `array[at..at+3]` with `words`. */
function compareWords(array: Uint32Array, at: number, words: Uint32Array): number {
  for (let i = 0; i < 4; i++) {
    const a = array[at + i];
    const b = words[i];
    if (a !== b) return a < b ? -1 : 1;
  }
  return 0;
}
