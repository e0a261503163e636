// What the CodeLenses, the quick pick and the hovers say about Services and
// Ingress rules, computed from the core's model and index. No `vscode` here:
// unit tests run it on plain Node.
import type { ModelIndex } from '../model/model-index';
import { hasServiceSelector, uniqueWorkloads } from '../model/model-index';
import type { Ingress, IngressRule, Loc, Service, Workload } from '../model/types';

/** What `kni.traceRequest` takes: the inspector's `openWithTrace` target. */
export type { TraceTarget } from '../topology';
export { routeRuleRequests } from '../trace/gateway/urls';
import type { RouteRuleRequest } from '../trace/gateway/urls';
import { judgeRoute } from '../trace/gateway/attach';
export { attachments } from '../trace/gateway/attach';
import { markdownCode, markdownText } from '../text/markdown-safe';
import { weighBackends } from '../trace/gateway/backends';
import type { NetworkModel, Route, RouteBackendRef, RouteParentRef } from '../model/types';
import { codiconMark, type Mark } from './marks';

/**
 * What a route's parentRef attaches to, one line per listener (Markdown
 * without links): "listener https: attached (hostnames store.example.com)",
 * or why not.
 */
export function parentRefLines(model: NetworkModel, route: Route, ref: RouteParentRef, mark: (m: Mark) => string = codiconMark): string[] {
  const pv = judgeRoute(model, route).find((p) => p.parentRef === ref);
  if (!pv) return [];
  if (!pv.gateway) return [`${markdownText(ref.kind)} ${markdownCode(`${ref.namespace}/${ref.name}`)} is not in the workspace: attachment unknown`];
  return pv.listeners.map((l) => {
    const head = `listener ${markdownCode(l.listener.name)} (${markdownText(`${l.listener.protocol} ${l.listener.port}${l.listener.hostname ? ` ${l.listener.hostname}` : ''}`)})`;
    if (l.rejected === undefined) return `${mark('check')} ${head}: attached, serving ${markdownText(l.hostnames ? l.hostnames.join(', ') : 'every host')}`;
    if (l.rejected === 'unknown') return `${mark('question')} ${head}: depends on labels of namespace ${markdownCode(route.namespace)} the workspace does not show`;
    return `${mark('close')} ${head}: ${markdownText(l.rejected.detail)}`;
  });
}

/** A backendRef's share of its rule and where it goes (a ReferenceGrant named, or why the share gets 500). */
export function backendRefLine(model: NetworkModel, index: ModelIndex, route: Route, ref: RouteBackendRef, mark: (m: Mark) => string = codiconMark): string | undefined {
  const rule = route.rules.find((r) => r.backendRefs.includes(ref));
  if (!rule) return undefined;
  const b = weighBackends(model, index, route, rule.backendRefs).find((x) => x.ref === ref)!;
  const share = `${Math.round(b.share * 1000) / 10}% of the rule's requests (weight ${ref.weight})`;
  if (b.invalid) return `${share}: ${mark('error')} ${markdownText(b.invalid)}; this share gets 500`;
  return `${share} to Service ${markdownCode(`${b.service!.namespace}/${b.service!.name}`)} port ${b.port!.port}${b.grant ? ` (allowed by ReferenceGrant ${markdownCode(`${b.grant.namespace}/${b.grant.name}`)})` : ''}`;
}

/** "Trace GET https://host/path (version: two)": the method only when the rule matches on it. */
export function routeRuleLensTitle(r: RouteRuleRequest): string {
  const headers = r.headers ? ` (${Object.entries(r.headers).map(([k, v]) => `${k}: ${v}`).join(', ')})` : '';
  return `Trace ${r.method ? `${r.method} ` : ''}${r.url}${headers}`;
}

export interface IngressUrl {
  url: string;
  rule: IngressRule;
  /** Where the lens goes: the rule (or its host). */
  loc?: Loc;
}

/** The URLs an Ingress routes, one per rule path: https when a TLS entry covers the host. */
export function ingressUrls(ingress: Ingress): IngressUrl[] {
  const out: IngressUrl[] = [];
  for (const rule of ingress.rules) {
    const host = rule.host ?? ingress.loadBalancerIPs[0];
    if (!host) continue; // a rule for any host on an address we do not know: nothing concrete to trace
    const tls = rule.host !== undefined && ingress.tls.some((t) => t.hosts.some((h) => hostCovers(h, rule.host as string)));
    const scheme = tls ? 'https' : 'http';
    const paths = rule.paths.length > 0 ? rule.paths : [];
    for (const p of paths) {
      const path = p.path && p.path.startsWith('/') ? p.path : `/${p.path ?? ''}`;
      out.push({ url: `${scheme}://${host}${path}`, rule, loc: p.loc ?? rule.loc });
    }
  }
  return out;
}

function hostCovers(pattern: string, host: string): boolean {
  if (pattern === host) return true;
  if (!pattern.startsWith('*.')) return false;
  const suffix = pattern.slice(1);
  return host.endsWith(suffix) && !host.slice(0, -suffix.length).includes('.');
}

/** Pods a workload runs: live Pods when known, else replicas (undefined: depends on the nodes or the schedule). */
export function podCount(w: Workload): number | undefined {
  if (w.pods.length > 0) return w.pods.length;
  if (w.origin.source === 'cluster') return 0;
  switch (w.kind) {
    case 'Pod':
      return 1;
    case 'Deployment':
    case 'ReplicaSet':
    case 'StatefulSet':
    case 'ReplicationController':
    case 'DeploymentConfig':
      return w.replicas ?? 1;
    default:
      return undefined; // DaemonSet: one per node; Job/CronJob: while they run
  }
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** The workloads a Service's selector matches (the same workload in two files once). */
export function serviceWorkloads(index: ModelIndex, s: Service): Workload[] {
  if (!hasServiceSelector(s) || !s.selector) return [];
  return uniqueWorkloads(index.workloadsSelectedBy(s.namespace, s.selector));
}

/** "3 pods · 2 workloads", "no pods match", "no selector", "ExternalName → db.example.com". */
export function serviceSummary(index: ModelIndex, s: Service): string {
  if (s.type === 'ExternalName') return `ExternalName → ${s.externalName ?? '(no externalName)'}`;
  if (!hasServiceSelector(s)) {
    const slices = index.endpointSlicesFor(s);
    return slices.length > 0 ? `no selector · ${plural(slices.length, 'endpoint slice')}` : 'no selector';
  }
  const workloads = serviceWorkloads(index, s);
  if (workloads.length === 0) return 'no pods match';
  let pods = 0;
  let unknown = false;
  for (const w of workloads) {
    const n = podCount(w);
    if (n === undefined) unknown = true;
    else pods += n;
  }
  const podsText = unknown ? (pods > 0 ? `${pods}+ pods` : 'pods per node') : plural(pods, 'pod');
  return `${podsText} · ${plural(workloads.length, 'workload')}`;
}
