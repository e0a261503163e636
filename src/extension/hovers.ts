// Hovers that answer "what does this reach?": on a selector, the workloads it
// matches (with cluster data, their Pods); on a targetPort, the container port
// it resolves to in each workload; on an Ingress backend, the Service and what
// it reaches; on an HTTPRoute parentRef, which listeners take the route (or
// why not); on its backendRef, its share and where it goes; on a
// NetworkPolicy podSelector, what it selects. Links open the other end. Every
// value from a manifest goes through markdownCode or markdownText: a name
// must not act as Markdown, a theme icon or a control character in the hover.
// In a chart's template or a Kustomize file the same hovers answer for the
// objects a render drew from it, in the rendered release (each rendered
// field's location taken back to the line the hover is on).
import * as vscode from 'vscode';
import type { ModelIndex } from '../core/model/model-index';
import { uniqueWorkloads } from '../core/model/model-index';
import { formatSelector } from '../core/model/selectors';
import type { BackendRef, Ingress, LabelSelector, Loc, ModelObject, NetworkPolicy, Route, Service, ServicePort, Workload } from '../core/model/types';
import { markdownCode, markdownText } from '../core/text/markdown-safe';
import { resolveTargetPort } from '../core/editor/ports';
import { backendRefLine, parentRefLines, podCount, serviceSummary, serviceWorkloads } from '../core/editor/trace-targets';
import type { WorkspaceIndex } from './workspace-index';

const MAX_LISTED = 10;

function within(loc: Loc | undefined, offset: number): loc is Loc {
  return loc !== undefined && offset >= loc.start && offset <= loc.end;
}

/** Model locations as locations in the index's files (the identity for loose manifests; a render's way back for rendered ones). */
type ToFile = (loc: Loc | undefined) => Loc | undefined;

export class Hovers implements vscode.HoverProvider {
  /** The source of the hover being built: how its objects' locations map to files. */
  private at: ToFile = (l) => l;

  constructor(private readonly index: WorkspaceIndex) {}

  provideHover(doc: vscode.TextDocument, position: vscode.Position): vscode.Hover | undefined {
    if (!this.index.isCurrent(doc)) return undefined;
    const offset = doc.offsetAt(position);
    const sources: { objects: readonly ModelObject[]; mi: ModelIndex; at: ToFile; render?: string }[] = [{ objects: this.index.objectsIn(doc.uri), mi: this.index.modelIndex(), at: (l) => l }];
    for (const v of this.index.renderViewsOf(doc.uri)) sources.push({ objects: v.objects, mi: v.index, at: (l) => v.toSource(l), render: v.render.entry.spec.name });
    const parts: string[] = [];
    let range: Loc | undefined;
    for (const source of sources) {
      this.at = source.at;
      try {
        // A rendered object's whole span need not map to one span of the file (a template's fields come from helpers and values): each is asked.
        const candidates = source.render === undefined ? source.objects.filter((o) => within(o.origin.loc, offset)) : source.objects;
        let found: { text: string; loc: Loc } | undefined;
        for (const o of candidates) if ((found = this.describe(o, offset, source.mi))) break;
        if (!found) continue;
        parts.push(source.render !== undefined ? `${found.text}\n\n*in render ${markdownText(source.render)}*` : found.text);
        range ??= found.loc;
      } finally {
        this.at = (l) => l;
      }
    }
    if (parts.length === 0 || !range) return undefined;
    const md = new vscode.MarkdownString(parts.join('\n\n---\n\n'));
    md.supportThemeIcons = true;
    return new vscode.Hover(md, this.index.rangeOf(range));
  }

  private describe(o: ModelObject, offset: number, mi: ModelIndex): { text: string; loc: Loc } | undefined {
    const found = this.describeAt(o, offset, mi);
    const loc = found && this.at(found.loc);
    return found && loc ? { text: found.text, loc } : undefined;
  }

  private within(loc: Loc | undefined, offset: number): loc is Loc {
    return within(this.at(loc), offset);
  }

