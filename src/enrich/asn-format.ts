/**
 * The bundled ASN table: sorted, non-overlapping inclusive ranges, each pointing at an (ASN, organization) entry.
 * IPv6 addresses are four big-endian 32-bit words per row. Written by scripts/build-asn-data.ts, read at start-up.
 */
export interface AsnTable {
  v4Start: Uint32Array;
  v4End: Uint32Array;
  v4Entry: Uint32Array;
  v6Start: Uint32Array;
  v6End: Uint32Array;
  v6Entry: Uint32Array;
  entryAsn: Uint32Array;
  /** Index into `orgs`, or NO_ORG. */
  entryOrg: Uint32Array;
  orgs: string[];
  /** Where the data came from (package and version), for diagnostics. */
  source: string;
}

export const NO_ORG = 0xffffffff;

// File layout (little-endian; brotli-compressed in the repository, see bundled-file.ts): magic, version, six u32 counts, then the typed arrays and two UTF-8
// texts, each section starting on an 8-byte boundary so the arrays can view the decompressed buffer without copying.
const MAGIC = "TWASNDB\0";
const FORMAT_VERSION = 1;
const HEADER_BYTES = 40;

export function encodeAsnTable(table: AsnTable): Buffer {
  for (const org of table.orgs) if (org.includes("\n")) throw new Error(`organization name contains a newline: ${org}`);
  const orgText = Buffer.from(table.orgs.join("\n"), "utf8");
  const sourceText = Buffer.from(table.source, "utf8");
  const header = Buffer.alloc(HEADER_BYTES);
  header.write(MAGIC, 0, "latin1");
  const counts = [
    FORMAT_VERSION,
    table.v4Start.length,
    table.v6Entry.length,
    table.entryAsn.length,
    table.orgs.length,
    orgText.length,
    sourceText.length,
  ];
  for (const [i, n] of counts.entries()) header.writeUInt32LE(n, 8 + 4 * i);
  const sections = [
    header,
    ...arraysOf(table).map((a) => Buffer.from(a.buffer, a.byteOffset, a.byteLength)),
    orgText,
    sourceText,
  ];
  const padded = sections.flatMap((s) => [s, Buffer.alloc((8 - (s.length % 8)) % 8)]);
  return Buffer.concat(padded);
}

/**
 * The table in a file's decompressed bytes. Its arrays view `bytes` without copying when they are 8-byte aligned
 * (so a table read into shared memory stays there).
 */
export function decodeAsnTable(bytes: Uint8Array): AsnTable {
  if (new Uint8Array(new Uint16Array([1]).buffer)[0] !== 1)
    throw new Error("the bundled ASN table needs a little-endian host");
  // Typed-array views need aligned offsets.
  const raw = bytes.byteOffset % 8 === 0 ? Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) : Buffer.from(bytes);
  if (raw.toString("latin1", 0, 8) !== MAGIC) throw new Error("not a trailwatch ASN table");
  const [version, n4, n6, nEntries, nOrgs, orgBytes, sourceBytes] = Array.from({ length: 7 }, (_, i) =>
    raw.readUInt32LE(8 + 4 * i),
  );
  if (version !== FORMAT_VERSION) throw new Error(`unsupported ASN table version ${version}`);
  let offset = HEADER_BYTES;
  const u32 = (length: number): Uint32Array => {
    const view = new Uint32Array(raw.buffer, raw.byteOffset + offset, length);
    offset += align8(length * 4);
    return view;
  };
  const text = (length: number): string => {
    const value = raw.toString("utf8", offset, offset + length);
    offset += align8(length);
    return value;
  };
  const table = {
    v4Start: u32(n4),
    v4End: u32(n4),
    v4Entry: u32(n4),
    v6Start: u32(n6 * 4),
    v6End: u32(n6 * 4),
    v6Entry: u32(n6),
    entryAsn: u32(nEntries),
    entryOrg: u32(nEntries),
  };
  const orgs = nOrgs === 0 ? [] : text(orgBytes).split("\n");
  if (orgs.length !== nOrgs) throw new Error("corrupt ASN table: organization count");
  return { ...table, orgs, source: text(sourceBytes) };
}

function arraysOf(t: AsnTable): Uint32Array[] {
  return [t.v4Start, t.v4End, t.v4Entry, t.v6Start, t.v6End, t.v6Entry, t.entryAsn, t.entryOrg];
}

function align8(n: number): number {
  return Math.ceil(n / 8) * 8;
}
