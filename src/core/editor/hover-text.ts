// What a hover says about the place under the cursor, for any editor: on a
// selector, the workloads it matches (with cluster data, their Pods); on a
// targetPort, the container port it resolves to in each workload; on an
// Ingress backend, the Service and what it reaches; on an HTTPRoute
// parentRef, which listeners take the route (or why not); on its backendRef,
// its share and where it goes; on a NetworkPolicy podSelector, what it
// selects; on an egress rule naming the world outside, what a trace from a
// Pod the policy selects says; on a rule naming Pods (NetworkPolicy or admin
// policy), what its Pod-to-Pod traces say; on an admin policy's subject, the
// workloads it selects and where its tier decides, on its rule what the
// action does; on a container port of a Pod with several containers, what
// its other containers reach at localhost. In a chart's template or a Kustomize file the same answers come
// for the objects a render drew from it, in the rendered release (each
// rendered field's location taken back to the line the hover is on). The
// caller supplies how a link and a status mark are written in its Markdown.
// Every value from a manifest goes through markdownCode or markdownText: a
// name must not act as Markdown, a theme icon or a control character.
import type { ModelIndex } from '../model/model-index';
import { uniqueWorkloads } from '../model/model-index';
import { formatSelector } from '../model/selectors';
import type { AdminNetworkPolicy, BackendRef, Ingress, LabelSelector, Loc, ModelObject, NetworkPolicy, Route, Service, ServicePort, Workload } from '../model/types';
import { markdownCode, markdownText } from '../text/markdown-safe';
import type { Mark } from './marks';
import { resolveTargetPort } from './ports';
import { backendRefLine, parentRefLines, podCount, serviceSummary, serviceWorkloads } from './trace-targets';
import { egressRuleHover } from '../topology/egress-rules';
import { adminRuleHover, adminSubjectHover } from '../topology/admin-rules';
import { podRuleHover } from '../topology/pod-rules';
import { localhostPortHover, localhostPorts } from '../topology/localhost-ports';

export type { Mark };

const MAX_LISTED = 10;

export interface HoverStyle {
  /** A Markdown link to a place in the index's files (undefined: none known): or the plain label, already escaped. */
  link(loc: Loc | undefined, label: string): string;
  /** A status mark before a sentence. */
  mark(m: Mark): string;
  /** The DNS domain an egress rule's traces resolve names under (`kni.trace.clusterDomain`; undefined: the default). */
  clusterDomain?: string;
}

/** Model locations as locations in the index's files (the identity for loose manifests; a render's way back for rendered ones). */
export type ToFile = (loc: Loc | undefined) => Loc | undefined;

/** Where the objects under a hover come from: a file's loose manifests, or one render's objects drawn from it. */
export interface HoverSource {
  objects: readonly ModelObject[];
  index: ModelIndex;
  at: ToFile;
  /** The render's name (its part of the hover says so). */
  render?: string;
}

/**
 * The hover at `offset` of a file: each source's answer (a render's marked
 * with its name), separated by rules; the span is the first answer's.
 */
export function hoverAt(sources: readonly HoverSource[], offset: number, style: HoverStyle): HoverText | undefined {
  const parts: string[] = [];
  let range: Loc | undefined;
  for (const source of sources) {
    // A rendered object's whole span need not map to one span of the file (a template's fields come from helpers and values): each is asked.
    const candidates = source.render === undefined ? source.objects.filter((o) => within(o.origin.loc, offset)) : source.objects;
    let found: HoverText | undefined;
    for (const o of candidates) if ((found = describeAt(o, offset, source.index, style, source.at))) break;
    if (!found) continue;
    parts.push(source.render !== undefined ? `${found.text}\n\n*in render ${markdownText(source.render)}*` : found.text);
    range ??= found.loc;
  }
  return parts.length > 0 && range ? { text: parts.join('\n\n---\n\n'), loc: range } : undefined;
}

export interface HoverText {
  text: string;
  /** The span the hover is about. */
  loc: Loc;
}

export function within(loc: Loc | undefined, offset: number): loc is Loc {
  return loc !== undefined && offset >= loc.start && offset <= loc.end;
}

/** The hover for `offset` inside object `o` (undefined: nothing to say there); `at` takes its locations to the file's. */
export function describeAt(o: ModelObject, offset: number, mi: ModelIndex, style: HoverStyle, at: ToFile = (l) => l): HoverText | undefined {
  const link = (x: ModelObject) => style.link(at((x as Workload).podLabelsLoc ?? x.origin.nameLoc ?? x.origin.loc), markdownText(`${x.kind} ${x.namespace ? `${x.namespace}/` : ''}${x.name}`));
  const mark = style.mark;
  const found = describe(o, offset, mi, mark, link, (loc): loc is Loc => loc !== undefined && within(at(loc), offset), style.clusterDomain);
  const loc = found && at(found.loc);
  return found && loc ? { text: found.text, loc } : undefined;
}

