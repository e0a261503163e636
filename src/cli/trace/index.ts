// `kni trace [paths...] (--to svc/NS/NAME[:PORT] | --to NAME[:PORT] | --to external:IP[:PORT][/PROTO] | --to URL | --url URL) [--from SOURCE]
//            [--proxy-mode iptables|nftables|ipvs] [--cluster-cidr CIDR]
//            [--type A|AAAA|SRV|PTR] [--cluster-domain DOMAIN] [--format text|json] [--namespace NS]`
//
// Exit codes: 0 the request is delivered, 1 it is not (dropped, no endpoints,
// unresolved), 2 usage or I/O problems (the message names the flag or path),
// 3 (--cluster) delivered as far as what was read shows, but some resources
// could not be read (a NetworkPolicy verdict where policies are unread is
// "unknown", and the verdict then "unresolved", exit 1).
import type { CliIO } from '../io';
import { jsonTerminalSafe, safe, terminalSafe } from '../../view-model/terminal-safe';
import { DEFAULT_CLUSTER_DOMAIN, DEFAULT_NAMESPACE, DEFAULT_PROXY_MODE, isClusterDomain, isProxyMode, PROXY_MODES, PROXY_MODES_TEXT } from '../../core/config/facts';
import { traceRequest, type ProxyMode, type TraceDestination, type TraceResult, type TraceSource } from '../../core/trace';
import { loadCommandSet } from './load';
import { emptyRenderFlags, RENDER_USAGE, takeRenderFlag, type RenderFlags } from '../renders';
import { MAX_FILE_SIZE_USAGE, parseMaxFileSize, parseNamespace, scanArgs, UsageError } from '../args';
import { didYouMean, unknownOption } from '../suggest';
import type { NetworkModel } from '../../core/model/types';
import { CLUSTER_USAGE, EXIT_PARTIAL, parseClusterArgs } from '../cluster-args';
import { partialReadLine, type PartialRead } from '../format/types';
import { partialJson } from '../format/json';
import { parseIp } from '../../core/policy/ip';

/** What the command may touch of the outside world (the CLI's one IO shape). */
export type TraceIO = CliIO;

