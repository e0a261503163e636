// The DNS conformance runner: each case holds the objects (as manifests), the
// question (name, type, and for a short name the namespace whose search path
// resolves it) and the answer upstream expects, written as upstream writes it
// (dig/zone-file lines). Sections are compared as sets, as CoreDNS's own
// test.SortAndCheck does; the rcode must agree too.
import { ModelIndex } from '../../../../src/core/model/model-index';
import { buildModel, parseManifestFile } from '../../../../src/core/source/manifests';
import { recordLine, type RecordType } from '../../../../src/core/trace/dns-names';
import { lookup } from '../../../../src/core/trace/dns-search';
import { ClusterDns, type Rcode } from '../../../../src/core/trace/dns-zone';

export interface DnsCase {
  /** The upstream file and test or section the case comes from. */
  source: string;
  /** Kubernetes manifests (YAML, documents separated by ---). */
  objects: string;
  /** The cluster domain (default cluster.local). */
  zone?: string;
  question: { name: string; type: RecordType; fromNamespace?: string };
  rcode: Rcode;
  /** Records as `owner ttl IN type data`, any whitespace between fields. */
  answer?: string[];
  additional?: string[];
  /** For a search-path case: the name of the query that answered. */
  answeredBy?: string;
  /** For a search-path case: no cluster name answers and the last query leaves for the upstream resolvers. */
  upstream?: boolean;
}

export interface CaseResult {
  ok: boolean;
  differences: string[];
}

/** Whitespace-insensitive form of a record line (dig pads with tabs, upstream tests with either). */
function norm(line: string): string {
  return line.trim().split(/\s+/).join(' ');
}

export function runCase(c: DnsCase): CaseResult {
  const parsed = parseManifestFile('case.yaml', c.objects, { defaultNamespace: 'default' });
  const model = buildModel([parsed], 'default');
  const dns = new ClusterDns(new ModelIndex(model), c.zone);
  const differences: string[] = [];
  for (const f of parsed.findings) if (f.severity === 'error') differences.push(`manifest: ${f.message}`);
  let got;
  if (c.question.fromNamespace !== undefined) {
    const l = lookup(dns, c.question.name, c.question.type, c.question.fromNamespace);
    const forwarded = l.answered?.upstream !== undefined;
    if (forwarded !== (c.upstream ?? false)) differences.push(forwarded ? `${l.answered!.name} goes upstream` : 'no query goes upstream');
    const cluster = l.queries.filter((q) => q.upstream === undefined);
    got = (!forwarded && l.answered) || cluster[cluster.length - 1] || l.queries[0];
    if (!l.answered || forwarded) got = { ...got, rcode: cluster.some((q) => q.rcode === 'NOERROR') ? ('NOERROR' as const) : ('NXDOMAIN' as const) };
    if (c.answeredBy && got.name !== c.answeredBy) differences.push(`answered by ${got.name}, upstream: ${c.answeredBy}`);
  } else {
    got = dns.answer(c.question.name, c.question.type);
  }
  if (got.rcode !== c.rcode) differences.push(`rcode ${got.rcode}, upstream: ${c.rcode}`);
  const compare = (section: string, mine: string[], theirs: string[] | undefined) => {
    if (theirs === undefined) return;
    const a = [...new Set(mine.map(norm))].sort();
    const b = [...new Set(theirs.map(norm))].sort();
    if (mine.length !== new Set(mine.map(norm)).size) differences.push(`${section}: a record is repeated`);
    for (const x of a) if (!b.includes(x)) differences.push(`${section}: extra ${x}`);
    for (const x of b) if (!a.includes(x)) differences.push(`${section}: missing ${x}`);
  };
  compare('answer', got.answer.map(recordLine), c.answer ?? []);
  compare('additional', got.additional.map(recordLine), c.additional);
  return { ok: differences.length === 0, differences };
}

// ---------------------------------------------------------------- manifests, briefly

export interface SvcSpec {
  ns?: string;
  clusterIPs?: string[];
  type?: string;
  externalName?: string;
  ports?: [string, string, number][];
  selector?: Record<string, string>;
  ipFamilies?: string[];
  publishNotReadyAddresses?: boolean;
}

export function svc(name: string, s: SvcSpec = {}): string {
  const lines = ['apiVersion: v1', 'kind: Service', 'metadata:', `  name: ${name}`, `  namespace: ${s.ns ?? 'testns'}`, 'spec:'];
  if (s.type) lines.push(`  type: ${s.type}`);
  if (s.externalName) lines.push(`  externalName: ${s.externalName}`);
  if (s.clusterIPs) {
    lines.push(`  clusterIP: ${s.clusterIPs[0]}`, '  clusterIPs:', ...s.clusterIPs.map((ip) => `  - "${ip}"`));
  }
  if (s.ipFamilies) lines.push('  ipFamilies:', ...s.ipFamilies.map((f) => `  - ${f}`));
  if (s.publishNotReadyAddresses) lines.push('  publishNotReadyAddresses: true');
  if (s.selector) lines.push('  selector:', ...Object.entries(s.selector).map(([k, v]) => `    ${k}: ${v}`));
  if (s.ports && s.ports.length > 0) {
    lines.push('  ports:');
    for (const [pname, proto, port] of s.ports) lines.push(`  - ${pname ? `name: ${pname}\n    ` : ''}protocol: ${proto}`, `    port: ${port}`);
  }
  return lines.join('\n');
}

export interface SliceEndpoint {
  ip: string;
  hostname?: string;
  ready?: boolean;
}

export function slice(service: string, name: string, endpoints: SliceEndpoint[], ports: [string, string, number][] = [], ns = 'testns'): string {
  const v6 = endpoints.length > 0 && endpoints.every((e) => e.ip.includes(':'));
  const lines = [
    'apiVersion: discovery.k8s.io/v1',
    'kind: EndpointSlice',
    'metadata:',
    `  name: ${name}`,
    `  namespace: ${ns}`,
    '  labels:',
    `    kubernetes.io/service-name: ${service}`,
    `addressType: ${v6 ? 'IPv6' : 'IPv4'}`,
  ];
  if (endpoints.length === 0) lines.push('endpoints: []');
  else lines.push('endpoints:');
  for (const e of endpoints) {
    lines.push(`- addresses: ["${e.ip}"]`);
    if (e.hostname) lines.push(`  hostname: "${e.hostname}"`);
    if (e.ready !== undefined) lines.push('  conditions:', `    ready: ${e.ready}`);
  }
  if (ports.length > 0) {
    lines.push('ports:');
    for (const [pname, proto, port] of ports) lines.push(`- name: "${pname}"`, `  protocol: ${proto}`, `  port: ${port}`);
  }
  return lines.join('\n');
}

export function namespaceDoc(name: string): string {
  return ['apiVersion: v1', 'kind: Namespace', 'metadata:', `  name: ${name}`].join('\n');
}

export function docs(...parts: string[]): string {
  return parts.join('\n---\n');
}