function describe(o: ModelObject, offset: number, mi: ModelIndex, mark: (m: Mark) => string, link: (x: ModelObject) => string, within: (loc: Loc | undefined) => loc is Loc, clusterDomain: string | undefined): HoverText | undefined {
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
      if (s.selector && within(s.selector.loc)) return { loc: s.selector.loc, text: selectorText(`Service selector ${markdownCode(formatSelector(s.selector))}`, serviceWorkloads(mi, s), s.namespace) };
      for (const p of s.ports) {
        if (within(p.targetPortLoc)) return { loc: p.targetPortLoc, text: targetPortText(s, p) };
      }
      return undefined;
    }
    case 'Ingress': {
      const ing = o as Ingress;
      const backends: BackendRef[] = [...ing.rules.flatMap((r) => r.paths.map((p) => p.backend)), ...(ing.defaultBackend ? [ing.defaultBackend] : [])];
      const b = backends.find((x) => within(x.loc) || within(x.serviceLoc) || within(x.portLoc));
      if (!b) return undefined;
      const loc = (within(b.serviceLoc) ? b.serviceLoc : within(b.portLoc) ? b.portLoc : b.loc) as Loc;
      return { loc, text: backendText(ing, b) };
    }
    case 'HTTPRoute':
    case 'GRPCRoute': {
      const route = o as Route;
      const ref = route.parentRefs.find((p) => within(p.loc));
      if (ref?.loc) return { loc: ref.loc, text: `**parentRef** ${markdownText(ref.kind)} ${markdownCode(`${ref.namespace}/${ref.name}`)}${ref.sectionName ? ` section ${markdownCode(ref.sectionName)}` : ''}\n\n${parentRefLines(mi.model, route, ref, mark).map((l) => `- ${l}`).join('\n')}` };
      const b = route.rules.flatMap((r) => r.backendRefs).find((x) => within(x.loc));
      const line = b?.loc ? backendRefLine(mi.model, mi, route, b, mark) : undefined;
      return b?.loc && line ? { loc: b.loc, text: `**backendRef** ${markdownText(b.kind)} ${markdownCode(`${b.namespace}/${b.resource?.name ?? b.service}`)}\n\n${line}` } : undefined;
    }
    case 'NetworkPolicy': {
      const np = o as NetworkPolicy;
      if (within(np.podSelector.loc)) {
        return { loc: np.podSelector.loc, text: selectorText(`NetworkPolicy podSelector ${markdownCode(formatSelector(np.podSelector) || '{}')} (${np.policyTypes.join(' and ')})`, uniqueWorkloads(mi.workloadsSelectedBy(np.namespace, np.podSelector)), np.namespace) };
      }
      for (const rule of [...np.ingress, ...np.egress]) {
        for (const peer of rule.peers) {
          if (peer.podSelector && !peer.namespaceSelector && within(peer.podSelector.loc)) {
            return { loc: peer.podSelector.loc, text: selectorText(`Peer podSelector ${markdownCode(formatSelector(peer.podSelector) || '{}')}`, uniqueWorkloads(mi.workloadsSelectedBy(np.namespace, peer.podSelector)), np.namespace) };
          }
        }
      }
      for (const direction of ['ingress', 'egress'] as const) {
        const i = np[direction].findIndex((r) => within(r.loc));
        if (i < 0) continue;
        // A dropped destination: the mark of a refusal (close), not of a broken manifest (error).
        const outside = direction === 'egress' ? egressRuleHover(mi, np, i, (m) => mark(m === 'error' ? 'close' : m), { clusterDomain }) : undefined;
        const podToPod = podRuleHover(mi, np, direction, i, mark, { clusterDomain });
        const parts = [outside, podToPod].filter((x): x is string => x !== undefined);
        if (parts.length > 0) return { loc: np[direction][i].loc!, text: parts.join('\n\n') };
      }
      return undefined;
    }
    case 'AdminNetworkPolicy':
    case 'BaselineAdminNetworkPolicy':
    case 'ClusterNetworkPolicy': {
      const p = o as AdminNetworkPolicy;
      if (within(p.subjectLoc)) return { loc: p.subjectLoc, text: adminSubjectHover(mi, p, link) };
      for (const direction of ['ingress', 'egress'] as const) {
        const rule = p[direction].find((r) => within(r.loc));
        if (rule?.loc) return { loc: rule.loc, text: adminRuleHover(mi, p, direction, rule, link, mark, { clusterDomain }) };
      }
      return undefined;
    }
    default: {
      const w = o as Workload;
      if (!('podLabels' in w)) return undefined;
      if (w.selector && within(w.selector.loc)) {
        const sel = w.selector as LabelSelector;
        const own = mi.matches(sel, w);
        return { loc: sel.loc as Loc, text: `**${markdownText(w.kind)} selector** ${markdownCode(formatSelector(sel))}\n\n${own ? `${mark('check')} matches its own pod template labels` : `${mark('error')} does not match its own pod template labels: the API server rejects this`}` };
      }
      // A container port of a Pod with several containers: what its other containers reach at localhost.
      const port = localhostPorts(w).find((lp) => within(lp.port.loc));
      if (port?.port.loc) return { loc: port.port.loc, text: localhostPortHover(mi, w, port, mark) };
      return undefined;
    }
  }
}
