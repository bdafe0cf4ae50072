/**
 * Grok's `^%{IP}$`: an IPv6 literal (optionally with a `%zone`) or a dotted IPv4 whose octets may carry leading
 * zeros. Hostnames such as `eks.amazonaws.com` or `AWS Internal` are not IPs.
 */
import { isIPv6 } from "node:net";

const IPV4 = /^(?:(?:25[0-5]|2[0-4]\d|[01]?\d{1,2})\.){3}(?:25[0-5]|2[0-4]\d|[01]?\d{1,2})$/;

export function isIpLiteral(text: string): boolean {
  if (IPV4.test(text)) return true;
  if (!text.includes(":")) return false;
  const zone = text.indexOf("%");
  if (zone >= 0) return zone < text.length - 1 && isIPv6(text.slice(0, zone));
  return isIPv6(text);
}
