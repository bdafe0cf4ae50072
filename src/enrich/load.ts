/**
 * Building an enricher from where its data comes from: the bundled ASN and country data, or MaxMind-format files.
 * A spec is plain data, so a worker thread builds the same enricher as the main thread.
 */
import type { AsnTable } from "./asn-format.ts";
import { asnDatabaseFromTable, loadBundledAsn, loadBundledAsnTableShared } from "./bundled-asn.ts";
import { bundledGeoBytesShared, loadBundledGeo } from "./bundled-geo.ts";
import { createEnricher, type Enricher } from "./enricher.ts";
import { loadMmdbAsn, loadMmdbGeo } from "./mmdb.ts";
import type { AsnDatabase, GeoDatabase } from "./types.ts";

export interface EnrichmentSpec {
  /** A MaxMind-format ASN database instead of the bundled ASN data. */
  asnDb?: string;
  /** A MaxMind-format City or Country database instead of the bundled country data. */
  geoDb?: string;
}

/** A database file that could not be loaded; `which` says which of the spec's files. */
export class EnrichmentLoadError extends Error {
  constructor(
    readonly which: keyof EnrichmentSpec,
    readonly file: string,
    cause: unknown,
  ) {
    super(`${file}: ${(cause as Error).message}`);
  }
}

/** The bundled data a spec uses, loaded once into shared memory for worker threads (see `loadEnrichment`). */
export interface SharedBundledData {
  asn?: AsnTable;
  geo?: Uint8Array;
}

/** Undefined parts (a spec naming its own database, or bundled data that cannot be read) are left to each thread. */
export function shareBundledData(spec: EnrichmentSpec): SharedBundledData {
  const attempt = <T>(load: () => T): T | undefined => {
    try {
      return load();
    } catch {
      return undefined; // each thread's own load names the problem
    }
  };
  return {
    asn: spec.asnDb ? undefined : attempt(loadBundledAsnTableShared),
    geo: spec.geoDb ? undefined : attempt(bundledGeoBytesShared),
  };
}

/** `shared`: bundled data another thread already loaded (shareBundledData), used instead of loading it again. */
export async function loadEnrichment(spec: EnrichmentSpec, shared: SharedBundledData = {}): Promise<Enricher> {
  let asn: AsnDatabase;
  try {
    if (spec.asnDb) asn = await loadMmdbAsn(spec.asnDb);
    else asn = shared.asn ? asnDatabaseFromTable(shared.asn) : loadBundledAsn();
  } catch (err) {
    throw new EnrichmentLoadError("asnDb", spec.asnDb ?? "bundled ASN data", err);
  }
  let geo: GeoDatabase;
  try {
    geo = spec.geoDb ? await loadMmdbGeo(spec.geoDb) : loadBundledGeo(shared.geo);
  } catch (err) {
    throw new EnrichmentLoadError("geoDb", spec.geoDb ?? "bundled geo data", err);
  }
  return createEnricher({ asn, geo });
}

/**
 * In the thread that loaded the shared tables: the enricher they make when they are all the spec needs (no database
 * files of its own), built without loading anything again; otherwise `fallback`.
 */
export function enricherFromShared(spec: EnrichmentSpec, shared: SharedBundledData, fallback: Enricher): Enricher {
  if (spec.asnDb || spec.geoDb || !shared.asn || !shared.geo) return fallback;
  return createEnricher({ asn: asnDatabaseFromTable(shared.asn), geo: loadBundledGeo(shared.geo) });
}

/** The bundled ASN and country data. */
export function bundledEnricher(): Enricher {
  return createEnricher({ asn: loadBundledAsn(), geo: loadBundledGeo() });
}

/**
 * The bundled enricher, loaded on first use: when workers do the enriching, the main thread never pays for a copy of
 * the tables it would not use.
 */
export function lazyBundledEnricher(): Enricher {
  let loaded: Enricher | undefined;
  return {
    enrich: (doc) => {
      loaded ??= bundledEnricher();
      loaded.enrich(doc);
    },
  };
}
