import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const entry = fileURLToPath(new URL("./cli-entry.ts", import.meta.url));
const root = fileURLToPath(new URL("../..", import.meta.url));

export function runCli(args: string[], input?: string) {
  const r = spawnSync(process.execPath, ["--import", "tsx", entry, ...args], { cwd: root, input, encoding: "utf8" });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}
