// What a hover says about the place under the cursor, without `vscode`: on a
// selector, the workloads it matches (with cluster data, their Pods); on a
// targetPort, the container port it resolves to in each workload; on an
// Ingress backend, the Service and what it reaches; on a NetworkPolicy
// podSelector, what it selects. The same answers as the VS Code extension's
// hovers (which should come to call this too); the caller supplies how a link
// to an object and a status mark are written in its Markdown. Every value from
// a manifest goes through markdownCode or markdownText.
import type { ModelIndex } from '../model/model-index';
import { uniqueWorkloads } from '../model/model-index';
import { formatSelector } from '../model/selectors';
import type { BackendRef, Ingress, LabelSelector, Loc, ModelObject, NetworkPolicy, Service, ServicePort, Workload } from '../model/types';
import { markdownCode, markdownText } from '../text/markdown-safe';
import { resolveTargetPort } from './ports';
import { podCount, serviceSummary, serviceWorkloads } from './trace-targets';

const MAX_LISTED = 10;

export type Mark = 'check' | 'warning' | 'error';

export interface HoverStyle {
  /** A Markdown link to where the object is written (or its plain, escaped label). */
  link(o: ModelObject, label: string): string;
  /** A status mark before a sentence. */
  mark(m: Mark): string;
}

export interface HoverText {
  text: string;
  /** The span the hover is about. */
  loc: Loc;
}

export function within(loc: Loc | undefined, offset: number): loc is Loc {
  return loc !== undefined && offset >= loc.start && offset <= loc.end;
}

/** The object of `objects` written around `offset`. */
export function objectAt(objects: readonly ModelObject[], offset: number): ModelObject | undefined {
  return objects.find((o) => within(o.origin.loc, offset));
}