export const TRACE_USAGE = `Usage: kni trace [paths...] (--to svc/NS/NAME[:PORT] | --to pod/NS/NAME[:PORT] | --to workload/NS/KIND/NAME[:PORT] | --to NAME[:PORT] | --to external:IP[:PORT][/PROTO] | --to URL | --to localhost:PORT | --url URL) [options]

Trace one request hop by hop through the manifests in paths (files, or
directories searched for .yaml/.yml/.json; all one set; default: .).

Destination (one of):
  --to svc/NS/NAME[:PORT]   a Service and its port (number or name; needed
                            when the Service has several ports)
  --to NAME[:PORT]          a DNS name as the client writes it, resolved through
                            its search path: web, web.shop,
                            web.shop.svc.cluster.local, pod-0.db.shop.svc.cluster.local
                            (one endpoint of a headless Service), or an address
                            with --type PTR; a name outside the cluster
                            (api.stripe.com:443) leaves it, as --to URL does
  --to external:IP[:PORT][/PROTO]
                            an address outside the cluster (or external:HOST[:PORT]):
                            the lookup, the egress policy verdict at the source, the
                            node's masquerade (protocol default TCP)
  --to pod/NS/NAME[:PORT]   a Pod by its own address (no kube-proxy; policy at
                            both ends; same-node or cross-node routing)
  --to workload/NS/KIND/NAME[:PORT]
                            a workload's Pod by its own address, as pod/ does
  --to localhost:PORT       a port of the --from Pod itself (its containers share
                            one network namespace; no policy applies)
  --to URL                  an http:// or https:// URL requested from inside the
                            cluster (--from, default a Pod of -n): a host no Ingress
                            names leaves the cluster (https://api.stripe.com); a
                            cluster name is traced to its Service
  --url URL                 an http:// or https:// URL, matched against Gateway
                            listeners and HTTPRoutes, and Ingresses

Options for --url (Gateway API route matching):
  --method METHOD           the request's method (default: GET)
  --header NAME=VALUE       a request header (repeat for several); content-type=
                            application/grpc makes it a gRPC call to /SERVICE/METHOD,
                            matched against GRPCRoutes

Options:
  --from SOURCE             where the request starts:
                              pod/NS/NAME            a Pod (or a bare Pod manifest)
                              workload/NS/KIND/NAME  a workload's Pod (e.g. workload/shop/Deployment/web)
                              external[:IP][@NODE]   a client outside the cluster (IPv4 of unknown address
                                                     unless IP is given), reaching node NODE when given
                                                     (what externalTrafficPolicy Local decides on)
                              node/NAME              a node
                            default: a Pod of the Service's namespace (--to svc/), of -n
                            (other --to forms), external (--url)
  --proxy-mode ${PROXY_MODES.join('|')}
                            kube-proxy's mode (default: ${DEFAULT_PROXY_MODE})
  --cluster-cidr CIDR       the cluster's Pod CIDR (kube-proxy --cluster-cidr): decides
                            which ClusterIP traffic is masqueraded (default: shown
                            as <cluster CIDR>)
  --type A|AAAA|SRV|PTR     the record type the DNS hop asks (default: A and
                            AAAA, and SRV for a named port)
  --cluster-domain DOMAIN   the cluster's DNS domain (default: ${DEFAULT_CLUSTER_DOMAIN})
  --format text|json        output format (default: text)
  --namespace NS, -n NS     namespace of manifests without one (default: "${DEFAULT_NAMESPACE}")
${MAX_FILE_SIZE_USAGE}
  --help, -h                show this help

${RENDER_USAGE}
A live cluster instead of files (real Pod IPs, nodes and readiness):
${CLUSTER_USAGE}
Exit codes: 0 delivered, 1 not delivered (dropped, no endpoints, unresolved,
redirected by a Gateway),
2 usage or I/O problems, 3 (--cluster) delivered as far as what could be read
shows, but some resources could not be read (the output lists them).
`;


interface Options {
  paths: string[];
  method?: string;
  headers?: Record<string, string>;
  to?: TraceDestination;
  dnsType?: 'A' | 'AAAA' | 'SRV' | 'PTR';
  clusterDomain?: string;
  from?: TraceSource;
  proxyMode: ProxyMode;
  clusterCIDR?: string;
  format: 'text' | 'json';
  namespace?: string;
  maxFileSize?: number;
  help: boolean;
  render: RenderFlags;
}

