/**
 * The `trailwatch` command line. Exit codes: 0 done; 1 usage or configuration error (nothing scanned); 2 done, but
 * some inputs could not be read (each named on stderr with the reason). Alerts and documents go to stdout or
 * `--output`; diagnostics and progress go to stderr. Each command's module loads only when that command runs, so a
 * scan never pays for loading the AWS SDK and DuckDB that `watch` needs.
 */
import { Command, CommanderError, Option } from "commander";
import { QueryError } from "../lang/errors.ts";
import { RuleLoadError } from "../rules/index.ts";
import { UsageError } from "./usage-error.ts";

export const EXIT_OK = 0;
export const EXIT_USAGE = 1;
export const EXIT_INPUT_PROBLEMS = 2;

export async function main(argv: string[]): Promise<number> {
  let exitCode = EXIT_OK;
  const program = new Command("trailwatch")
    .description("Elastic's CloudTrail detection rules (ES|QL and KQL), run as written on CloudTrail archives.")
    .version("0.1.0")
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s), writeOut: (s) => process.stdout.write(s) })
    .showHelpAfterError("(run trailwatch <command> --help for usage)");

  const format = () => new Option("--format <format>", "output format").choices(["table", "ndjson", "json"]);

  program
    .command("scan")
    .description("run detection rules over CloudTrail archives, replaying each rule's schedule on event time")
    .argument("<inputs...>", "files or directories (the S3 layout AWSLogs/…), .json/.json.gz/.ndjson, or - for stdin")
    .option(
      "--rules <path...>",
      "rule files or directories (detection-rules TOML, Kibana NDJSON/JSON export); default: the built-in rules",
    )
    .addOption(format().default(undefined, "table on a terminal, else ndjson"))
    .option("--output <file>", "write alerts to a file instead of stdout")
    .option("--from <time>", "ignore events before this time (ISO-8601 or now-7d)")
    .option("--to <time>", "ignore events after this time")
    .option("--asn-db <file>", "a MaxMind-format ASN database (.mmdb) instead of the bundled ASN data")
    .option("--geo-db <file>", "a MaxMind-format City or Country database (.mmdb) instead of the bundled country data")
    .option("--actor-target-mapping", "run the pipeline's entity script (related.entity, *.entity.id), as the integration option does")
    .option("--namespace <name>", "data_stream.namespace of the documents", "default")
    .option(
      "--kibana-compatible",
      "reproduce Kibana exactly: a new alert per execution for aggregating ES|QL rules, duplicate records kept",
    )
    .option("--quiet", "no progress or summary on stderr")
    .option(
      "--workers <n>",
      "worker threads reading files in parallel (default: the number of cores, at most 8, one per 16 MiB of input)",
    )
    .action(async (inputs: string[], opts) => {
      exitCode = await (await import("./scan-command.ts")).runScan(inputs, opts);
    });

  program
    .command("normalize")
    .description("print the ECS documents Elastic's AWS CloudTrail pipeline would index, as NDJSON")
    .argument("<inputs...>", "files, directories or - for stdin")
    .option("--output <file>", "write to a file instead of stdout")
    .option("--original", "keep event.original (the raw record)")
    .option("--asn-db <file>", "a MaxMind-format ASN database (.mmdb) instead of the bundled ASN data")
    .option("--geo-db <file>", "a MaxMind-format City or Country database (.mmdb) instead of the bundled country data")
    .option("--actor-target-mapping", "run the pipeline's entity script (related.entity, *.entity.id), as the integration option does")
    .option("--namespace <name>", "data_stream.namespace of the documents", "default")
    .action(async (inputs: string[], opts) => {
      exitCode = await (await import("./normalize-command.ts")).runNormalize(inputs, opts);
    });

  program
    .command("query")
    .description(
      "run an ad-hoc ES|QL query: FROM logs-aws.cloudtrail-* reads the inputs as CloudTrail, " +
        "FROM .alerts-security.* as alerts written by scan",
    )
    .argument("<esql>", "the ES|QL query")
    .argument("<inputs...>", "files, directories or - for stdin")
    .addOption(new Option("--format <format>", "output format").choices(["table", "ndjson", "csv"]).default("table"))
    .option("--output <file>", "write to a file instead of stdout")
    .option("--asn-db <file>", "a MaxMind-format ASN database (.mmdb) instead of the bundled ASN data")
    .option("--geo-db <file>", "a MaxMind-format City or Country database (.mmdb) instead of the bundled country data")
    .option("--actor-target-mapping", "run the pipeline's entity script (related.entity, *.entity.id), as the integration option does")
    .action(async (esql: string, inputs: string[], opts) => {
      exitCode = await (await import("./query-command.ts")).runQuery(esql, inputs, opts);
    });

  program
    .command("simulate")
    .description("write labelled CloudTrail of a simulated EKS estate (benign IRSA traffic and attacks) in the S3 layout")
    .requiredOption("--out <dir>", "directory to write AWSLogs/… and ground-truth.json into")
    .option("--start <time>", "first event time (ISO-8601)", "2026-11-16T00:00:00Z")
    .option("--hours <n>", "hours of traffic", "24")
    .option("--accounts <n>", "AWS accounts", "1")
    .option("--clusters <n>", "EKS clusters, spread over the accounts and regions", "2")
    .option("--seed <seed>", "the same seed gives the same archive", "trailwatch")
    .option(
      "--attacks <list>",
      "comma-separated: outside-token-exchange, in-cluster-compromise, ec2-token-replay, slow-attacker, pod-identity; all or none",
      "all",
    )
    .option("--quiet", "no summary on stderr")
    .action(async (opts) => {
      exitCode = await (await import("./simulate-command.ts")).runSimulate(opts);
    });

  program
    .command("watch")
    .description("run detection rules live on their schedules over directories, S3 prefixes or SQS queues")
    .argument("<sources...>", "directories, s3://bucket/prefix, sqs://queue or SQS queue URLs")
    .option("--rules <path...>", "rule files or directories; default: the built-in rules")
    .option(
      "--sink <spec>",
      "stdout, stdout:ndjson, file:PATH, webhook:URL or slack:URL; repeatable (default stdout)",
      (v: string, all: string[]) => [...all, v],
      [] as string[],
    )
    .option("--state <dir>", "directory of the state store (what was read, candidates, alerts, outbox)", ".trailwatch")
    .option("--accounts <ids>", "comma-separated account ids to watch in S3 sources (default: all)")
    .option("--endpoint <url>", "an S3/SQS-compatible endpoint")
    .option("--poll <seconds>", "how often sources are polled between executions", "30")
    .option("--once", "poll every source, run the executions that are due, deliver, then exit (for cron)")
    .option("--metrics-port <port>", "serve Prometheus-text metrics on http://127.0.0.1:<port>/metrics")
    .option("--asn-db <file>", "a MaxMind-format ASN database (.mmdb) instead of the bundled ASN data")
    .option("--geo-db <file>", "a MaxMind-format City or Country database (.mmdb) instead of the bundled country data")
    .option("--actor-target-mapping", "run the pipeline's entity script (related.entity, *.entity.id), as the integration option does")
    .option("--namespace <name>", "data_stream.namespace of the documents", "default")
    .option("--kibana-compatible", "a new alert per execution for aggregating ES|QL rules, duplicate records kept")
    .option("--verbose", "a line per object read")
    .action(async (sources: string[], opts) => {
      exitCode = await (await import("./watch-command.ts")).runWatch(sources, opts);
    });

  try {
    await program.parseAsync(argv, { from: "user" });
    return exitCode;
  } catch (err) {
    return reportError(err);
  }
}

function reportError(err: unknown): number {
  if (err instanceof CommanderError) {
    return err.exitCode === 0 ? EXIT_OK : EXIT_USAGE;
  }
  if (err instanceof UsageError || err instanceof RuleLoadError) {
    process.stderr.write(`trailwatch: ${err.message}\n`);
    return EXIT_USAGE;
  }
  if (err instanceof QueryError) {
    process.stderr.write(`trailwatch: ${err.pretty()}\n`);
    return EXIT_USAGE;
  }
  throw err;
}
