import { ATTACK_KINDS, type AttackKind, DEFAULT_START, GROUND_TRUTH_FILE, simulate } from "../simulate/index.ts";
import { timeOption } from "./setup.ts";
import { UsageError } from "./usage-error.ts";

export interface SimulateCommandOptions {
  out: string;
  start?: string;
  hours: string;
  accounts: string;
  clusters: string;
  seed: string;
  attacks: string;
  quiet?: boolean;
}

export async function runSimulate(opts: SimulateCommandOptions): Promise<number> {
  const start = timeOption("--start", opts.start ?? DEFAULT_START)!;
  const hours = positive("--hours", opts.hours, false);
  const accounts = positive("--accounts", opts.accounts, true);
  const clusters = positive("--clusters", opts.clusters, true);
  const attacks = attackList(opts.attacks);
  const started = performance.now();
  const result = await simulate({ out: opts.out, start, hours, accounts, clusters, seed: opts.seed, attacks });
  const seconds = (performance.now() - started) / 1000;
  if (!opts.quiet) {
    process.stderr.write(
      `wrote ${result.records} record(s) in ${result.files} file(s), ${(result.bytes / 1e6).toFixed(1)} MB gzipped, ` +
        `in ${seconds.toFixed(1)}s (${Math.round(result.records / seconds)} records/s); ` +
        `${result.truth.attacks.length} attack(s) labelled in ${opts.out}/${GROUND_TRUTH_FILE}\n`,
    );
  }
  return 0;
}

function positive(name: string, value: string, integer: boolean): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0 || (integer && !Number.isInteger(n))) {
    throw new UsageError(`${name}: expected a positive ${integer ? "integer" : "number"}, got ${JSON.stringify(value)}`);
  }
  return n;
}

function attackList(value: string): AttackKind[] {
  if (value === "all") return [...ATTACK_KINDS];
  if (value === "none") return [];
  const kinds = value.split(",").map((s) => s.trim());
  const unknown = kinds.filter((k) => !(ATTACK_KINDS as readonly string[]).includes(k));
  if (unknown.length) {
    throw new UsageError(`--attacks: unknown ${unknown.join(", ")} (choose from ${ATTACK_KINDS.join(", ")}, all or none)`);
  }
  return kinds as AttackKind[];
}
