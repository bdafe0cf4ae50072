/** Bundled data is read unpacked when the build unpacked it from the committed .br, and never when that is stale. */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { pathToFileURL } from "node:url";
import { brotliCompressSync } from "node:zlib";
import { readBundledFile, unpackBundledFile } from "../../src/enrich/bundled-file.ts";

const root = mkdtempSync(join(tmpdir(), "trailwatch-data-"));
const dir = pathToFileURL(`${root}/`);
after(() => rmSync(root, { recursive: true, force: true }));

const text = (bytes: Uint8Array) => Buffer.from(bytes).toString();

test("without an unpacked copy, the .br is decompressed", () => {
  writeFileSync(join(root, "asn.bin.br"), brotliCompressSync("committed"));
  assert.equal(text(readBundledFile("asn.bin", false, dir)), "committed");
});

test("unpacked by the build, the copy is read as it is, also into shared memory", () => {
  unpackBundledFile("asn.bin", dir);
  // The copy's own content shows which of the two files was read.
  writeFileSync(join(root, "asn.bin"), "unpacked");
  const shared = readBundledFile("asn.bin", true, dir);
  assert.equal(text(shared), "unpacked");
  assert.ok(shared.buffer instanceof SharedArrayBuffer);
});

test("an unpacked copy older than the .br (data updated, build not re-run) is ignored", () => {
  writeFileSync(join(root, "asn.bin.br"), brotliCompressSync("updated"));
  const past = new Date(Date.now() - 60_000);
  utimesSync(join(root, "asn.bin"), past, past);
  const shared = readBundledFile("asn.bin", true, dir);
  assert.equal(text(shared), "updated");
  assert.ok(shared.buffer instanceof SharedArrayBuffer);
});