  private describeAt(o: ModelObject, offset: number, mi: ModelIndex): { text: string; loc: Loc } | undefined {
    switch (o.kind) {
      case 'Service': {
        const s = o as Service;
        if (s.selector && this.within(s.selector.loc, offset)) return { loc: s.selector.loc, text: this.selectorText(`Service selector ${markdownCode(formatSelector(s.selector))}`, serviceWorkloads(mi, s), s.namespace) };
        for (const p of s.ports) {
          if (this.within(p.targetPortLoc, offset)) return { loc: p.targetPortLoc, text: this.targetPortText(s, p, mi) };
        }
        return undefined;
      }
      case 'Ingress': {
        const ing = o as Ingress;
        const backends: BackendRef[] = [...ing.rules.flatMap((r) => r.paths.map((p) => p.backend)), ...(ing.defaultBackend ? [ing.defaultBackend] : [])];
        const b = backends.find((x) => this.within(x.loc, offset) || this.within(x.serviceLoc, offset) || this.within(x.portLoc, offset));
        if (!b) return undefined;
        const loc = (this.within(b.serviceLoc, offset) ? b.serviceLoc : this.within(b.portLoc, offset) ? b.portLoc : b.loc) as Loc;
        return { loc, text: this.backendText(ing, b, mi) };
      }
      case 'HTTPRoute':
      case 'GRPCRoute': {
        const route = o as Route;
        const ref = route.parentRefs.find((p) => within(p.loc, offset));
        if (ref?.loc) return { loc: ref.loc, text: `**parentRef** ${markdownText(ref.kind)} ${markdownCode(`${ref.namespace}/${ref.name}`)}${ref.sectionName ? ` section ${markdownCode(ref.sectionName)}` : ''}\n\n${parentRefLines(mi.model, route, ref).map((l) => `- ${l}`).join('\n')}` };
        const b = route.rules.flatMap((r) => r.backendRefs).find((x) => within(x.loc, offset));
        const line = b?.loc ? backendRefLine(mi.model, mi, route, b) : undefined;
        return b?.loc && line ? { loc: b.loc, text: `**backendRef** ${markdownText(b.kind)} ${markdownCode(`${b.namespace}/${b.resource?.name ?? b.service}`)}\n\n${line}` } : undefined;
      }
      case 'NetworkPolicy': {
        const np = o as NetworkPolicy;
        if (this.within(np.podSelector.loc, offset)) {
          return { loc: np.podSelector.loc, text: this.selectorText(`NetworkPolicy podSelector ${markdownCode(formatSelector(np.podSelector) || '{}')} (${np.policyTypes.join(' and ')})`, uniqueWorkloads(mi.workloadsSelectedBy(np.namespace, np.podSelector)), np.namespace) };
        }
        for (const rule of [...np.ingress, ...np.egress]) {
          for (const peer of rule.peers) {
            if (peer.podSelector && !peer.namespaceSelector && this.within(peer.podSelector.loc, offset)) {
              return { loc: peer.podSelector.loc, text: this.selectorText(`Peer podSelector ${markdownCode(formatSelector(peer.podSelector) || '{}')}`, uniqueWorkloads(mi.workloadsSelectedBy(np.namespace, peer.podSelector)), np.namespace) };
            }
          }
        }
        return undefined;
      }
      default: {
        const w = o as Workload;
        if ('podLabels' in w && w.selector && this.within(w.selector.loc, offset)) {
          const sel = w.selector as LabelSelector;
          const own = mi.matches(sel, w);
          return { loc: sel.loc as Loc, text: `**${markdownText(w.kind)} selector** ${markdownCode(formatSelector(sel))}\n\n${own ? '$(check) matches its own pod template labels' : '$(error) does not match its own pod template labels: the API server rejects this'}` };
        }
        return undefined;
      }
    }
  }

  private link(o: ModelObject): string {
    const label = markdownText(`${o.kind} ${o.namespace ? `${o.namespace}/` : ''}${o.name}`);
    const loc = this.at((o as Workload).podLabelsLoc ?? o.origin.nameLoc ?? o.origin.loc);
    const uri = loc && this.index.uriOf(loc.file);
    if (!uri || !loc) return label;
    const p = this.index.positionAt(loc.file, loc.start);
    return `[${label}](${uri.with({ fragment: `L${p.line + 1}` }).toString()})`;
  }

  private selectorText(title: string, workloads: Workload[], namespace: string): string {
    if (workloads.length === 0) return `**${title}**\n\n$(warning) matches no workload in namespace ${markdownCode(namespace)}`;
    const lines = workloads.slice(0, MAX_LISTED).map((w) => {
      const n = podCount(w);
      const pods = w.pods.length > 0 ? `: ${w.pods.map((p) => `${markdownCode(p.name)}${p.ip ? ` (${markdownText(p.ip)})` : ''}`).join(', ')}` : n === undefined ? '' : ` · ${n} pod${n === 1 ? '' : 's'}`;
      return `- ${this.link(w)}${pods}`;
    });
    if (workloads.length > MAX_LISTED) lines.push(`- … and ${workloads.length - MAX_LISTED} more`);
    return `**${title}** matches ${workloads.length} workload${workloads.length === 1 ? '' : 's'} in ${markdownCode(namespace)}:\n\n${lines.join('\n')}`;
  }

  private targetPortText(s: Service, p: ServicePort, mi: ModelIndex): string {
    const written = p.targetPort ?? p.port;
    const head = `**targetPort ${markdownCode(String(written))}** of port ${p.port}/${p.protocol}`;
    const workloads = serviceWorkloads(mi, s);
    if (workloads.length === 0) return `${head}\n\n$(warning) the Service selects no workload, so it resolves nowhere`;
    const lines = workloads.slice(0, MAX_LISTED).map((w) => {
      const r = resolveTargetPort(w, p);
      return `- ${this.link(w)}: ${r ? `container ${markdownCode(r.container)} port **${r.port.containerPort}**/${r.port.protocol}${r.port.name ? ` (${markdownCode(r.port.name)})` : ''}` : typeof written === 'string' ? '$(error) no container declares this port name' : '$(warning) no container declares this port number'}`;
    });
    return `${head} resolves to:\n\n${lines.join('\n')}`;
  }

  private backendText(ing: Ingress, b: BackendRef, mi: ModelIndex): string {
    if (b.resource) return `**Backend** resource ${markdownText(`${b.resource.kind} ${b.resource.name}`)}`;
    const services = mi.servicesNamed(ing.namespace, b.service);
    if (services.length === 0) return `**Backend** Service ${markdownCode(`${ing.namespace}/${b.service}`)}\n\n$(error) no such Service in the workspace`;
    const s = services[0];
    const port = s.ports.find((p) => (typeof b.port === 'number' ? p.port === b.port : p.name === b.port));
    const portText = b.port === undefined ? '' : port ? ` port ${port.port}${port.name ? ` (${markdownCode(port.name)})` : ''} → targetPort ${markdownText(String(port.targetPort ?? port.port))}` : ` $(error) has no port ${markdownCode(String(b.port))}`;
    return `**Backend** ${this.link(s)}${portText}\n\nreaches ${markdownText(serviceSummary(mi, s))}${serviceWorkloads(mi, s).length > 0 ? ':' : ''}\n\n${serviceWorkloads(mi, s)
      .slice(0, MAX_LISTED)
      .map((w) => `- ${this.link(w)}`)
      .join('\n')}`;
  }
}
