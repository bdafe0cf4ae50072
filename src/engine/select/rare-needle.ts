/**
 * A byte string searched through a rarer part of itself. Node's Buffer search skips between occurrences of the
 * needle's first byte, so `"type"` (a quote, every few bytes of JSON) is searched ≈ 3 times slower than `ype"`. The
 * probe is the needle's suffix starting at its rarest byte (keeping at least MIN_PROBE bytes); each probe hit is
 * confirmed by comparing the bytes before it.
 */

/**
 * Printable ASCII from rarest to commonest in CloudTrail JSON, as counted over the real records in shared/datasets
 * (7.5 MB). Bytes not listed (controls, non-ASCII) count as rarest.
 */
const RAREST_FIRST = "^`|~!&$?<>#'%@=*+;)(QY][\\jJBXHFUGOqKxLWVkPZhzNyEC_RDM/{}wTI9fASb768pg5v43.dm2-uci10l,o:rntsa\"e";
const MIN_PROBE = 4;

function commonness(byte: number): number {
  return RAREST_FIRST.indexOf(String.fromCharCode(byte));
}

export class RareNeedle {
  readonly bytes: Buffer;
  private readonly probe: Buffer | number;
  private readonly offset: number;

  constructor(needle: string | Buffer) {
    this.bytes = typeof needle === "string" ? Buffer.from(needle) : needle;
    let offset = 0;
    for (let i = 1; i <= this.bytes.length - MIN_PROBE; i++) {
      if (commonness(this.bytes[i]) < commonness(this.bytes[offset])) offset = i;
    }
    this.offset = offset;
    const probe = this.bytes.subarray(offset);
    // A one-byte search is a plain memchr, several times faster.
    this.probe = probe.length === 1 ? probe[0] : probe;
  }

  get length(): number {
    return this.bytes.length;
  }

  /** Where the needle next starts at or after `from`, or -1. */
  indexIn(data: Buffer, from: number): number {
    const { bytes, offset } = this;
    for (let at = data.indexOf(this.probe, from + offset); at >= 0; at = data.indexOf(this.probe, at + 1)) {
      const start = at - offset;
      let i = 0;
      while (i < offset && data[start + i] === bytes[i]) i++;
      if (i === offset) return start;
    }
    return -1;
  }
}
