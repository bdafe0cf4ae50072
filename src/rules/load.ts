/**
 * Loads rules from files and directories. Directories are walked recursively for .toml, .ndjson and .json files
 * (hidden entries skipped, sorted so the order is stable); each file's format is decided by its content, not its name.
 */
import type { Dirent } from "node:fs";
import { readdir, readFile, stat } from "node:fs/promises";
import { extname, join } from "node:path";
import { RuleLoadError } from "./errors.ts";
import { readKibanaRules } from "./kibana.ts";
import type { Rule } from "./rule.ts";
import { parseRuleToml } from "./toml.ts";

const RULE_EXTENSIONS = new Set([".toml", ".ndjson", ".json"]);

export async function loadRules(paths: string[]): Promise<{ rules: Rule[]; errors: RuleLoadError[] }> {
  const rules: Rule[] = [];
  const errors: RuleLoadError[] = [];
  const seen = new Map<string, string>();
  for (const path of paths) {
    for (const file of await ruleFiles(path, errors)) {
      const loaded = await loadFile(file);
      errors.push(...loaded.errors);
      for (const rule of loaded.rules) {
        // Kibana holds one rule per rule_id; a second definition would double every alert.
        const first = seen.get(rule.ruleId);
        if (first !== undefined) {
          errors.push(new RuleLoadError(file, `rule_id ${rule.ruleId} is already defined in ${first}; skipped`));
          continue;
        }
        seen.set(rule.ruleId, file);
        rules.push(rule);
      }
    }
  }
  return { rules, errors };
}

async function loadFile(file: string): Promise<{ rules: Rule[]; errors: RuleLoadError[] }> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    return { rules: [], errors: [new RuleLoadError(file, `cannot read: ${(error as Error).message}`)] };
  }
  if (!looksLikeJson(text)) {
    try {
      return { rules: [parseRuleToml(text, file)], errors: [] };
    } catch (error) {
      if (error instanceof RuleLoadError) return { rules: [], errors: [error] };
      throw error;
    }
  }
  return readKibanaRules(text, file);
}

/** JSON starts with `{`, or `[` followed by `{` / `]`; a TOML file starting with `[` has a table name there. */
function looksLikeJson(text: string): boolean {
  return /^\s*(\{|\[\s*[{\]])/.test(text);
}

async function ruleFiles(path: string, errors: RuleLoadError[]): Promise<string[]> {
  let isDirectory: boolean;
  try {
    isDirectory = (await stat(path)).isDirectory();
  } catch (error) {
    errors.push(new RuleLoadError(path, `cannot read: ${(error as Error).message}`));
    return [];
  }
  if (!isDirectory) return [path];
  const found = await walk(path, errors);
  if (found.length === 0)
    errors.push(new RuleLoadError(path, "no .toml, .ndjson or .json rule files in this directory"));
  return found;
}

async function walk(dir: string, errors: RuleLoadError[]): Promise<string[]> {
  let listing: Dirent[];
  try {
    listing = await readdir(dir, { withFileTypes: true });
  } catch (error) {
    errors.push(new RuleLoadError(dir, `cannot read: ${(error as Error).message}`));
    return [];
  }
  const entries = listing
    .filter((entry) => !entry.name.startsWith("."))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const files: string[] = [];
  for (const entry of entries) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) files.push(...(await walk(full, errors)));
    else if (entry.isFile() && RULE_EXTENSIONS.has(extname(entry.name).toLowerCase())) files.push(full);
  }
  return files;
}
