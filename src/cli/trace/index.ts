// `kni trace [paths...] (--to svc/NS/NAME[:PORT] | --url URL) [--from SOURCE]
//            [--proxy-mode iptables|ipvs] [--format text|json] [--namespace NS]`
//
// Exit codes: 0 the request is delivered, 1 it is not (dropped, no endpoints,
// unresolved), 2 usage or I/O problems (the message names the flag or path).
import type { CliIO } from '../io';
import { traceRequest, type ProxyMode, type TraceDestination, type TraceResult, type TraceSource } from '../../core/trace';
import { InputError, loadSetWithRenders } from './load';
import { emptyRenderFlags, RENDER_USAGE, takeRenderFlag, type RenderFlags } from '../renders';
import { scanArgs, UsageError } from '../args';
import { ModelIndex } from '../../core/model/model-index';
import type { NetworkModel } from '../../core/model/types';
import { CLUSTER_USAGE, clusterModelForCli, parseClusterArgs } from '../cluster-args';

/** What the command may touch of the outside world (the CLI's one IO shape). */
export type TraceIO = CliIO;

export const TRACE_USAGE = `Usage: kni trace [paths...] (--to svc/NS/NAME[:PORT] | --url URL) [options]

Trace one request hop by hop through the manifests in paths (files, or
directories searched for .yaml/.yml/.json; all one set; default: .).

Destination (one of):
  --to svc/NS/NAME[:PORT]   a Service and its port (number or name; needed
                            when the Service has several ports)
  --url URL                 an http:// or https:// URL, matched against Ingresses

Options:
  --from SOURCE             where the request starts:
                              pod/NS/NAME            a Pod (or a bare Pod manifest)
                              workload/NS/KIND/NAME  a workload's Pod (e.g. workload/shop/Deployment/web)
                              external[:IP]          a client outside the cluster (IPv4 of unknown address
                                                     unless IP is given)
                              node/NAME              a node
                            default: a Pod of the Service's namespace (--to), external (--url)
  --proxy-mode iptables|ipvs  kube-proxy's mode (default: iptables)
  --format text|json        output format (default: text)
  --namespace NS, -n NS     namespace of manifests without one (default: "default")
  --help, -h                show this help

${RENDER_USAGE}
A live cluster instead of files (real Pod IPs, nodes and readiness):
${CLUSTER_USAGE}
Exit codes: 0 delivered, 1 not delivered (dropped, no endpoints, unresolved),
2 usage or I/O problems.
`;


interface Options {
  paths: string[];
  to?: TraceDestination;
  from?: TraceSource;
  proxyMode: ProxyMode;
  format: 'text' | 'json';
  namespace?: string;
  help: boolean;
  render: RenderFlags;
}

export function parseDestination(text: string): TraceDestination {
  const m = /^(?:svc|service)\/([^/:]+)\/([^/:]+)(?::([^/:]+))?$/.exec(text);
  if (!m) throw new UsageError(`--to "${text}": expected svc/NAMESPACE/NAME or svc/NAMESPACE/NAME:PORT`);
  const port = m[3] === undefined ? undefined : /^\d+$/.test(m[3]) ? Number(m[3]) : m[3];
  if (typeof port === 'number' && (port < 1 || port > 65535)) throw new UsageError(`--to "${text}": port ${port} is outside 1-65535`);
  return { kind: 'service', namespace: m[1], name: m[2], port };
}

export function parseSource(text: string): TraceSource {
  if (text === 'external') return { kind: 'external' };
  const ext = /^external:(.+)$/.exec(text);
  if (ext) {
    if (!/^[0-9a-fA-F:.]+$/.test(ext[1])) throw new UsageError(`--from "${text}": "${ext[1]}" is not an IP address`);
    return { kind: 'external', ip: ext[1] };
  }
  const parts = text.split('/');
  if (parts[0] === 'pod' && parts.length === 3 && parts[1] && parts[2]) return { kind: 'pod', namespace: parts[1], name: parts[2] };
  if (parts[0] === 'workload' && parts.length === 4 && parts.slice(1).every(Boolean)) {
    return { kind: 'workload', namespace: parts[1], workloadKind: parts[2], name: parts[3] };
  }
  if (parts[0] === 'node' && parts.length === 2 && parts[1]) return { kind: 'node', name: parts[1] };
  throw new UsageError(`--from "${text}": expected pod/NS/NAME, workload/NS/KIND/NAME, external, external:IP or node/NAME`);
}

