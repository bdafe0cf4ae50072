export { loadBundledAsn } from "./bundled-asn.ts";
export { loadBundledGeo } from "./bundled-geo.ts";
export { createEnricher, type Enricher, type EnricherOptions } from "./enricher.ts";
export { loadMmdbAsn, loadMmdbGeo } from "./mmdb.ts";
export type { AsnDatabase, AsnInfo, GeoDatabase, GeoInfo } from "./types.ts";
export {
  bundledEnricher,
  EnrichmentLoadError,
  type EnrichmentSpec,
  lazyBundledEnricher,
  loadEnrichment,
} from "./load.ts";
