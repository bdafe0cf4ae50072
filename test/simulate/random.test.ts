import assert from "node:assert/strict";
import { test } from "node:test";
import { Random } from "../../src/simulate/random.ts";

// Values the simulator drew before its string draws were rewritten for speed: the same seed must keep giving the
// same archive, so the rewrite has to draw the same numbers and spell them the same way.
test("string draws spell the same characters from the same numbers as before, and consume the same draws", () => {
  const r = new Random("golden");
  assert.deepEqual([r.uuid(), r.uuid()], ["0a79a435-bcb1-4366-8b08-2dc008d3bb19", "7aa45ec7-ad8e-4022-8e09-0e6505e9f5fa"]);
  assert.equal(r.hex(16), "bb9cafe956809157");
  assert.equal(r.keyChars(17), "3WLU4BNHP5U6VYIQV");
  assert.equal(r.alnum(24), "p4wGRbkYDDQXFx4f4PyR85KF");
  assert.equal(r.base64(75), "R7K2D1/cKjGein8CDxh4BkEi63OVkSytm6KoodjePWO89O2Ne1sYwG4Q8t0ZlusJb0qyOgASRqL");
  assert.equal(r.uint32(), 3597175837);
});

test("draws of different lengths do not leak characters into each other", () => {
  const r = new Random("lengths");
  const long = r.hex(40);
  const short = r.hex(3);
  assert.equal(long.length, 40);
  assert.equal(short.length, 3);
  assert.match(r.uuid(), /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  assert.equal(r.base64(7).length, 7);
});