/** The hover for `offset` inside object `o` (undefined: nothing to say there). */
export function describeAt(o: ModelObject, offset: number, mi: ModelIndex, style: HoverStyle): HoverText | undefined {
  const link = (x: ModelObject) => style.link(x, markdownText(`${x.kind} ${x.namespace ? `${x.namespace}/` : ''}${x.name}`));
  const mark = style.mark;

  const selectorText = (title: string, workloads: Workload[], namespace: string): string => {
    if (workloads.length === 0) return `**${title}**\n\n${mark('warning')} matches no workload in namespace ${markdownCode(namespace)}`;
    const lines = workloads.slice(0, MAX_LISTED).map((w) => {
      const n = podCount(w);
      const pods = w.pods.length > 0 ? `: ${w.pods.map((p) => `${markdownCode(p.name)}${p.ip ? ` (${markdownText(p.ip)})` : ''}`).join(', ')}` : n === undefined ? '' : ` · ${n} pod${n === 1 ? '' : 's'}`;
      return `- ${link(w)}${pods}`;
    });
    if (workloads.length > MAX_LISTED) lines.push(`- … and ${workloads.length - MAX_LISTED} more`);
    return `**${title}** matches ${workloads.length} workload${workloads.length === 1 ? '' : 's'} in ${markdownCode(namespace)}:\n\n${lines.join('\n')}`;
  };

  const targetPortText = (s: Service, p: ServicePort): string => {
    const written = p.targetPort ?? p.port;
    const head = `**targetPort ${markdownCode(String(written))}** of port ${p.port}/${p.protocol}`;
    const workloads = serviceWorkloads(mi, s);
    if (workloads.length === 0) return `${head}\n\n${mark('warning')} the Service selects no workload, so it resolves nowhere`;
    const lines = workloads.slice(0, MAX_LISTED).map((w) => {
      const r = resolveTargetPort(w, p);
      return `- ${link(w)}: ${r ? `container ${markdownCode(r.container)} port **${r.port.containerPort}**/${r.port.protocol}${r.port.name ? ` (${markdownCode(r.port.name)})` : ''}` : typeof written === 'string' ? `${mark('error')} no container declares this port name` : `${mark('warning')} no container declares this port number`}`;
    });
    return `${head} resolves to:\n\n${lines.join('\n')}`;
  };

  const backendText = (ing: Ingress, b: BackendRef): string => {
    if (b.resource) return `**Backend** resource ${markdownText(`${b.resource.kind} ${b.resource.name}`)}`;
    const services = mi.servicesNamed(ing.namespace, b.service);
    if (services.length === 0) return `**Backend** Service ${markdownCode(`${ing.namespace}/${b.service}`)}\n\n${mark('error')} no such Service in the workspace`;
    const s = services[0];
    const port = s.ports.find((p) => (typeof b.port === 'number' ? p.port === b.port : p.name === b.port));
    const portText = b.port === undefined ? '' : port ? ` port ${port.port}${port.name ? ` (${markdownCode(port.name)})` : ''} → targetPort ${markdownText(String(port.targetPort ?? port.port))}` : ` ${mark('error')} has no port ${markdownCode(String(b.port))}`;
    const reached = serviceWorkloads(mi, s);
    return `**Backend** ${link(s)}${portText}\n\nreaches ${markdownText(serviceSummary(mi, s))}${reached.length > 0 ? ':' : ''}\n\n${reached
      .slice(0, MAX_LISTED)
      .map((w) => `- ${link(w)}`)
      .join('\n')}`;
  };

  switch (o.kind) {
    case 'Service': {
      const s = o as Service;
      if (s.selector && within(s.selector.loc, offset)) return { loc: s.selector.loc, text: selectorText(`Service selector ${markdownCode(formatSelector(s.selector))}`, serviceWorkloads(mi, s), s.namespace) };
      for (const p of s.ports) {
        if (within(p.targetPortLoc, offset)) return { loc: p.targetPortLoc, text: targetPortText(s, p) };
      }
      return undefined;
    }
    case 'Ingress': {
      const ing = o as Ingress;
      const backends: BackendRef[] = [...ing.rules.flatMap((r) => r.paths.map((p) => p.backend)), ...(ing.defaultBackend ? [ing.defaultBackend] : [])];
      const b = backends.find((x) => within(x.loc, offset) || within(x.serviceLoc, offset) || within(x.portLoc, offset));
      if (!b) return undefined;
      const loc = (within(b.serviceLoc, offset) ? b.serviceLoc : within(b.portLoc, offset) ? b.portLoc : b.loc) as Loc;
      return { loc, text: backendText(ing, b) };
    }
    case 'NetworkPolicy': {
      const np = o as NetworkPolicy;
      if (within(np.podSelector.loc, offset)) {
        return { loc: np.podSelector.loc, text: selectorText(`NetworkPolicy podSelector ${markdownCode(formatSelector(np.podSelector) || '{}')} (${np.policyTypes.join(' and ')})`, uniqueWorkloads(mi.workloadsSelectedBy(np.namespace, np.podSelector)), np.namespace) };
      }
      for (const rule of [...np.ingress, ...np.egress]) {
        for (const peer of rule.peers) {
          if (peer.podSelector && !peer.namespaceSelector && within(peer.podSelector.loc, offset)) {
            return { loc: peer.podSelector.loc, text: selectorText(`Peer podSelector ${markdownCode(formatSelector(peer.podSelector) || '{}')}`, uniqueWorkloads(mi.workloadsSelectedBy(np.namespace, peer.podSelector)), np.namespace) };
          }
        }
      }
      return undefined;
    }
    default: {
      const w = o as Workload;
      if ('podLabels' in w && w.selector && within(w.selector.loc, offset)) {
        const sel = w.selector as LabelSelector;
        const own = mi.matches(sel, w);
        return { loc: sel.loc as Loc, text: `**${markdownText(w.kind)} selector** ${markdownCode(formatSelector(sel))}\n\n${own ? `${mark('check')} matches its own pod template labels` : `${mark('error')} does not match its own pod template labels: the API server rejects this`}` };
      }
      return undefined;
    }
  }
}
