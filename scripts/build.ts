/**
 * `npm run build`: bundles the CLI and its worker threads with esbuild into dist/bundle/, so that start-up (in the
 * main thread and again in every worker) compiles a few chunks instead of resolving and compiling ~190 small
 * modules and the packages' own. Type checking stays with `tsc --noEmit` (npm run lint); esbuild only strips types.
 *
 * Why the layout is what it is:
 * - One flat folder: pool.ts and simulate.ts start their workers with `new URL("./scan-worker.js", import.meta.url)`,
 *   which must resolve from whichever chunk holds their code.
 * - Two levels below the repo root, like src/enrich/: the bundled ASN and geo data are found at
 *   `new URL("../../data/…", import.meta.url)`, and uap-core's YAML through node_modules above it.
 * - Code splitting: main.ts imports each command lazily, and its chunks keep that laziness.
 * - Linked source maps, read only when asked (`NODE_OPTIONS=--enable-source-maps`); the code is not minified, so
 *   stack traces stay readable without them.
 */
import { rmSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { BUNDLED_FILES, unpackBundledFile } from "../src/enrich/bundled-file.ts";

const REPO_ROOT = fileURLToPath(new URL("..", import.meta.url));

/** Each entry point's file name in bundle/; the worker names are the ones their spawners' URLs ask for. */
const ENTRY_POINTS = [
  { out: "main", in: "src/cli/main.ts" },
  { out: "scan-worker", in: "src/engine/workers/scan-worker.ts" },
  { out: "shard-worker", in: "src/simulate/shard-worker.ts" },
  { out: "simulate", in: "src/simulate/index.ts" },
];

/**
 * Packages loaded from node_modules at run time. DuckDB has a native binding and the AWS SDK is large and only for
 * `watch`; re2js is already one ESM file, which bundling measured no faster to load. The other pure-JS packages are
 * bundled: they are many small files (yaml ~70), and bundled they measured faster to load in each thread that needs
 * them: yaml ≈ 13 ms, maxmind ≈ 10 ms, commander ≈ 8 ms, smol-toml ≈ 4 ms.
 */
const EXTERNAL = ["@duckdb/node-api", "@aws-sdk/*", "re2js"];

/** Bundled CommonJS packages `require` Node's built-ins, which an ES module has no `require` for. */
const REQUIRE_SHIM = 'import { createRequire as __createRequire } from "node:module";\n' +
  "const require = __createRequire(import.meta.url);";

/** Replaces `dist` (default: the repo's dist/) with a fresh bundle; returns the number of JavaScript files written. */
export async function buildBundle(dist = join(REPO_ROOT, "dist")): Promise<number> {
  rmSync(dist, { recursive: true, force: true });
  const result = await build({
    absWorkingDir: REPO_ROOT,
    entryPoints: ENTRY_POINTS,
    outdir: join(dist, "bundle"),
    bundle: true,
    splitting: true,
    format: "esm",
    platform: "node",
    target: "node20",
    external: EXTERNAL,
    banner: { js: REQUIRE_SHIM },
    sourcemap: "linked",
    logLevel: "warning",
    metafile: true,
  });
  return Object.keys(result.metafile.outputs).filter((file) => file.endsWith(".js")).length;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const started = performance.now();
  const files = await buildBundle();
  for (const name of BUNDLED_FILES) unpackBundledFile(name);
  console.log(`dist/bundle: ${files} files, data/ unpacked, in ${Math.round(performance.now() - started)} ms`);
}
