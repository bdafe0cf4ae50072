export { type NormalizeOptions, normalizeRecord } from "./normalize.ts";
export { cloudtrailSchema, cloudtrailSchemaFor } from "./schema.ts";
