import type { JsonValue } from "../../doc/document.ts";

export function parseUserAgent(original: string): { [key: string]: JsonValue } {
  return { original };
}
