import { type Document, fieldValues, setField } from "../doc/document.ts";

/** A copy of the document with only the given fields (dotted paths), which is all a query reading them can see. */
export function projectDocument(doc: Document, fields: readonly string[]): Document {
  const out: Document = {};
  for (const field of fields) {
    const values = fieldValues(doc, field);
    if (values.length === 1) setField(out, field, values[0]);
    else if (values.length > 1) setField(out, field, values);
  }
  return out;
}
