import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { formatIPv6, parseIp } from "../../src/enrich/ip.ts";
import { isSpecialPurpose } from "../../src/enrich/special-ranges.ts";

function v6(text: string): string | undefined {
  const ip = parseIp(text);
  return ip?.version === 6 ? formatIPv6(ip.words) : undefined;
}

describe("parseIp", () => {
  it("parses dotted quads to a 32-bit number", () => {
    assert.deepEqual(parseIp("1.2.3.4"), { version: 4, value: 0x01020304 });
    assert.deepEqual(parseIp("255.255.255.255"), { version: 4, value: 0xffffffff });
  });

  it("expands compressed IPv6, embedded dotted quads and drops a zone id", () => {
    assert.equal(v6("2001:db8::1"), "2001:db8:0:0:0:0:0:1");
    assert.equal(v6("::"), "0:0:0:0:0:0:0:0");
    assert.equal(v6("1:2:3:4:5:6:7::"), "1:2:3:4:5:6:7:0");
    assert.equal(v6("1::1.2.3.4"), "1:0:0:0:0:0:102:304");
    assert.equal(v6("64:ff9b::192.0.2.33"), "64:ff9b:0:0:0:0:c000:221");
    assert.equal(v6("FE80::1%eth0"), "fe80:0:0:0:0:0:0:1");
  });

  it("reads IPv4-mapped IPv6 as the IPv4 address", () => {
    assert.deepEqual(parseIp("::ffff:8.8.4.4"), { version: 4, value: 0x08080404 });
    assert.deepEqual(parseIp("::FFFF:0808:0404"), { version: 4, value: 0x08080404 });
  });

  it("refuses hostnames, padded or partial literals", () => {
    for (const text of ["ec2.amazonaws.com", "AWS Internal", "", " 1.2.3.4", "01.2.3.4", "1.2.3", "1:2:3"]) {
      assert.equal(parseIp(text), undefined, text);
    }
  });
});

describe("isSpecialPurpose", () => {
  const special = (text: string): boolean => isSpecialPurpose(parseIp(text)!);

  it("flags private, loopback, link-local, shared, documentation, multicast and reserved addresses", () => {
    for (const text of [
      "10.1.2.3",
      "172.31.255.255",
      "192.168.0.1",
      "127.0.0.1",
      "169.254.169.254",
      "100.64.0.1",
      "203.0.113.9",
      "224.0.0.1",
      "255.255.255.255",
      "0.0.0.0",
      "::1",
      "::",
      "fc00::1",
      "fd12:3456::1",
      "fe80::1",
      "ff02::1",
      "2001:db8::1",
      "::ffff:10.0.0.1",
    ]) {
      assert.equal(special(text), true, text);
    }
  });

  it("passes public unicast addresses", () => {
    for (const text of ["8.8.8.8", "172.32.0.1", "100.128.0.1", "52.94.236.248", "2600:1f18::1", "2001:4860::8888"]) {
      assert.equal(special(text), false, text);
    }
  });
});