export function parseDestination(text: string): TraceDestination {
  if (/^external:/i.test(text)) return parseExternalDestination(text);
  if (/^https?:\/\//i.test(text)) return { kind: 'url', url: text, inCluster: true };
  const local = /^(?:localhost|127\.0\.0\.1|\[::1\])(?::([^/:]+))?$/i.exec(text);
  if (local) return { kind: 'localhost', port: portOf(text, local[1]) };
  const pod = /^pod\/([^/:]+)\/([^/:]+)(?::([^/:]+))?$/.exec(text);
  if (pod) return { kind: 'pod', namespace: pod[1], name: pod[2], port: portOf(text, pod[3]) };
  // A workload's Pod by its address: manifests name Deployments, not their Pods.
  const workloadPod = /^workload\/([^/:]+)\/([^/:]+)\/([^/:]+)(?::([^/:]+))?$/.exec(text);
  if (workloadPod) return { kind: 'pod', namespace: workloadPod[1], workloadKind: workloadPod[2], name: workloadPod[3], port: portOf(text, workloadPod[4]) };
  if (!text.includes('/')) return parseNameDestination(text);
  const m = /^(?:svc|service)\/([^/:]+)\/([^/:]+)(?::([^/:]+))?$/.exec(text);
  if (!m) throw new UsageError(`--to "${text}": expected svc/NAMESPACE/NAME[:PORT], pod/NAMESPACE/NAME[:PORT], workload/NAMESPACE/KIND/NAME[:PORT], external:IP[:PORT], a URL or a DNS name[:PORT]`);
  return { kind: 'service', namespace: m[1], name: m[2], port: portOf(text, m[3]) };
}

/** external:IP[:PORT][/PROTO], external:[IPv6]:PORT[/PROTO], external:HOST[:PORT][/PROTO]. */
function parseExternalDestination(text: string): TraceDestination {
  const usage = `--to "${text}": expected external:IP[:PORT][/TCP|UDP|SCTP] (an IPv6 address with a port as external:[ADDRESS]:PORT) or external:HOST[:PORT]`;
  const m = /^external:(?:\[([0-9a-fA-F:.]+)\]|([^:/[\]]+)|([0-9a-fA-F:.]*:[0-9a-fA-F:.]*))(?::(\d+))?(?:\/([a-zA-Z]+))?$/i.exec(text);
  if (!m) throw new UsageError(usage);
  const address = m[1] ?? m[2] ?? m[3];
  const protocol = m[5]?.toUpperCase();
  if (protocol !== undefined && protocol !== 'TCP' && protocol !== 'UDP' && protocol !== 'SCTP') throw new UsageError(`--to "${text}": protocol "${m[5]}": use TCP, UDP or SCTP`);
  const port = m[4] === undefined ? undefined : (portOf(text, m[4]) as number);
  const proto = protocol as 'TCP' | 'UDP' | 'SCTP' | undefined;
  if (/^[0-9.]+$/.test(address) || address.includes(':')) {
    if (!parseIp(address)) throw new UsageError(`--to "${text}": "${address}" is not an IP address`);
    return { kind: 'external', ip: address, port, protocol: proto };
  }
  const label = /^[a-zA-Z0-9](?:[-a-zA-Z0-9]{0,61}[a-zA-Z0-9])?$/;
  const host = address.replace(/\.$/, '');
  if (host.length > 253 || !host.split('.').every((l) => label.test(l))) throw new UsageError(usage);
  return { kind: 'external', host: host.toLowerCase(), port, protocol: proto };
}

function portOf(text: string, p: string | undefined): number | string | undefined {
  const port = p === undefined ? undefined : /^\d+$/.test(p) ? Number(p) : p;
  if (typeof port === 'number' && (port < 1 || port > 65535)) throw new UsageError(`--to "${text}": port ${port} is outside 1-65535`);
  return port;
}

/** web, web.shop, web.shop.svc.cluster.local[.], pod-0.db.shop.svc.cluster.local, an IP ([v6] with a port), each with an optional :PORT. */
function parseNameDestination(text: string): TraceDestination {
  const v6 = /^\[([0-9a-fA-F:]+)\](?::([^:]+))?$/.exec(text);
  if (v6) return { kind: 'name', name: v6[1], port: portOf(text, v6[2]) };
  if ((text.match(/:/g) ?? []).length > 1) {
    if (/^[0-9a-fA-F:]+$/.test(text)) return { kind: 'name', name: text };
    throw new UsageError(`--to "${text}": write an IPv6 address with a port as [ADDRESS]:PORT`);
  }
  const [name, port] = text.split(':');
  // Labels as RFC 1123 writes them, plus the leading underscore of _port._proto names.
  const label = /^(?:_?[a-zA-Z0-9](?:[-a-zA-Z0-9]{0,61}[a-zA-Z0-9])?|\*)$/;
  const labels = (name.endsWith('.') ? name.slice(0, -1) : name).split('.');
  if (name === '' || name.length > 253 || !labels.every((l) => label.test(l))) {
    throw new UsageError(`--to "${text}": expected svc/NAMESPACE/NAME[:PORT] or a DNS name (web, web.shop, web.shop.svc.cluster.local, pod-0.web.shop.svc.cluster.local)[:PORT]`);
  }
  return { kind: 'name', name, port: portOf(text, port) };
}

export function parseSource(text: string): TraceSource {
  const ext = /^external(?::([^@]+))?(?:@(.+))?$/.exec(text);
  if (ext) {
    const [, ip, node] = ext;
    if (ip !== undefined && !/^[0-9a-fA-F:.]+$/.test(ip)) throw new UsageError(`--from "${text}": "${ip}" is not an IP address`);
    return { kind: 'external', ...(ip !== undefined ? { ip } : {}), ...(node !== undefined ? { viaNode: node } : {}) };
  }
  const parts = text.split('/');
  if (parts[0] === 'pod' && parts.length === 3 && parts[1] && parts[2]) return { kind: 'pod', namespace: parts[1], name: parts[2] };
  if (parts[0] === 'workload' && parts.length === 4 && parts.slice(1).every(Boolean)) {
    return { kind: 'workload', namespace: parts[1], workloadKind: parts[2], name: parts[3] };
  }
  if (parts[0] === 'node' && parts.length === 2 && parts[1]) return { kind: 'node', name: parts[1] };
  throw new UsageError(`--from "${text}": expected pod/NS/NAME, workload/NS/KIND/NAME, external[:IP][@NODE] or node/NAME`);
}

function parseArgs(argv: string[]): Options {
  const opts: Options = { paths: [], proxyMode: DEFAULT_PROXY_MODE, format: 'text', help: false, render: emptyRenderFlags() };
  opts.paths = scanArgs(argv, (flag, value) => {
    if (takeRenderFlag(flag, value, opts.render)) return;
    switch (flag) {
      case '--to':
        if (opts.to) throw new UsageError('give one destination: --to or --url, once');
        opts.to = parseDestination(value());
        break;
      case '--url': {
        if (opts.to) throw new UsageError('give one destination: --to or --url, once');
        const url = value();
        // A URL without its scheme is a slip of the command line, not a request that fails.
        if (!/^https?:\/\//i.test(url)) {
          const example = /^[a-z][a-z0-9+.-]*:\/\//i.test(url) ? '' : ` (e.g. https://${url})`;
          throw new UsageError(`--url "${url}": give an http:// or https:// URL${example}`);
        }
        opts.to = { kind: 'url', url };
        break;
      }
      case '--from':
        opts.from = parseSource(value());
        break;
      case '--method': {
        const v = value();
        if (!/^[A-Za-z]+$/.test(v)) throw new UsageError(`--method "${v}": expected an HTTP method such as GET or POST`);
        opts.method = v.toUpperCase();
        break;
      }
      case '--header': {
        const v = value();
        const eq = v.indexOf('=');
        if (eq <= 0) throw new UsageError(`--header "${v}": expected NAME=VALUE, e.g. --header version=two`);
        (opts.headers ??= {})[v.slice(0, eq)] = v.slice(eq + 1);
        break;
      }
      case '--type': {
        const v = value().toUpperCase();
        if (v !== 'A' && v !== 'AAAA' && v !== 'SRV' && v !== 'PTR') throw new UsageError(`--type "${v}": use A, AAAA, SRV or PTR`);
        opts.dnsType = v;
        break;
      }
      case '--cluster-domain': {
        const v = value().replace(/\.$/, '');
        if (!isClusterDomain(v)) throw new UsageError(`--cluster-domain "${v}": expected a domain such as ${DEFAULT_CLUSTER_DOMAIN}`);
        opts.clusterDomain = v;
        break;
      }
      case '--proxy-mode': {
        const v = value();
        if (!isProxyMode(v)) throw new UsageError(`--proxy-mode "${v}": use ${PROXY_MODES_TEXT}`);
        opts.proxyMode = v;
        break;
      }
      case '--cluster-cidr': {
        const v = value();
        if (!/^[0-9a-fA-F:.]+\/\d{1,3}$/.test(v)) throw new UsageError(`--cluster-cidr "${v}": expected a CIDR such as 10.244.0.0/16`);
        opts.clusterCIDR = v;
        break;
      }
      case '--format':
      case '-f': {
        const v = value();
        if (v !== 'text' && v !== 'json') throw new UsageError(`--format "${v}": use text or json`);
        opts.format = v;
        break;
      }
      case '--namespace':
      case '-n':
        opts.namespace = parseNamespace(value());
        break;
      case '--max-file-size':
        opts.maxFileSize = parseMaxFileSize(value());
        break;
      case '--help':
      case '-h':
        opts.help = true;
        break;
      default:
        throw new UsageError(unknownOption(flag, TRACE_USAGE));
    }
  });
  return opts;
}

export async function runTrace(argv: string[], io: TraceIO): Promise<number> {
  const clusterArgs = parseClusterArgs(argv);
  if (clusterArgs.error) {
    io.stderr(`kni trace: ${terminalSafe(clusterArgs.error)}\n\n${TRACE_USAGE}`);
    return 2;
  }
  let opts: Options;
  try {
    opts = parseArgs(clusterArgs.rest);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    io.stderr(`kni trace: ${terminalSafe(e.message)}\n\n${TRACE_USAGE}`);
    return 2;
  }
  if (opts.help) {
    io.stdout(TRACE_USAGE);
    return 0;
  }
  if ((opts.method || opts.headers) && opts.to?.kind === 'url') opts.to = { ...opts.to, ...(opts.method ? { method: opts.method } : {}), ...(opts.headers ? { headers: opts.headers } : {}) };
  else if (opts.method || opts.headers) {
    io.stderr(`kni trace: --method and --header go with --url\n\n${TRACE_USAGE}`);
    return 2;
  }
  if (!opts.to) {
    io.stderr(`kni trace: say where the request goes: --to svc/NS/NAME[:PORT], --to NAME[:PORT], --to external:IP[:PORT], --to URL or --url URL\n\n${TRACE_USAGE}`);
    return 2;
  }
  const set = await loadCommandSet('trace', io, clusterArgs.cluster, { paths: opts.paths, namespace: opts.namespace, render: opts.render, maxBytes: opts.maxFileSize });
  if (!set) return 2;
  const partial = set.partial;
  const missing = unknownService(set.model, opts.to);
  if (missing) {
    io.stderr(`kni trace: ${terminalSafe(missing)}\n`);
    return 2;
  }
  const result = traceRequest(set.model, set.index, {
    from: opts.from,
    to: opts.to,
    proxyMode: opts.proxyMode,
    clusterCIDR: opts.clusterCIDR,
    dnsType: opts.dnsType,
    clusterDomain: opts.clusterDomain,
  });
  if (opts.format === 'json') {
    const out = partial ? { ...result, ...partialJson(partial) } : result;
    io.stdout(`${jsonTerminalSafe(JSON.stringify(out, null, 2))}\n`);
  } else {
    io.stdout(formatTraceText(result, describeRequest(opts), partial));
  }
  if (result.verdict !== 'delivered') return 1;
  return partial && partial.unread.length > 0 ? EXIT_PARTIAL : 0;
}

/** A --to Service that is not in the set is a usage problem: name it, and the Service meant if one is close. */
function unknownService(model: NetworkModel, to: TraceDestination): string | undefined {
  if (to.kind !== 'service') return undefined;
  if (model.services.some((s) => s.namespace === to.namespace && s.name === to.name)) return undefined;
  const names = model.services.map((s) => `${s.namespace}/${s.name}`);
  const typed = `${to.namespace}/${to.name}`;
  const hint = didYouMean(typed, names) || (names.length === 0 ? ' (the set holds no Service)' : '');
  return `--to svc/${typed}: no Service ${typed} in the set${hint.replace(/did you mean (\S)/, 'did you mean svc/$1')}`;
}

/** The request in `kni trace`'s words ("pod/shop/web-1 -> svc/shop/cart:80"): the title of its text. */
export function describeRequest(opts: Pick<Options, 'to' | 'from' | 'namespace' | 'dnsType'>): string {
  const to = opts.to!;
  const port = to.kind !== 'url' && to.port !== undefined ? `:${to.port}` : '';
  const dest = to.kind === 'url' ? to.url : to.kind === 'localhost' ? `localhost${port}` : to.kind === 'pod' ? (to.workloadKind ? `workload/${to.namespace}/${to.workloadKind}/${to.name}${port}` : `pod/${to.namespace}/${to.name}${port}`) : to.kind === 'external' ? `external:${to.ip?.includes(':') && port ? `[${to.ip}]` : (to.ip ?? to.host)}${port}${to.protocol ? `/${to.protocol}` : ''}` : to.kind === 'name' ? `${to.name}${port}${opts.dnsType ? ` (${opts.dnsType})` : ''}` : `svc/${to.namespace}/${to.name}${port}`;
  const from = opts.from;
  const src = !from
    ? to.kind === 'url' && !to.inCluster
      ? 'external'
      : to.kind === 'pod'
        ? `a Pod in ${to.namespace}`
        : to.kind === 'name' || to.kind === 'external' || to.kind === 'url' || to.kind === 'localhost'
        ? `a Pod in ${opts.namespace ?? DEFAULT_NAMESPACE}`
        : `a Pod in ${to.namespace}`
    : from.kind === 'external'
      ? `external${from.ip ? `:${from.ip}` : ''}${from.viaNode ? `@${from.viaNode}` : ''}`
      : from.kind === 'node'
        ? `node/${from.name}`
        : from.kind === 'pod'
          ? `pod/${from.namespace}/${from.name}`
          : `workload/${from.namespace}/${from.workloadKind}/${from.name}`;
  return `${src} -> ${dest}`;
}

/** The hop list as a person would draw it on a whiteboard; every value from the set escaped (one line each). */
export function formatTraceText(r: TraceResult, title: string, partial?: PartialRead): string {
  const lines: string[] = [`${safe`trace ${title}`}${r.proxyMode ? ` (kube-proxy mode: ${r.proxyMode})` : ''}`, ''];
  const width = Math.max(...r.hops.map((h) => h.kind.length), 4);
  r.hops.forEach((h, i) => {
    const num = String(i + 1).padStart(2);
    lines.push(`${num}. ${h.kind.padEnd(width)}  ${terminalSafe(h.detail)}`);
    const indent = ' '.repeat(4 + width + 2);
    // A record line separates its fields with tabs, as dig prints it: those stay; everything else is escaped.
    for (const rule of h.rules) lines.push(`${indent}${rule.split('\t').map(terminalSafe).join('\t')}`);
  });
  if (r.endpoints.length > 0) {
    lines.push('', 'endpoints:');
    for (const e of r.endpoints) {
      const share = e.probability !== undefined ? `${(e.probability * 100).toFixed(1)}%` : 'share unknown';
      const flags = [e.nodeName ? `node ${terminalSafe(e.nodeName)}` : '', e.terminating ? 'terminating' : '', e.allowed === 'no' ? `blocked by ${e.blockedBy ?? 'NetworkPolicy'}` : e.allowed === 'unknown' ? 'NetworkPolicy: depends' : '']
        .filter(Boolean)
        .join(', ');
      lines.push(`  ${terminalSafe(e.target)}:${terminalSafe(String(e.port))}  ${share}${flags ? `  (${flags})` : ''}`);
    }
  }
  if (r.ruleNotation && r.hops.some((h) => h.kind === 'kube-proxy' && h.rules.length > 0)) lines.push('', `rules: ${r.ruleNotation}`);
  // Said once: the set has no cluster DNS, so where the lookups went is assumed (with it, the lookup's own hops show the server);
  // or the client does not ask the cluster DNS at all (its dnsPolicy): which resolver it asks.
  const server = r.hops.find((h) => h.dns?.server?.assumed || h.dns?.server?.resolver)?.dns?.server;
  if (server) lines.push('', `dns server: ${terminalSafe(server.detail)}`);
  const incomplete = partialReadLine(partial);
  lines.push('');
  if (incomplete) lines.push(incomplete);
  lines.push(`verdict: ${r.verdict}: ${terminalSafe(r.reason)}`, '');
  return lines.join('\n');
}
