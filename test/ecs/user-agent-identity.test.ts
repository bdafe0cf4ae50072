/**
 * Proof that the optimised parser (lazy compilation, required-literal prefilters, fast yaml reading) returns exactly
 * what the plain one does: every pattern compiled from the general YAML parser's reading of regexes.yaml, tried in
 * order, no prefilter. The inputs are every distinct user agent in ../shared/datasets plus hand-picked ones, each
 * also in upper case.
 * (uap-core's npm package ships no test cases, so there are none of those to add.)
 */
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { RE2JS } from "re2js";
import YAML from "yaml";
import type { JsonValue } from "../../src/doc/document.ts";
import { AUTOMATON_AFTER } from "../../src/ecs/user-agent/literal-prefilters.ts";
import { parseUserAgent } from "../../src/ecs/user-agent/user-agent.ts";
import { UA } from "../../src/simulate/user-agents.ts";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const datasets = path.resolve(repoRoot, "../shared/datasets");

// ---- reference: Elasticsearch's user_agent processor, done the plain way ----

interface ReferencePattern {
  regex: RE2JS;
  replacements: (string | null)[];
}

type Parsed = { [key: string]: JsonValue };

function referencePatterns(): Record<"userAgent" | "os" | "device", ReferencePattern[]> {
  const file = createRequire(import.meta.url).resolve("uap-core/regexes.yaml");
  const yaml = YAML.parse(readFileSync(file, "utf8")) as Record<string, Record<string, string>[]>;
  const compile = (entries: Record<string, string>[], keys: string[]): ReferencePattern[] =>
    entries.map((e) => ({
      regex: RE2JS.compile(e.regex, e.regex_flag === "i" ? RE2JS.CASE_INSENSITIVE : 0),
      replacements: keys.map((k) => e[k] ?? null),
    }));
  const versions = ["v1_replacement", "v2_replacement", "v3_replacement", "v4_replacement"];
  return {
    userAgent: compile(yaml.user_agent_parsers, ["family_replacement", ...versions]),
    os: compile(yaml.os_parsers, ["os_replacement", ...versions.map((v) => `os_${v}`)]),
    device: compile(yaml.device_parsers, ["device_replacement"]),
  };
}

interface ReferenceMatch {
  name: string;
  parts: (string | null)[];
}

function referenceMatch(patterns: ReferencePattern[], text: string): ReferenceMatch | null {
  for (const p of patterns) {
    const m = p.regex.matcher(text);
    if (!m.find()) continue;
    const group = (i: number) => (i <= p.regex.groupCount() ? m.group(i) : null);
    const [nameReplacement, ...versionReplacements] = p.replacements;
    let name = group(1);
    if (nameReplacement !== null) {
      const first = name;
      name = nameReplacement.includes("$1") && first !== null ? nameReplacement.replace("$1", () => first) : nameReplacement;
    }
    if (name === null) return null;
    return { name, parts: [0, 1, 2, 3].map((i) => versionReplacements[i] ?? group(i + 2)) };
  }
  return null;
}

function referenceVersion(parts: (string | null)[]): string | undefined {
  const present: string[] = [];
  for (const part of parts) {
    if (part === null) break;
    present.push(part);
  }
  return present.length === 0 ? undefined : present.join(".");
}

function referenceParse(patterns: ReturnType<typeof referencePatterns>, original: string): Parsed {
  const agent = referenceMatch(patterns.userAgent, original);
  const os = referenceMatch(patterns.os, original);
  const device = referenceMatch(patterns.device, original);
  const out: Parsed = { original, name: agent?.name ?? "Other" };
  const version = agent ? referenceVersion(agent.parts) : undefined;
  if (version !== undefined) out.version = version;
  if (os) {
    const osVersion = referenceVersion(os.parts);
    out.os =
      osVersion === undefined
        ? { name: os.name }
        : { name: os.name, version: osVersion, full: `${os.name} ${osVersion}` };
  }
  out.device = { name: device?.name ?? "Other" };
  return out;
}

// ---- inputs ----

/** Every string-valued `userAgent` anywhere in a JSON value. */
function collectUserAgents(value: unknown, into: Set<string>): void {
  if (Array.isArray(value)) {
    for (const item of value) collectUserAgents(item, into);
  } else if (value !== null && typeof value === "object") {
    for (const [key, item] of Object.entries(value)) {
      if (key === "userAgent" && typeof item === "string") into.add(item);
      else collectUserAgents(item, into);
    }
  }
}

/** RFC 4180 rows (quoted fields may hold commas, doubled quotes and newlines). */
function csvRows(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  const endField = () => {
    row.push(field);
    field = "";
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") endField();
    else if (c === "\n" || c === "\r") {
      if (c === "\r" && text[i + 1] === "\n") i++;
      endField();
      rows.push(row);
      row = [];
    } else field += c;
  }
  if (field !== "" || row.length > 0) {
    endField();
    rows.push(row);
  }
  return rows;
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? filesUnder(path.join(dir, e.name)) : [path.join(dir, e.name)],
  );
}

function datasetUserAgents(): Set<string> {
  const found = new Set<string>();
  for (const file of filesUnder(datasets)) {
    const text = readFileSync(file, "utf8");
    if (file.endsWith(".json") || file.endsWith(".jsonl")) {
      // A whole JSON document, or one record per line.
      let whole: unknown;
      try {
        whole = JSON.parse(text);
      } catch {
        for (const line of text.split("\n")) if (line.trim() !== "") collectUserAgents(JSON.parse(line), found);
        continue;
      }
      collectUserAgents(whole, found);
    } else if (file.endsWith(".csv")) {
      const [header, ...rows] = csvRows(text);
      const column = header.indexOf("Request User Agent");
      if (column >= 0) for (const row of rows) if (row[column] !== undefined) found.add(row[column]);
    }
  }
  return found;
}

