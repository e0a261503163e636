// DNS names and records as `dig` prints them: owner, TTL, class, type, data,
// tab-separated (dig's answer section), names fully qualified with the dot.
// Also the reverse names (in-addr.arpa, ip6.arpa nibbles) and the name
// CoreDNS gives an endpoint without a hostname (its IP with dashes).

export type RecordType = 'A' | 'AAAA' | 'SRV' | 'PTR' | 'CNAME' | 'TXT';

export const RECORD_TYPES: readonly RecordType[] = ['A', 'AAAA', 'SRV', 'PTR', 'CNAME', 'TXT'];

/** CoreDNS's kubernetes plugin answers with this TTL unless its `ttl` option says otherwise. */
export const DEFAULT_TTL = 5;

export interface DnsRecord {
  name: string;
  ttl: number;
  type: RecordType;
  /** As dig prints it: an address, `priority weight port target.`, a name with its dot, a quoted text. */
  data: string;
}

export function recordLine(r: DnsRecord): string {
  return `${r.name}\t${r.ttl}\tIN\t${r.type}\t${r.data}`;
}

/** The name with exactly one trailing dot. */
export function fqdn(name: string): string {
  return name.endsWith('.') ? name : `${name}.`;
}

/** Labels of a name, without the root. */
export function labelsOf(name: string): string[] {
  const n = name.endsWith('.') ? name.slice(0, -1) : name;
  return n === '' ? [] : n.split('.');
}

export function isIPv4(text: string): boolean {
  const parts = text.split('.');
  return parts.length === 4 && parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255);
}

/** The eight groups of an IPv6 address, or undefined when it is not one. */
export function ipv6Groups(text: string): number[] | undefined {
  // Cluster addresses are written in hex groups; the dotted-quad tail (::ffff:1.2.3.4) is not read.
  if (!/^[0-9a-fA-F:]+$/.test(text) || !text.includes(':')) return undefined;
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const parse = (s: string) => (s === '' ? [] : s.split(':'));
  const left = parse(halves[0]);
  const right = halves.length === 2 ? parse(halves[1]) : [];
  if (![...left, ...right].every((g) => /^[0-9a-fA-F]{1,4}$/.test(g))) return undefined;
  const fill = 8 - left.length - right.length;
  if (halves.length === 1 ? fill !== 0 : fill < 1) return undefined;
  return [...left, ...Array<string>(halves.length === 2 ? fill : 0).fill('0'), ...right].map((g) => parseInt(g, 16));
}

export function isIP(text: string): boolean {
  return isIPv4(text) || ipv6Groups(text) !== undefined;
}

/** The canonical (RFC 5952) text of an IPv6 address, as dig prints an AAAA. */
export function canonicalIPv6(text: string): string {
  const g = ipv6Groups(text);
  if (!g) return text;
  // The longest run of two or more zero groups becomes "::" (the first of equal runs).
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (g[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && g[j] === 0) j++;
    if (j - i > bestLen) {
      best = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = g.map((x) => x.toString(16));
  if (best < 0) return hex.join(':');
  return `${hex.slice(0, best).join(':')}::${hex.slice(best + bestLen).join(':')}`;
}

/** The address as the record data shows it. */
export function addressText(ip: string): string {
  return ip.includes(':') ? canonicalIPv6(ip) : ip;
}

/** `d.c.b.a.in-addr.arpa.` or the 32 reversed nibbles under ip6.arpa (the specification's 2.3.3). */
export function reverseName(ip: string): string | undefined {
  if (isIPv4(ip)) return `${ip.split('.').reverse().join('.')}.in-addr.arpa.`;
  const g = ipv6Groups(ip);
  if (!g) return undefined;
  const nibbles = g.flatMap((x) => x.toString(16).padStart(4, '0').split(''));
  return `${nibbles.reverse().join('.')}.ip6.arpa.`;
}

/** The address a reverse name stands for (undefined: not a complete reverse name). */
export function addressFromReverse(name: string): string | undefined {
  const l = labelsOf(name.toLowerCase());
  if (l.length === 6 && l[4] === 'in-addr' && l[5] === 'arpa') {
    const ip = l.slice(0, 4).reverse().join('.');
    return isIPv4(ip) ? ip : undefined;
  }
  if (l.length === 34 && l[32] === 'ip6' && l[33] === 'arpa' && l.slice(0, 32).every((n) => /^[0-9a-f]$/.test(n))) {
    const hex = l.slice(0, 32).reverse().join('');
    const groups = hex.match(/.{4}/g)!.map((h) => h.replace(/^0+(?=.)/, ''));
    return canonicalIPv6(groups.join(':'));
  }
  return undefined;
}

export function isReverseName(name: string): boolean {
  return /\.(in-addr|ip6)\.arpa\.?$/i.test(name);
}

/**
 * The label CoreDNS gives an endpoint without a hostname: its address with
 * dashes (10-244-1-5; 2001-db8--1, a trailing dash closed with 0).
 */
export function dashedAddress(ip: string): string {
  if (ip.includes('.') && !ip.includes(':')) return ip.replaceAll('.', '-');
  const d = ip.replaceAll(':', '-');
  return d.endsWith('-') ? `${d}0` : d;
}

/** The address a dashed Pod label stands for (CoreDNS's pod records: 10-244-1-5.ns.pod.zone). */
export function addressFromDashed(label: string): string | undefined {
  const ip = (label.match(/-/g) ?? []).length === 3 && !label.includes('--') ? label.replaceAll('-', '.') : label.replaceAll('-', ':');
  return isIP(ip) ? ip : undefined;
}

export function sameName(a: string, b: string): boolean {
  return fqdn(a).toLowerCase() === fqdn(b).toLowerCase();
}
