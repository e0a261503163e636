// The code lenses of a file, as data for any editor: above each Service
// "Trace request" and what it reaches ("3 pods · 2 workloads", with the
// workloads to show); above each Ingress rule path and each HTTPRoute rule
// "Trace https://host/path"; above each NetworkPolicy egress rule naming the
// world outside "Trace egress to 10.0.0.0/8 TCP/5432" (from a Pod the policy
// selects; topology/egress-rules); above each NetworkPolicy rule naming Pods
// "Trace from shop/frontend (Pod to Pod)" (topology/pod-rules), and the same
// above an admin policy's rules naming Pods (topology/admin-rules); above each
// container port of a Pod with several containers "Trace localhost:9090 from
// exporter" (topology/localhost-ports). In a chart's template or a Kustomize file, the
// objects a render drew from it get the same lenses, computed in the rendered
// release (named when several renders read the file). Titles are plain text,
// safe to show (no control or bidi characters); an editor adds its icons.
import type { TraceRequestArgument } from '../../protocol/lsp';
import { terminalSafe } from '../../view-model/terminal-safe';
import type { ModelIndex } from '../model/model-index';
import type { AdminNetworkPolicy, Loc, ModelObject, NetworkPolicy, PolicyRule, Route, Service, Workload } from '../model/types';
import { localhostLens, localhostPorts } from '../topology/localhost-ports';
import { egressRuleLenses } from '../topology/egress-rules';
import { podRuleLenses } from '../topology/pod-rules';
import { adminRuleLenses } from '../topology/admin-rules';
import { attachments, ingressUrls, routeRuleLensTitle, routeRuleRequests, serviceSummary, serviceWorkloads } from './trace-targets';

/** Where the objects of one lens pass come from: the loose manifests, or one render. */
export interface LensSource {
  objects: readonly ModelObject[];
  index: ModelIndex;
  /** A model location as a location in the index's files (undefined: not in this file's terms). */
  at(loc: Loc | undefined): Loc | undefined;
  /** The render (a trace then runs in it), and its name when the file has several. */
  render?: { key: string; name?: string };
}

/** "Trace …": the client runs TRACE_REQUEST_COMMAND with `argument`. */
export interface TraceLens {
  kind: 'trace';
  /** The line the lens stands above: that of loc.start. */
  loc: Loc;
  title: string;
  tooltip: string;
  argument: TraceRequestArgument;
}

/** What a Service reaches; `workloads` are where the selected workloads' labels are written (a click shows them). */
export interface ReachLens {
  kind: 'reach';
  loc: Loc;
  title: string;
  workloads: Loc[];
}

export type CodeLensData = TraceLens | ReachLens;

export function codeLenses(sources: readonly LensSource[]): CodeLensData[] {
  return sources.flatMap(lensesOf);
}

function lensesOf(source: LensSource): CodeLensData[] {
  const { index: mi, at: toFile, render } = source;
  const lenses: CodeLensData[] = [];
  const inRender = render?.name ? terminalSafe(` in ${render.name}`) : '';
  const withRender = <T extends object>(t: T): T & { render?: string } => (render ? { ...t, render: render.key } : t);
  let attached: ReturnType<typeof attachments> | undefined; // the set's route attachments, once per source
  for (const o of source.objects) {
    if (o.kind === 'Service') {
      const s = o as Service;
      const loc = toFile(s.origin.loc ?? s.origin.nameLoc);
      if (!loc) continue;
      lenses.push({ kind: 'trace', loc, title: `Trace request${inRender}`, tooltip: `Trace a request to Service ${terminalSafe(`${s.namespace}/${s.name}`)}${render ? ' in the rendered release' : ''} in the Network Inspector`, argument: withRender({ serviceId: s.id }) });
      const workloads = serviceWorkloads(mi, s).flatMap((w) => {
        const l = toFile(w.podLabelsLoc ?? w.origin.nameLoc ?? w.origin.loc);
        return l ? [l] : [];
      });
      lenses.push({ kind: 'reach', loc, title: terminalSafe(serviceSummary(mi, s)), workloads });
    } else if (o.kind === 'Ingress') {
      for (const u of ingressUrls(o)) {
        const loc = toFile(u.loc ?? o.origin.loc);
        if (!loc) continue;
        lenses.push({ kind: 'trace', loc, title: `Trace ${terminalSafe(u.url)}${inRender}`, tooltip: `Trace a request to ${terminalSafe(u.url)} in the Network Inspector`, argument: withRender({ url: u.url }) });
      }
    } else if (o.kind === 'NetworkPolicy') {
      const np = o as NetworkPolicy;
      const ruleLenses = (rules: readonly PolicyRule[], lensesOf: (i: number) => { title: string; tooltip: string; target: TraceRequestArgument }[]) =>
        rules.forEach((rule, i) => {
          const loc = toFile(rule.loc ?? np.origin.loc);
          if (!loc) return;
          for (const l of lensesOf(i)) lenses.push({ kind: 'trace', loc, title: `${terminalSafe(l.title)}${inRender}`, tooltip: terminalSafe(l.tooltip), argument: withRender(l.target) });
        });
      ruleLenses(np.ingress, (i) => podRuleLenses(mi, np, 'ingress', i));
      ruleLenses(np.egress, (i) => [...egressRuleLenses(mi, np, i), ...podRuleLenses(mi, np, 'egress', i)]);
    } else if (o.kind === 'AdminNetworkPolicy' || o.kind === 'BaselineAdminNetworkPolicy' || o.kind === 'ClusterNetworkPolicy') {
      const p = o as AdminNetworkPolicy;
      for (const direction of ['ingress', 'egress'] as const) {
        p[direction].forEach((rule, i) => {
          const loc = toFile(rule.loc ?? p.origin.loc);
          if (!loc) return;
          for (const l of adminRuleLenses(mi, p, direction, i)) lenses.push({ kind: 'trace', loc, title: `${terminalSafe(l.title)}${inRender}`, tooltip: terminalSafe(l.tooltip), argument: withRender(l.target) });
        });
      }
    } else if ('podLabels' in o) {
      // A container port of a Pod with several containers: its other containers reach it at localhost.
      const w = o as Workload;
      for (const lp of localhostPorts(w)) {
        const loc = toFile(lp.port.loc);
        if (!loc) continue;
        const l = localhostLens(w, lp);
        lenses.push({ kind: 'trace', loc, title: `${terminalSafe(l.title)}${inRender}`, tooltip: terminalSafe(l.tooltip), argument: withRender(l.target) });
      }
    } else if (o.kind === 'HTTPRoute' || o.kind === 'GRPCRoute') {
      const route = o as Route;
      attached ??= attachments(mi.model);
      for (const r of routeRuleRequests(mi.model, route, attached)) {
        const loc = toFile(route.rules[r.ruleIndex].loc ?? route.origin.loc);
        if (!loc) continue;
        const title = terminalSafe(routeRuleLensTitle(r));
        lenses.push({ kind: 'trace', loc, title: `${title}${inRender}`, tooltip: `${title} through the Gateway in the Network Inspector`, argument: withRender({ url: r.url, method: r.method, headers: r.headers }) });
      }
    }
  }
  return lenses;
}
