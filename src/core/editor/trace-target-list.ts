// What "Trace request" without a target offers to pick: every Service port
// (of the loose manifests, and of each render's release), every Ingress URL,
// every Gateway API route rule and every egress rule that names the world
// outside, each with what it is and where it is written. The language server
// answers kni/traceTargets with it; a client only shows the list.
import type { ModelIndex } from '../model/model-index';
import type { NetworkModel, Service } from '../model/types';
import { egressRuleLenses } from '../topology/egress-rules';
import type { TraceTargetItem } from '../../protocol/lsp';
import { attachments, ingressUrls, routeRuleLensTitle, routeRuleRequests, serviceSummary } from './trace-targets';

/** One render's release: its id (TraceRequestArgument's `render`), name, model and index. */
export interface RenderedRelease {
  id: string;
  name: string;
  model: NetworkModel;
  index: ModelIndex;
}

function servicePorts(s: Service) {
  return s.ports.length > 0 ? s.ports : [undefined];
}

/**
 * The targets, in the order a picker lists them: Services, the renders'
 * Services, Ingress URLs, route rules, egress rules. `where` names a file
 * key for the reader (a workspace-relative path).
 */
export function traceTargetList(model: NetworkModel, index: ModelIndex, renders: readonly RenderedRelease[], where: (file: string | undefined) => string | undefined): TraceTargetItem[] {
  const items: TraceTargetItem[] = [];
  const detail = (file: string | undefined) => {
    const at = where(file);
    return at !== undefined ? { detail: at } : {};
  };
  for (const s of model.services) {
    for (const p of servicePorts(s)) {
      items.push({
        kind: 'service',
        label: `${s.namespace}/${s.name}${p ? `:${p.port}` : ''}`,
        description: p?.name ? `${p.name} · ${serviceSummary(index, s)}` : serviceSummary(index, s),
        ...detail(s.origin.file),
        target: p ? { serviceId: s.id, port: p.port } : { serviceId: s.id },
      });
    }
  }
  for (const r of renders) {
    for (const s of r.model.services) {
      for (const p of servicePorts(s)) {
        items.push({
          kind: 'render-service',
          label: `${s.namespace}/${s.name}${p ? `:${p.port}` : ''}`,
          description: `${p?.name ? `${p.name} · ` : ''}${serviceSummary(r.index, s)}`,
          detail: `render ${r.name}`,
          target: { ...(p ? { serviceId: s.id, port: p.port } : { serviceId: s.id }), render: r.id },
        });
      }
    }
  }
  for (const ing of model.ingresses) {
    for (const u of ingressUrls(ing)) items.push({ kind: 'ingress', label: u.url, description: `Ingress ${ing.namespace}/${ing.name}`, ...detail(ing.origin.file), target: { url: u.url } });
  }
  const attached = model.routes.length > 0 ? attachments(model) : [];
  for (const route of model.routes) {
    for (const r of routeRuleRequests(model, route, attached)) {
      const target = { url: r.url, ...(r.method !== undefined ? { method: r.method } : {}), ...(r.headers !== undefined ? { headers: r.headers } : {}) };
      items.push({ kind: 'route-rule', label: routeRuleLensTitle(r), description: `${route.kind} ${route.namespace}/${route.name} rule ${r.ruleIndex}`, ...detail(route.origin.file), target });
    }
  }
  for (const np of model.networkPolicies) {
    np.egress.forEach((_, i) => {
      for (const l of egressRuleLenses(index, np, i)) items.push({ kind: 'egress-rule', label: l.title, description: `NetworkPolicy ${np.namespace}/${np.name} egress rule ${i}`, ...detail(np.origin.file), target: l.target });
    });
  }
  return items;
}
