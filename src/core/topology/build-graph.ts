// Turns the network model into the graph the inspector draws: which boxes
// exist and which links join them. The webview only lays it out and paints
// it; what is connected to what is decided here, next to the rules.
import type { FindingBadge, TopologyEdge, TopologyGraph, TopologyNode } from '../../protocol';
import type { Finding } from '../findings/types';
import { formatSelector, isEmptySelector } from '../model/selectors';
import type { ModelIndex } from '../model/model-index';
import type { ModelObject, Service, Workload } from '../model/types';

export interface GraphOptions {
  /** Findings to show as badges, attached to the objects they are about. */
  findings?: readonly Finding[];
  sourceLabel: string;
}

export function buildTopologyGraph(index: ModelIndex, options: GraphOptions): TopologyGraph {
  const badges = badgesByObject(index, options.findings ?? []);
  const nodes: TopologyNode[] = [];
  const edges: TopologyEdge[] = [];
  const workloadNodes = new Set<string>();

  const addWorkload = (w: Workload): string => {
    const id = `workload:${w.id}`;
    if (!workloadNodes.has(id)) {
      workloadNodes.add(id);
      nodes.push({
        id,
        kind: 'workload',
        label: w.name,
        detail: workloadDetail(w),
        namespace: w.namespace,
        objectId: w.id,
        count: w.replicas,
        findings: badges.get(w.id),
      });
    }
    return id;
  };

  for (const s of index.model.services) {
    const serviceNode = `service:${s.id}`;
    nodes.push({
      id: serviceNode,
      kind: 'service',
      label: s.name,
      detail: serviceDetail(s),
      namespace: s.namespace,
      objectId: s.id,
      findings: badges.get(s.id),
    });
    if (s.type === 'ExternalName' || !s.selector || isEmptySelector(s.selector)) continue;
    const matched = index.workloadsSelectedBy(s.namespace, s.selector);
    if (matched.length === 0) {
      const missing = `missing:${s.id}`;
      nodes.push({
        id: missing,
        kind: 'missing',
        label: 'no pods',
        detail: formatSelector(s.selector),
        namespace: s.namespace,
      });
      edges.push({ id: `${serviceNode}->${missing}`, from: serviceNode, to: missing, broken: true });
      continue;
    }
    for (const w of matched) {
      const target = addWorkload(w);
      edges.push({ id: `${serviceNode}->${target}`, from: serviceNode, to: target, label: portMapping(s) });
    }
  }
  for (const w of index.model.workloads) addWorkload(w);
  return { nodes, edges, sourceLabel: options.sourceLabel };
}

function serviceDetail(s: Service): string {
  const ports = s.ports.map((p) => `${p.port}/${p.protocol}`).join(', ');
  const ip = s.headless ? 'headless' : s.clusterIP ?? '';
  return [s.type, ip, ports].filter(Boolean).join(' · ');
}

function workloadDetail(w: Workload): string {
  return w.replicas !== undefined ? `${w.kind} ×${w.replicas}` : w.kind;
}

/** "80 → 8080" for one port, "80 → http, 443 → 8443" for several. */
function portMapping(s: Service): string {
  return s.ports
    .map((p) => {
      const target = p.targetPort === undefined || p.targetPort === 0 ? p.port : p.targetPort;
      return `${p.port} → ${target}`;
    })
    .join(', ');
}

function badgesByObject(index: ModelIndex, findings: readonly Finding[]): Map<string, FindingBadge> {
  const byLocation = new Map<string, ModelObject[]>();
  for (const list of [index.model.services, index.model.workloads, index.model.ingresses, index.model.networkPolicies]) {
    for (const o of list as ModelObject[]) {
      const file = o.origin.loc?.file;
      if (file) (byLocation.get(file) ?? byLocation.set(file, []).get(file)!).push(o);
    }
  }
  const badges = new Map<string, FindingBadge>();
  for (const f of findings) {
    const owner = byLocation.get(f.loc.file)?.find((o) => o.origin.loc!.start <= f.loc.start && f.loc.end <= o.origin.loc!.end);
    if (!owner) continue;
    const badge = badges.get(owner.id) ?? { errors: 0, warnings: 0, infos: 0, messages: [] };
    if (f.severity === 'error') badge.errors++;
    else if (f.severity === 'warning') badge.warnings++;
    else badge.infos++;
    badge.messages.push(f.message);
    badges.set(owner.id, badge);
  }
  return badges;
}
