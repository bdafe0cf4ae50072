/**
 * User-agent parsing cost, in a fresh process: the first call (loading and preparing uap-core's patterns), then each
 * distinct user agent found in ../shared/datasets parsed once ("cold": new to the cache, and paying for whatever
 * pattern preparation it is first to need), then twice more with suffixes that make each new to the cache again
 * ("warm": the steady per-new-UA cost of a long scan; ours switches from `includes` to automata after 200 distinct
 * user agents, so the third pass is all automata). Usage: `node --import tsx bench/user-agent.ts [module]`, where
 * module exports parseUserAgent (default: ours), e.g. an older copy of src/ecs/user-agent/user-agent.ts.
 * For ours it also says whether the first call could load the patterns' required literals precomputed
 * (required-literals.data.ts matches the installed uap-core) and what analysing them at run time costs instead.
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

type Parse = (ua: string) => unknown;

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const USER_AGENT_FIELD = /"userAgent"\s*:\s*("(?:[^"\\]|\\.)*")/g;

function datasetUserAgents(dir: string): string[] {
  const found = new Set<string>();
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !/\.jsonl?$/.test(entry.name)) continue;
    const text = readFileSync(path.join(entry.parentPath, entry.name), "utf8");
    for (const m of text.matchAll(USER_AGENT_FIELD)) found.add(JSON.parse(m[1]) as string);
  }
  return [...found];
}

const moduleArg = process.argv[2];
const moduleUrl = moduleArg
  ? pathToFileURL(path.resolve(moduleArg)).href
  : new URL("../src/ecs/user-agent/user-agent.ts", import.meta.url).href;
const agents = datasetUserAgents(path.resolve(repoRoot, "../shared/datasets"));

let start = performance.now();
const { parseUserAgent } = (await import(moduleUrl)) as { parseUserAgent: Parse };
const importMs = performance.now() - start;

start = performance.now();
parseUserAgent("aws-internal/3");
const firstCallMs = performance.now() - start;

function timeEach(inputs: string[]): string {
  const each: number[] = [];
  const start = performance.now();
  for (const ua of inputs) {
    const t = performance.now();
    parseUserAgent(ua);
    each.push(performance.now() - t);
  }
  const totalMs = performance.now() - start;
  each.sort((a, b) => a - b);
  const at = (q: number) => each[Math.min(each.length - 1, Math.floor(q * each.length))].toFixed(3);
  return (
    `${totalMs.toFixed(0)} ms, mean ${(totalMs / inputs.length).toFixed(3)} ms, ` +
    `median ${at(0.5)}, p90 ${at(0.9)}, max ${at(1)} ms`
  );
}

/** Run last, so that it disturbs none of the timings above. */
async function literalsStartUp(): Promise<string> {
  const { computeRequiredLiterals, patternsKey } = await import("../src/ecs/user-agent/precomputed-literals.ts");
  const { patternsSha256 } = await import("../src/ecs/user-agent/required-literals.data.ts");
  const { readUapPatternLists } = await import("../src/ecs/user-agent/uap-patterns.ts");
  const { all } = readUapPatternLists();
  const precomputed = patternsKey(all) === patternsSha256;
  const start = performance.now();
  computeRequiredLiterals(all);
  const analyseMs = performance.now() - start;
  return (
    `required literals ${precomputed ? "loaded precomputed" : "ANALYSED AT RUN TIME (regenerate the data)"}; ` +
    `analysing them would take ${analyseMs.toFixed(0)} ms`
  );
}

console.log(`module: ${moduleArg ?? "src/ecs/user-agent/user-agent.ts"}`);
console.log(`import ${importMs.toFixed(1)} ms, first call ${firstCallMs.toFixed(1)} ms`);
console.log(`${agents.length} distinct dataset user agents, cold: ${timeEach(agents)}`);
console.log(`the same, each new again, warm: ${timeEach(agents.map((ua, i) => `${ua} #${i}`))}`);
console.log(`and once more, warm: ${timeEach(agents.map((ua, i) => `${ua} ##${i}`))}`);
if (!moduleArg) console.log(await literalsStartUp());
