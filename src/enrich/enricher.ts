import { type Document, fieldValues, type JsonValue, setField } from "../doc/document.ts";
import type { AsnDatabase, AsnInfo, GeoDatabase, GeoInfo } from "./types.ts";

export interface Enricher {
  /** Sets `source.as.*` and `source.geo.*` from `source.ip`, as the AWS integration's two geoip processors do. */
  enrich(doc: Document): void;
}

export interface EnricherOptions {
  asn?: AsnDatabase;
  geo?: GeoDatabase;
  /** How many distinct IPs to remember (CloudTrail repeats a few IPs heavily). Default 50,000. */
  cacheSize?: number;
}

interface Hit {
  as?: AsnInfo;
  geo?: GeoInfo;
}

export function createEnricher(opts: EnricherOptions): Enricher {
  const { asn, geo } = opts;
  const cacheSize = opts.cacheSize ?? 50_000;
  const cache = new Map<string, Hit>();
  const lookup = (ip: string): Hit => {
    let hit = cache.get(ip);
    if (hit) {
      // Re-insert so the Map's insertion order is recency order and the oldest entry is the least recently used.
      cache.delete(ip);
    } else {
      hit = { as: asn?.lookup(ip), geo: geo?.lookup(ip) };
      if (cache.size >= cacheSize) cache.delete(cache.keys().next().value as string);
    }
    cache.set(ip, hit);
    return hit;
  };
  return {
    enrich(doc: Document): void {
      const ip = fieldValues(doc, "source.ip")[0];
      if (typeof ip !== "string") return;
      const hit = lookup(ip);
      if (hit.geo) setField(doc, "source.geo", geoObject(hit.geo));
      if (hit.as) setField(doc, "source.as", asObject(hit.as));
    },
  };
}

/** Fresh objects per document: cached lookups must not be shared with (and mutated through) documents. */
function geoObject(geo: GeoInfo): { [key: string]: JsonValue } {
  const out: { [key: string]: JsonValue } = { ...geo };
  if (geo.location) out.location = { lat: geo.location.lat, lon: geo.location.lon };
  return out;
}

/** The geoip processor writes `asn` and `organization_name`; the pipeline renames them to these ECS fields. */
function asObject(as: AsnInfo): { [key: string]: JsonValue } {
  return as.organization === undefined
    ? { number: as.number }
    : { number: as.number, organization: { name: as.organization } };
}