/** Families the datasets lack: browsers, phones, bots, tools, and near misses of pattern literals. */
const HAND_PICKED = [
  "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1",
  "Mozilla/5.0 (Linux; Android 14; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.6478.122 Mobile Safari/537.36",
  "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/25.0 Chrome/121.0.0.0 Mobile Safari/537.36",
  "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0",
  "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36 Edg/126.0.2592.87",
  "Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:127.0) Gecko/20100101 Firefox/127.0",
  "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
  "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
  "Mozilla/5.0 (iPad; CPU OS 16_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/126.0.6478.54 Mobile/15E148 Safari/604.1",
  "Mozilla/5.0 (compatible; MSIE 10.0; Windows NT 6.2; Trident/6.0)",
  "Opera/9.80 (Windows NT 6.1; U; en) Presto/2.10.289 Version/12.02",
  "Mozilla/5.0 (PlayStation 4 11.00) AppleWebKit/601.2 (KHTML, like Gecko)",
  "Mozilla/5.0 (Linux; U; Android 4.0.3; ko-kr; LG-L160L Build/IML74K) AppleWebkit/534.30 (KHTML, like Gecko) Version/4.0 Mobile Safari/534.30",
  "Dalvik/2.1.0 (Linux; U; Android 9; Redmi Note 7 MIUI/V11.0.5.0.PFGMIXM)",
  "curl/8.7.1",
  "Wget/1.21.4",
  "python-requests/2.32.3",
  "Go-http-client/1.1",
  "okhttp/4.12.0",
  "Java/17.0.2",
  "PostmanRuntime/7.39.0",
  "Terraform/1.9.2 (+https://www.terraform.io) terraform-provider-aws/5.58.0 (+https://registry.terraform.io/providers/hashicorp/aws) aws-sdk-go-v2/1.30.1 os/linux lang/go#1.22.4",
  "APN/1.0 HashiCorp/1.0 Terraform/1.5.7",
  "aws-sdk-java/1.12.529 Linux/5.10.219-208.866.amzn2.x86_64 OpenJDK_64-Bit_Server_VM/17.0.11+9-LTS java/17.0.11 scala/2.12.15 vendor/Amazon.com_Inc. exec-env/AWS_ECS_EC2",
  "aws-cli/1.33.26 Python/3.11.9 Windows/10 botocore/1.34.144",
  "[aws-cli/2.17.13 md/awscrt#0.20.11 ua/2.0 os/windows#10 md/arch#amd64 lang/python#3.11.8]",
  "S3Console/0.4, aws-internal/3 aws-sdk-java/1.12.750",
  "AWS Internal",
  "cloudformation.amazonaws.com",
  "Mozilla/5.0 (SMART-TV; LINUX; Tizen 6.0) AppleWebKit/537.36 (KHTML, like Gecko) 76.0.3809.146/6.0 TV Safari/537.36",
  "Mozilla/5.0 (Nintendo Switch; WifiWebAuthApplet) AppleWebKit/606.4 (KHTML, like Gecko) NF/6.0.1.15.4 NintendoBrowser/5.1.0.20393",
  "FACEBOOK-APP / fbios 400.0 ipad",
  "MOZILLA/5.0 (WINDOWS NT 10.0) CHROME/120.0 SAFARI/537.36",
  "mozilla/5.0 (iphone; cpu iphone os 15_0 like mac os x)",
  "Mozilla/5.0 (Linux; Android 13; Pixel 7 Pro Build/TQ3A.230805.001) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/116.0.0.0 Mobile Safari/537.36",
  "Mozilla/5.0 (Windows Phone 10.0; Android 6.0.1; Microsoft; Lumia 950) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/52.0.2743.116 Mobile Safari/537.36 Edge/15.15063",
  "BlackBerry9700/5.0.0.862 Profile/MIDP-2.1 Configuration/CLDC-1.1 VendorID/331",
  "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15",
  "Mozilla/5.0 (Windows NT 6.1; WOW64; Trident/7.0; rv:11.0) like Gecko",
  "Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)",
  "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
  "Mozilla/5.0 (X11; CrOS x86_64 14541.0.0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/125.0.0.0 Safari/537.36",
  "",
  " ",
  "ſafari/1.0 K-Meleon/1.5",
];

function allInputs(): string[] {
  return [...new Set([...datasetUserAgents(), ...Object.values(UA), ...HAND_PICKED])];
}

// ---- tests ----

test("the datasets give a real spread of user agents", () => {
  const fromDatasets = datasetUserAgents();
  assert.ok(fromDatasets.size >= 200, `only ${fromDatasets.size} distinct user agents found in ${datasets}`);
  assert.ok(fromDatasets.has("console.ec2.amazonaws.com"));
});

test("every user agent, and its upper-case form, parses exactly as the plain reference parser does", () => {
  const reference = referencePatterns();
  const inputs = allInputs();
  // Upper case exercises the case-insensitive patterns and folding; the count takes the parser past the point where
  // it switches from `includes` to automata, so both ways of prefiltering are compared.
  const all = [...inputs, ...inputs.map((ua) => ua.toUpperCase()).filter((ua) => !inputs.includes(ua))];
  assert.ok(all.length > 2 * AUTOMATON_AFTER);
  const families = new Set<JsonValue>();
  for (const ua of all) {
    const expected = referenceParse(reference, ua);
    assert.deepEqual(parseUserAgent(ua), expected, `user agent ${JSON.stringify(ua)}`);
    families.add(expected.name);
  }
  // The comparison is only worth something if the inputs reach many different patterns.
  assert.ok(families.size >= 30, `only ${families.size} distinct families`);
});
