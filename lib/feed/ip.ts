import ipaddr from 'ipaddr.js';

/**
 * Strict IP checks for feed user names. MediaWiki names anonymous editors by their address in canonical
 * form: dotted-quad IPv4 or IPv6 (upper-case hex). We accept exactly that: no shortened, octal or hex
 * IPv4 ("1.2.3", "0x7f.1"), no leading zeros, no IPv6 zone ids, no surrounding spaces.
 */
export function isStrictIp(s: string): boolean {
  if (s.length < 2 || s.length > 45) return false;
  if (s.includes(':')) return !s.includes('%') && ipaddr.IPv6.isValid(s);
  // shape first: ipaddr.js answers "no" for a plain user name by throwing and catching an exception
  // inside isValid, which made this check most of the cost of parsing a feed line
  return DOTTED_QUAD.test(s) && ipaddr.IPv4.isValidFourPartDecimal(s) && !/(^|\.)0\d/.test(s);
}

/** Every string isValidFourPartDecimal accepts has this shape (four decimal parts of at most 255). */
const DOTTED_QUAD = /^\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}$/;

/** Temporary accounts (wikis that mask IPs) are named "~2026-12345-67"; "~" starts no other user name. */
export function isTempAccountName(s: string): boolean {
  return s.startsWith('~') && s.length > 1;
}

/** Is `ip` inside `cidr` ("203.0.113.0/24", "2001:db8::/64")? False for anything unparsable. */
export function ipInCidr(ip: string, cidr: string): boolean {
  try {
    const addr = ipaddr.parse(ip);
    const [net, bits] = ipaddr.parseCIDR(cidr);
    return addr.kind() === net.kind() && addr.match(net, bits);
  } catch {
    return false;
  }
}