function parseArgs(argv: string[]): Options {
  const opts: Options = { paths: [], proxyMode: 'iptables', format: 'text', help: false, render: emptyRenderFlags() };
  opts.paths = scanArgs(argv, (flag, value) => {
    if (takeRenderFlag(flag, value, opts.render)) return;
    switch (flag) {
      case '--to':
        if (opts.to) throw new UsageError('give one destination: --to or --url, once');
        opts.to = parseDestination(value());
        break;
      case '--url':
        if (opts.to) throw new UsageError('give one destination: --to or --url, once');
        opts.to = { kind: 'url', url: value() };
        break;
      case '--from':
        opts.from = parseSource(value());
        break;
      case '--proxy-mode': {
        const v = value();
        if (v !== 'iptables' && v !== 'ipvs') throw new UsageError(`--proxy-mode "${v}": use iptables or ipvs`);
        opts.proxyMode = v;
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
        opts.namespace = value();
        break;
      case '--help':
      case '-h':
        opts.help = true;
        break;
      default:
        throw new UsageError(`unknown option ${flag}`);
    }
  });
  return opts;
}

export async function runTrace(argv: string[], io: TraceIO): Promise<number> {
  const clusterArgs = parseClusterArgs(argv);
  if (clusterArgs.error) {
    io.stderr(`kni trace: ${clusterArgs.error}\n\n${TRACE_USAGE}`);
    return 2;
  }
  let opts: Options;
  try {
    opts = parseArgs(clusterArgs.rest);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    io.stderr(`kni trace: ${e.message}\n\n${TRACE_USAGE}`);
    return 2;
  }
  if (opts.help) {
    io.stdout(TRACE_USAGE);
    return 0;
  }
  if (!opts.to) {
    io.stderr(`kni trace: say where the request goes: --to svc/NS/NAME[:PORT] or --url URL\n\n${TRACE_USAGE}`);
    return 2;
  }
  let set: { model: NetworkModel; index: ModelIndex };
  if (clusterArgs.cluster) {
    if (opts.paths.length > 0) {
      io.stderr(`kni trace: --cluster reads the cluster, not files: drop the paths (${opts.paths.join(' ')}) or --cluster\n`);
      return 2;
    }
    const loaded = await clusterModelForCli('trace', clusterArgs.cluster, io.stderr);
    if (!loaded) return 2;
    set = { model: loaded.model, index: new ModelIndex(loaded.model) };
  } else {
    try {
      const files = await loadSetWithRenders(io.cwd, opts.paths, opts.namespace, opts.render);
      for (const p of files.problems) io.stderr(`kni trace: warning: ${p} (the rest of the set is used)\n`);
      set = files;
    } catch (e) {
      if (e instanceof InputError || e instanceof UsageError) {
        io.stderr(`kni trace: ${e.message}\n`);
        return 2;
      }
      throw e;
    }
  }
  const result = traceRequest(set.model, set.index, { from: opts.from, to: opts.to, proxyMode: opts.proxyMode });
  io.stdout(opts.format === 'json' ? `${JSON.stringify(result, null, 2)}\n` : formatTraceText(result, describeRequest(opts)));
  return result.verdict === 'delivered' ? 0 : 1;
}

function describeRequest(opts: Options): string {
  const to = opts.to!;
  const dest = to.kind === 'url' ? to.url : `svc/${to.namespace}/${to.name}${to.port !== undefined ? `:${to.port}` : ''}`;
  const from = opts.from;
  const src = !from
    ? to.kind === 'url'
      ? 'external'
      : `a Pod in ${to.namespace}`
    : from.kind === 'external'
      ? `external${from.ip ? `:${from.ip}` : ''}`
      : from.kind === 'node'
        ? `node/${from.name}`
        : from.kind === 'pod'
          ? `pod/${from.namespace}/${from.name}`
          : `workload/${from.namespace}/${from.workloadKind}/${from.name}`;
  return `${src} -> ${dest}`;
}

/** The hop list as a person would draw it on a whiteboard. */
export function formatTraceText(r: TraceResult, title: string): string {
  const lines: string[] = [`trace ${title}`, ''];
  const width = Math.max(...r.hops.map((h) => h.kind.length), 4);
  r.hops.forEach((h, i) => {
    const num = String(i + 1).padStart(2);
    lines.push(`${num}. ${h.kind.padEnd(width)}  ${h.detail}`);
    const indent = ' '.repeat(4 + width + 2);
    for (const rule of h.rules) lines.push(`${indent}${rule}`);
  });
  if (r.endpoints.length > 0) {
    lines.push('', 'endpoints:');
    for (const e of r.endpoints) {
      const share = e.probability !== undefined ? `${(e.probability * 100).toFixed(1)}%` : 'share unknown';
      const flags = [e.nodeName ? `node ${e.nodeName}` : '', e.terminating ? 'terminating' : '', e.allowed === 'no' ? 'blocked by NetworkPolicy' : e.allowed === 'unknown' ? 'NetworkPolicy: depends' : '']
        .filter(Boolean)
        .join(', ');
      lines.push(`  ${e.target}:${e.port}  ${share}${flags ? `  (${flags})` : ''}`);
    }
  }
  lines.push('', `verdict: ${r.verdict}: ${r.reason}`, '');
  return lines.join('\n');
}
