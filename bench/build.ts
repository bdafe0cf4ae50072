/** Makes sure dist/ is built from the current sources, since the scan is measured as the built CLI runs. */
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const repoRoot = fileURLToPath(new URL("..", import.meta.url));

function newest(dir: string): number {
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    latest = Math.max(latest, entry.isDirectory() ? newest(path) : statSync(path).mtimeMs);
  }
  return latest;
}

export function ensureBuilt(log: (line: string) => void): void {
  const dist = join(repoRoot, "dist");
  const inputs = Math.max(newest(join(repoRoot, "src")), statSync(join(repoRoot, "scripts/build.ts")).mtimeMs);
  if (existsSync(join(dist, "bundle")) && newest(dist) >= inputs) return;
  log("building dist/ (npm run build) …");
  execFileSync("npm", ["run", "build", "--silent"], { cwd: repoRoot, stdio: ["ignore", "ignore", "inherit"] });
}
