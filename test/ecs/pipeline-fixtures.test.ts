/**
 * Conformance with Elastic's own pipeline tests: every saved input/expected pair in
 * ../shared/reference/elastic-aws-cloudtrail-pipeline/tests, compared field by field.
 */
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { test } from "node:test";
import YAML from "yaml";
import { type Document, flattenDocument, type JsonValue } from "../../src/doc/document.ts";
import { normalizeRecord } from "../../src/ecs/index.ts";

const dir = new URL("../../../shared/reference/elastic-aws-cloudtrail-pipeline/tests/", import.meta.url);

/** Fields not compared, with the reason. */
const IGNORED: [RegExp, string][] = [
  [/^event\.created$/, "agent read time (the test config's @timestamp); not reproducible by a normalizer"],
  [/^event\.ingested$/, "ingest time"],
  [/^source\.(geo|as)\./, "GeoIP/ASN values come from the MaxMind test databases; enrichment belongs to src/enrich"],
  [/^(data_stream\.|event\.dataset$|event\.module$)/, "added by Fleet/the index template, absent from pipeline tests"],
];

/** The entity fields the fork's script adds by classifying actor and targets (absent from older recordings). */
const TYPED_ENTITY = /^((user|host|service)\.(target\.)?entity\.id|entity\.(id|target\.id))$/;
const ENTITY = /^(related\.entity|(actor|target)\.entity\.id)$/;

/**
 * Fixtures recorded with other pipeline versions than the fork text trailwatch follows: per fixture, the fields
 * that differ and why.
 */
const VERSION_DIFFERENCES: Record<string, [RegExp, string][]> = {
  "test-get-caller-identity-json.log": [
    [ENTITY, "recorded by the 2.25-era entity.yml pipeline, which ran without the actor_target_mapping tag"],
    [/^event\.category$/, "recorded before GetCallerIdentity joined the categorization table"],
    [/^related\.user$/, "recorded before user.id was appended to related.user"],
  ],
  "test-user-authentication.log": [
    [TYPED_ENTITY, "recorded before the script classified actors and targets by type"],
    [/^related\.entity$/, "recorded before IdentityCenterUser's onBehalfOf.identityStoreArn joined related.entity"],
    [/^user\.id$|^related\.user$/, "recorded before the IdentityCenterUser onBehalfOf.userId → user.id rename"],
  ],
  "test-upload-ssh-public-key-json-keyword.log": [
    [TYPED_ENTITY, "recorded before the script classified actors and targets by type"],
  ],
};

/** Added by #20403; fixtures recorded before it lack them, so they are compared only on post-#20403 fixtures. */
const POST_20403 = /^(cloud\.provider|cloud\.service\.name|related\.ip|service\.name)$/;

/** Multi-valued fields whose order depends on the ES version (ecs-pipeline.md §1.8): compared as sets. */
const AS_SET = /^(related\.|aws\.cloudtrail\.resources\.)|entity\.id$|^entity\./;

interface Fixture {
  name: string;
  inputs: string[];
  expected: Document[];
  retain?: string;
}

function fixtures(): Fixture[] {
  const names = readdirSync(dir).filter((f) => f.endsWith("-expected.json"));
  return names.map((expectedName) => {
    const base = expectedName.slice(0, -"-expected.json".length);
    const inputName = existsSync(new URL(base, dir)) ? base : `${base}.DERIVED-from-event.original`;
    const inputs = readFileSync(new URL(inputName, dir), "utf8")
      .split("\n")
      .filter((l) => l.trim() !== "");
    const expected = (JSON.parse(readFileSync(new URL(expectedName, dir), "utf8")) as { expected: Document[] })
      .expected;
    const configUrl = new URL(`${base}-config.yml`, dir);
    const config = existsSync(configUrl)
      ? (YAML.parse(readFileSync(configUrl, "utf8")) as { fields?: { _conf?: { retain?: string } } })
      : {};
    return { name: base, inputs, expected, retain: config.fields?._conf?.retain };
  });
}

function comparable(doc: Document, post20403: boolean, fixture: string): Map<string, JsonValue[]> {
  const out = new Map<string, JsonValue[]>();
  const known = VERSION_DIFFERENCES[fixture] ?? [];
  for (const [path, values] of flattenDocument(doc)) {
    if (IGNORED.some(([re]) => re.test(path)) || known.some(([re]) => re.test(path))) continue;
    if (!post20403 && POST_20403.test(path)) continue;
    out.set(path, AS_SET.test(path) ? [...new Set(values.map(String))].sort() : values);
  }
  return out;
}

const all = fixtures();

test("fixture pairs are present", () => {
  assert.ok(all.length >= 6, `found ${all.length}`);
});

for (const fixture of all) {
  test(`pipeline fixture ${fixture.name}`, () => {
    assert.equal(fixture.inputs.length, fixture.expected.length);
    fixture.inputs.forEach((raw, i) => {
      const expected = fixture.expected[i];
      const tags = (expected.tags as string[] | undefined) ?? ["preserve_original_event"];
      const actual = normalizeRecord(raw, { tags, retain: fixture.retain });
      const post20403 = (expected.cloud as { provider?: string } | undefined)?.provider !== undefined;
      const a = comparable(actual, post20403, fixture.name);
      const e = comparable(expected, post20403, fixture.name);
      const diffs: string[] = [];
      for (const path of new Set([...a.keys(), ...e.keys()])) {
        const av = JSON.stringify(a.get(path));
        const ev = JSON.stringify(e.get(path));
        if (av !== ev) diffs.push(`${path}: got ${av} expected ${ev}`);
      }
      assert.deepEqual(diffs, [], `record ${i + 1}`);
    });
  });
}

test("get-caller-identity: with actor_target_mapping, the entity fields the 2.25-era pipeline recorded", () => {
  const fixture = all.find((f) => f.name === "test-get-caller-identity-json.log");
  assert.ok(fixture);
  const actual = flattenDocument(normalizeRecord(fixture.inputs[0], { tags: ["actor_target_mapping"] }));
  const expected = flattenDocument(fixture.expected[0]);
  for (const path of ["related.entity", "actor.entity.id", "target.entity.id"]) {
    assert.deepEqual(
      [...(actual.get(path) ?? [])].map(String).sort(),
      [...(expected.get(path) ?? [])].map(String).sort(),
      path,
    );
  }
  // The fork adds the typed fields: an IAMUser actor is a user; a bare account id target is generic.
  assert.deepEqual(actual.get("user.entity.id"), ["arn:aws:iam::00000000000:user/terraformer"]);
  assert.deepEqual(actual.get("entity.target.id"), ["00000000000"]);
});
