// Turns the network model into the graph the inspector draws: which boxes
// exist and which links join them. The webview only lays it out and paints
// it; what is connected to what is decided here, next to the rules.
//
// Columns, left to right in the order a request travels:
//   entry (Internet, LoadBalancer, NodePort, Ingress controller)
//   ingress (one node per Ingress rule path / Route rule)
//   service
//   endpoints (a cluster's EndpointSlices; with manifests, the selector's match)
//   workload / pod (a workload is the group of its Pods, with a count)
//   external (the world outside: any address, and the ranges egress ipBlocks
//     name; linked from the workloads isolated for egress that may reach them)
//   node (the Kubernetes Node a Pod runs on)
// A link that does not resolve is drawn, not dropped: it ends in a 'missing' node.
import { objectCount } from '../model/object-count';
import type { FindingBadge, TopologyEdge, TopologyGraph, TopologyNode } from '../../protocol';
import type { Finding } from '../findings/types';
import { formatSelector, isEmptySelector } from '../model/selectors';
import { containerPortNamed, effectiveTargetPort } from '../model/service-ports';
import type { ModelIndex } from '../model/model-index';
import { gatewaysNamed, judgeRoute } from '../trace/gateway/attach';
import { GATEWAY_GROUP } from '../model/types';
import { runInSlices, runToEnd, type SliceOptions } from '../../view-model/slices';
import { egressView, outsideNodeId, portsText, reaches } from './egress';
import { EXTERNAL } from '../policy/connectivity';
import type { BackendRef, EndpointSlice, Ingress, Loc, ModelObject, Pod, Route, Service, ServicePort, Workload } from '../model/types';

export interface GraphOptions {
  /** Findings to show as badges, attached to the objects they are about. */
  findings?: readonly Finding[];
  sourceLabel: string;
}

export const INTERNET_ID = 'entry:internet';

interface PodRef {
  w: Workload;
  p: Pod;
}
const NODEPORT_ID = 'entry:nodeport';
/** Above this many workload → outside links, none is drawn (the nodes count them): each would say "may reach the world outside". */
const MAX_OUTSIDE_LINKS = 400;
/** Ranges of every address of a family: the "any address outside" node stands for them. */
const EVERY_ADDRESS = new Set(['0.0.0.0/0', '::/0']);

export function buildTopologyGraph(index: ModelIndex, options: GraphOptions): TopologyGraph {
  return runToEnd(new GraphBuilder(index, options.findings ?? []).steps(options.sourceLabel));
}

/**
 * The same graph as buildTopologyGraph, built in slices with pauses between
 * them (see slices.ts): a 20,000-Pod cluster takes 0.25-1.2 s to build on a
 * busy machine, too long to block the extension host.
 */
export function buildTopologyGraphInSlices(index: ModelIndex, options: GraphOptions, slices: SliceOptions = {}): Promise<TopologyGraph | undefined> {
  return runInSlices(new GraphBuilder(index, options.findings ?? []).steps(options.sourceLabel), slices);
}

/**
 * Each object's finding badge (by model id), attributed as the inspector's
 * badges are. `pods: false` leaves a cluster's Pods out (no badge of theirs;
 * the others' are the same: a Pod is written in no file, and a finding names
 * its object's kind), so 20,000 of them are not listed.
 */
export function findingBadges(index: ModelIndex, findings: readonly Finding[], { pods = true }: { pods?: boolean } = {}): Map<string, FindingBadge> {
  return runToEnd(badgesByObject(index, findings, pods));
}

/** How many objects a step of the findings' attribution handles: a clock check per object would cost more than the work. */
const OBJECTS_PER_STEP = 256;

class GraphBuilder {
  private readonly nodes: TopologyNode[] = [];
  private readonly edges: TopologyEdge[] = [];
  private readonly nodeIds = new Set<string>();
  private readonly edgeIds = new Set<string>();
  private badges = new Map<string, FindingBadge>();
  /** Findings inside one Ingress path (keyed by the path node id) rather than on the whole object. */
  private readonly pathBadges = new Map<string, FindingBadge>();
  /** Kubernetes Node name -> graph node id. */
  private readonly nodeByName = new Map<string, string>();
  private readonly workloadPolicies = new Map<Workload, { names: string[] | undefined; findings: FindingBadge | undefined }>();
  private readonly podLookup = new Map<string, { byName: Map<string, PodRef>; byIp: Map<string, PodRef> }>();

  constructor(
    private readonly index: ModelIndex,
    private readonly findings: readonly Finding[],
  ) {}

  /** Builds the graph one object per step (a Service with its endpoints, a workload with its Pods), so a caller can pause between steps. */
  *steps(sourceLabel: string): Generator<void, TopologyGraph> {
    this.badges = yield* badgesByObject(this.index, this.findings);
    const m = this.index.model;
    for (const n of m.nodes) {
      const id = `node:${n.id}`;
      this.nodeByName.set(n.name, id);
      const ip = n.addresses.find((a) => a.type === 'InternalIP')?.address;
      this.addNode({ id, kind: 'node', label: n.name, detail: [ip, n.ready ? 'Ready' : 'NotReady'].filter(Boolean).join(' · '), objectId: n.id, findings: this.badges.get(n.id) });
      yield;
    }
    for (const ing of m.ingresses) {
      this.addIngress(ing);
      yield;
    }
    for (const g of m.gateways) {
      this.gatewayNode(g.namespace, g.name);
      yield;
    }
    for (const r of m.routes) {
      this.addRoute(r);
      yield;
    }
    for (const s of m.services) {
      this.addService(s);
      yield;
    }
    for (const w of m.workloads) {
      this.addWorkload(w);
      yield;
    }
    yield* this.addOutside();
    return { nodes: this.nodes, edges: this.edges, sourceLabel, objects: objectCount(this.index.model) };
  }

  // ------------------------------------------------------------ entries

  private internet(): string {
    this.addNode({ id: INTERNET_ID, kind: 'entry', entry: 'internet', label: 'Internet', detail: 'clients outside the cluster' });
    return INTERNET_ID;
  }

  private ingressController(className: string | undefined): string {
    const cls = className ?? this.index.ingressClasses.find((c) => c.isDefault)?.name;
    const id = `entry:ingress-controller:${cls ?? ''}`;
    const controller = cls ? this.index.ingressClasses.find((c) => c.name === cls)?.controller : undefined;
    if (!this.nodeIds.has(id)) {
      this.addNode({
        id,
        kind: 'entry',
        entry: 'ingress-controller',
        label: cls ? `Ingress controller (${cls})` : 'Ingress controller (default class)',
        detail: controller,
      });
      this.addEdge(this.internet(), id, 'HTTP(S)');
    }
    return id;
  }

  // ------------------------------------------------------------ ingress and routes

  private addIngress(ing: Ingress): void {
    const controller = this.ingressController(ing.className);
    const tlsHosts = new Set(ing.tls.flatMap((t) => t.hosts));
    let first = true;
    const pathNode = (suffix: string, label: string, detail: string, loc: Loc | undefined, backend: BackendRef) => {
      const id = `ingress:${ing.id}/${suffix}`;
      const own = loc ? this.findingsWithin(loc) : undefined;
      const findings = mergeBadges(own, first ? this.ingressLevelFindings(ing) : undefined);
      first = false;
      this.addNode({ id, kind: 'ingress', label, detail, namespace: ing.namespace, objectId: ing.id, findings });
      this.addEdge(controller, id);
      this.addBackend(id, ing.namespace, backend);
    };
    ing.rules.forEach((rule, r) => {
      const host = rule.host ?? '*';
      const scheme = rule.host && tlsHosts.has(rule.host) ? 'https' : 'http';
      rule.paths.forEach((p, i) => {
        pathNode(`${r}/${i}`, `${host}${p.path || '/'}`, `Ingress ${ing.name} · ${p.pathType} · ${scheme}`, p.loc, p.backend);
      });
    });
    if (ing.defaultBackend) pathNode('default', '* (default backend)', `Ingress ${ing.name}`, ing.defaultBackend.loc, ing.defaultBackend);
  }

  /** A Gateway's entry node (one for a parentRef to a Gateway outside the set too, said so). */
  private gatewayNode(namespace: string, name: string): string {
    const id = `entry:gateway:${namespace}/${name}`;
    if (this.nodeIds.has(id)) return id;
    const gw = gatewaysNamed(this.index.model, namespace, name);
    const listeners = gw ? gw.listeners.map((l) => `${l.protocol} ${l.port}${l.hostname ? ` ${l.hostname}` : ''}`).join(' · ') : 'not in the set';
    this.addNode({ id, kind: 'entry', entry: 'ingress-controller', label: `Gateway ${name}`, detail: listeners, namespace, objectId: gw?.id, findings: gw ? this.badges.get(gw.id) : undefined });
    this.addEdge(this.internet(), id, gw ? [...new Set(gw.listeners.map((l) => String(l.port)))].join(', ') : 'HTTP(S)');
    return id;
  }

  private addRoute(route: Route): void {
    // Each parentRef's Gateway links to every rule; a parentRef no listener takes is a broken link.
    const parents = judgeRoute(this.index.model, route).flatMap((pv) => {
      if ((pv.parentRef.group ?? GATEWAY_GROUP) !== GATEWAY_GROUP || pv.parentRef.kind !== 'Gateway') return [];
      const refused = pv.gateway !== undefined && pv.listeners.length > 0 && pv.listeners.every((l) => l.rejected !== undefined && l.rejected !== 'unknown');
      return [{ id: this.gatewayNode(pv.parentRef.namespace, pv.parentRef.name), label: pv.parentRef.sectionName, refused }];
    });
    const hosts = route.hostnames.length > 0 ? route.hostnames.join(', ') : '*';
    route.rules.forEach((rule, r) => {
      const id = `route:${route.id}/${r}`;
      const path = rule.matches.map((x) => x.path).filter(Boolean).join(', ') || '/';
      const filters = (rule.filters ?? []).map((f) => f.type).join(', ');
      this.addNode({
        id,
        kind: 'ingress',
        label: `${hosts}${path.startsWith('/') ? '' : ' '}${path}`,
        detail: `${route.kind} ${route.name} · rule ${r}${filters ? ` · ${filters}` : ''}`,
        namespace: route.namespace,
        objectId: route.id,
        findings: r === 0 ? this.badges.get(route.id) : undefined,
      });
      for (const p of parents) this.addEdge(p.id, id, p.refused ? 'not accepted' : p.label, p.refused);
      for (const b of rule.backendRefs) {
        if (b.kind !== 'Service') continue;
        this.addBackend(id, b.namespace || route.namespace, b, b.weight !== 1 ? `weight ${b.weight}` : undefined);
      }
    });
  }

  /** An edge from an Ingress path / Route rule to the Service it names, or a broken one. */
  private addBackend(from: string, namespace: string, backend: BackendRef, extra?: string): void {
    if (backend.resource) {
      const id = `missing:resource:${from}`;
      this.addNode({ id, kind: 'missing', label: `${backend.resource.kind} ${backend.resource.name}`, detail: 'not a Service backend', namespace });
      this.addEdge(from, id);
      return;
    }
    const services = this.index.servicesNamed(namespace, backend.service);
    const port = backend.port === undefined ? '(no port)' : String(backend.port);
    if (services.length === 0) {
      const id = `missing:service:${namespace}/${backend.service}`;
      this.addNode({ id, kind: 'missing', label: `no service ${backend.service}`, detail: `nothing named ${backend.service} in ${namespace}`, namespace });
      this.addEdge(from, id, port, true);
      return;
    }
    for (const s of services) {
      const sp = backend.port === undefined ? undefined : findServicePort(s, backend.port);
      const label = sp ? `${port}${extra ? ` · ${extra}` : ''}` : `${port} → no such port`;
      this.addEdge(from, `service:${s.id}`, label, sp === undefined);
    }
  }

  // ------------------------------------------------------------ services and endpoints

  private addService(s: Service): void {
    const id = `service:${s.id}`;
    this.addNode({ id, kind: 'service', label: s.name, detail: serviceDetail(s), namespace: s.namespace, objectId: s.id, findings: this.badges.get(s.id) });
    if (s.type === 'LoadBalancer') {
      const lb = `entry:lb:${s.id}`;
      this.addNode({ id: lb, kind: 'entry', entry: 'loadbalancer', label: `LoadBalancer ${s.name}`, detail: s.loadBalancerIPs.join(', ') || 'address pending', namespace: s.namespace, objectId: s.id });
      this.addEdge(this.internet(), lb);
      this.addEdge(lb, id, s.ports.map((p) => String(p.port)).join(', '));
    }
    if ((s.type === 'NodePort' || s.type === 'LoadBalancer') && s.ports.some((p) => p.nodePort !== undefined || s.type === 'NodePort')) {
      this.addNode({ id: NODEPORT_ID, kind: 'entry', entry: 'nodeport', label: 'NodePort', detail: 'any node address' });
      this.addEdge(this.internet(), NODEPORT_ID);
      const label = s.ports.map((p) => `${p.nodePort ?? 'auto'} → ${p.port}`).join(', ');
      this.addEdge(NODEPORT_ID, id, label);
    }
    if (s.type === 'ExternalName') return;

    const slices = this.index.endpointSlicesFor(s);
    const hasSelector = s.selector !== undefined && !isEmptySelector(s.selector);
    if (slices.length > 0) {
      this.addSliceEndpoints(s, slices);
      return;
    }
    if (!hasSelector) return;
    const selector = s.selector!;
    const matched = this.index.workloadsSelectedBy(s.namespace, selector);
    const ep = `endpoints:${s.id}`;
    const pods = matched.reduce((n, w) => n + (w.pods.length > 0 ? w.pods.length : w.replicas ?? 1), 0);
    this.addNode({
      id: ep,
      kind: 'endpoints',
      label: formatSelector(selector),
      detail: matched.length === 0 ? 'selector matches no pods' : `selects ${matched.length} workload${matched.length === 1 ? '' : 's'} (${pods} pod${pods === 1 ? '' : 's'})`,
      namespace: s.namespace,
      objectId: s.id,
    });
    this.addEdge(id, ep, portMapping(s, matched));
    if (matched.length === 0) {
      const missing = `missing:${s.id}`;
      this.addNode({ id: missing, kind: 'missing', label: 'no pods', detail: `nothing matches ${formatSelector(selector)}`, namespace: s.namespace });
      this.addEdge(ep, missing, undefined, true);
      return;
    }
    for (const w of matched) {
      const target = this.addWorkload(w);
      if (w.pods.length === 0) this.addEdge(ep, target, targetPorts(s, w));
      else for (const p of w.pods) this.addEdge(ep, this.addPod(w, p), targetPorts(s, w));
    }
  }

  /** A cluster's endpoints: one node for the Service's slices, linked to the Pods they list. */
  private addSliceEndpoints(s: Service, slices: EndpointSlice[]): void {
    const ep = `endpoints:${s.id}`;
    const all = slices.flatMap((sl) => sl.endpoints);
    const ready = all.filter((e) => e.ready).length;
    this.addNode({
      id: ep,
      kind: 'endpoints',
      label: `${all.length} endpoint${all.length === 1 ? '' : 's'}`,
      detail: `${ready} ready · ${slices.length} ${slices[0].kind}${slices.length === 1 ? '' : 's'}`,
      namespace: s.namespace,
      objectId: slices[0].id,
      findings: mergeBadges(...slices.map((sl) => this.badges.get(sl.id))),
    });
    this.addEdge(`service:${s.id}`, ep, portMapping(s));
    const { byName: podsByName, byIp: podsByIp } = this.podsIn(s.namespace);
    let linked = 0;
    for (const e of all) {
      const hit = (e.targetRef?.kind === 'Pod' ? podsByName.get(e.targetRef.name) : undefined) ?? e.addresses.map((a) => podsByIp.get(a)).find(Boolean);
      if (!hit) continue;
      this.addWorkload(hit.w);
      this.addEndpointEdge(ep, hit.p, this.addPod(hit.w, hit.p), e.ready ? undefined : 'not ready');
      linked++;
    }
    if (all.length === 0) {
      const missing = `missing:${s.id}`;
      this.addNode({ id: missing, kind: 'missing', label: 'no pods', detail: 'the EndpointSlices list no endpoints', namespace: s.namespace });
      this.addEdge(ep, missing, undefined, true);
    } else if (linked === 0 && all.every((e) => !e.ready)) {
      const missing = `missing:${s.id}`;
      this.addNode({ id: missing, kind: 'missing', label: 'no ready pods', detail: `${all.length} endpoints, none ready`, namespace: s.namespace });
      this.addEdge(ep, missing, undefined, true);
    }
  }

  /** A namespace's live Pods by name and by IP (built once per namespace). */
  private podsIn(namespace: string): { byName: Map<string, PodRef>; byIp: Map<string, PodRef> } {
    let found = this.podLookup.get(namespace);
    if (!found) {
      found = { byName: new Map(), byIp: new Map() };
      for (const w of this.index.workloadsIn(namespace)) {
        for (const p of w.pods) {
          found.byName.set(p.name, { w, p });
          for (const ip of p.ips.length > 0 ? p.ips : p.ip ? [p.ip] : []) found.byIp.set(ip, { w, p });
        }
      }
      this.podLookup.set(namespace, found);
    }
    return found;
  }

  // ------------------------------------------------------------ the world outside

  /**
   * Destinations outside the cluster, when a NetworkPolicy restricts egress:
   * linked from each workload isolated for egress that may reach them (the
   * link says on which ports); the others are counted in the node's detail.
   */
  private *addOutside(): Generator<void> {
    const view = egressView(this.index);
    if (!view) return;
    const links = new Map<string, number>();
    const pending: { from: string; to: string; label: string }[] = [];
    const destinations = view.destinations.filter((d) => !EVERY_ADDRESS.has(d));
    for (const w of view.isolated) {
      // A workload allowed to some ranges for certain links to those alone: that it may also reach part of
      // a wider one (the rest of "any address") is the same permission said again.
      const reached = destinations.map((d) => ({ d, a: view.answer(w, d) })).filter((x) => reaches(x.a));
      const certain = reached.filter((x) => x.a!.allowed === 'all' || x.a!.allowed.length > 0);
      for (const { d, a } of certain.length > 0 ? certain : reached) {
        const to = outsideNodeId(d);
        pending.push({ from: `workload:${w.id}`, to, label: portsText(a!) });
        links.set(to, (links.get(to) ?? 0) + 1);
      }
      yield;
    }
    const drawn = pending.length <= MAX_OUTSIDE_LINKS;
    // Short: the box cuts its detail line (the panel and the tooltip show it whole).
    const open = view.notIsolated > 0 ? ` · ${view.notIsolated} unrestricted` : '';
    destinations.forEach((d) => {
      const id = outsideNodeId(d);
      const n = links.get(id) ?? 0;
      const allowed = `${n} of ${view.isolated.length} isolated allowed${drawn ? '' : ' (too many links to draw)'}`;
      this.addNode(
        d === EXTERNAL
          ? { id, kind: 'external', label: 'Any address outside', detail: `${allowed}${open}` }
          : { id, kind: 'external', label: d, cidr: d, detail: `ipBlock · ${allowed}${open}` },
      );
    });
    if (drawn) for (const l of pending) this.addEdge(l.from, l.to, l.label);
  }

  // ------------------------------------------------------------ workloads, pods, nodes

  private addWorkload(w: Workload): string {
    const id = `workload:${w.id}`;
    if (this.nodeIds.has(id)) return id;
    const selecting = this.index.policiesSelecting(w);
    const policies = selecting.map((p) => p.name);
    this.addNode({
      policyFindings: mergeBadges(...selecting.map((p) => this.badges.get(p.id))),
      id,
      kind: 'workload',
      label: w.name,
      detail: workloadDetail(w),
      namespace: w.namespace,
      objectId: w.id,
      count: w.pods.length > 0 ? w.pods.length : w.replicas,
      findings: this.badges.get(w.id),
      policies: policies.length > 0 ? policies : undefined,
    });
    for (const p of w.pods) this.addPod(w, p);
    return id;
  }

  /** The policies selecting a workload's Pods and their findings: the same for each of its Pods, so computed once. */
  private policiesOf(w: Workload): { names: string[] | undefined; findings: FindingBadge | undefined } {
    let found = this.workloadPolicies.get(w);
    if (!found) {
      const selecting = this.index.policiesSelecting(w);
      found = { names: selecting.length > 0 ? selecting.map((x) => x.name) : undefined, findings: mergeBadges(...selecting.map((x) => this.badges.get(x.id))) };
      this.workloadPolicies.set(w, found);
    }
    return found;
  }

  private addPod(w: Workload, p: Pod): string {
    const id = `pod:${p.id}`;
    if (this.nodeIds.has(id)) return id;
    const policies = this.policiesOf(w);
    const badge = this.badges.get(p.id);
    const target = p.nodeName ? this.nodeByName.get(p.nodeName) : undefined;
    const memo = podMemo.get(p);
    if (memo && badge === undefined && policies.findings === undefined && memo.reusable(p, w.id, target, policies.names)) {
      // The Pod drew the same last time: its node and link, ids and all (a cluster's redraw per watch event
      // otherwise rebuilt 20,000 of each, and the diff against the last graph compared them field by field).
      this.nodeIds.add(id);
      this.nodes.push(memo.node);
      if (memo.nodeEdge) this.addEdgeObject(memo.nodeEdge);
      return id;
    }
    this.addNode({
      policyFindings: policies.findings,
      id,
      kind: 'pod',
      label: p.name,
      detail: [p.ip, p.phase, p.ready ? 'ready' : 'not ready'].filter(Boolean).join(' · '),
      namespace: p.namespace,
      objectId: p.id,
      group: `workload:${w.id}`,
      findings: badge,
      policies: policies.names,
    });
    const linked = target !== undefined && this.addEdge(id, target);
    // Only a node without findings of its own or of its policies is kept: badges are made anew per build.
    if (badge === undefined && policies.findings === undefined) {
      podMemo.set(p, new PodMemo(p, w.id, target, policies.names, this.nodes[this.nodes.length - 1], linked ? this.edges[this.edges.length - 1] : undefined));
    }
    return id;
  }

  /** A link from a Service's endpoints to a Pod: the last build's object when it is the same link. */
  private addEndpointEdge(from: string, p: Pod, podId: string, label: string | undefined): void {
    const memo = podMemo.get(p);
    const e = memo?.endpointEdge;
    if (e && e.from === from && e.to === podId && e.label === label) {
      this.addEdgeObject(e);
      return;
    }
    if (this.addEdge(from, podId, label) && memo) memo.endpointEdge = this.edges[this.edges.length - 1];
  }

  // ------------------------------------------------------------ plumbing

  private addNode(node: TopologyNode): void {
    if (this.nodeIds.has(node.id)) return;
    this.nodeIds.add(node.id);
    // Drop undefined optional fields: the message stays small and structured-clone friendly.
    // (A loop: entries, filter and fromEntries made three arrays per node, 26,000 nodes per cluster event.)
    const clean: Record<string, unknown> = {};
    for (const key in node) {
      const value = (node as unknown as Record<string, unknown>)[key];
      if (value !== undefined) clean[key] = value;
    }
    this.nodes.push(clean as unknown as TopologyNode);
  }

  /** Whether the edge was added (false: that link was there already). */
  private addEdge(from: string, to: string, label?: string, broken?: boolean): boolean {
    const id = `${from}->${to}`;
    if (this.edgeIds.has(id)) return false;
    this.edgeIds.add(id);
    const edge: TopologyEdge = { id, from, to };
    if (label) edge.label = label;
    if (broken) edge.broken = true;
    this.edges.push(edge);
    return true;
  }

  private addEdgeObject(edge: TopologyEdge): void {
    if (this.edgeIds.has(edge.id)) return;
    this.edgeIds.add(edge.id);
    this.edges.push(edge);
  }

  private findingsWithin(loc: Loc): FindingBadge | undefined {
    return toBadge(this.findings.filter((f) => f.loc.file === loc.file && loc.start <= f.loc.start && f.loc.end <= loc.end));
  }

  /** The Ingress's findings that are not inside one of its paths. */
  private ingressLevelFindings(ing: Ingress): FindingBadge | undefined {
    const paths = ing.rules.flatMap((r) => r.paths.map((p) => p.loc)).filter((l): l is Loc => l !== undefined);
    const own = this.badges.get(ing.id);
    if (!own) return undefined;
    const inside = (f: Finding) => paths.some((l) => l.file === f.loc.file && l.start <= f.loc.start && f.loc.end <= l.end);
    const objectLoc = ing.origin.loc;
    return toBadge(
      this.findings.filter(
        (f) =>
          ((objectLoc && f.loc.file === objectLoc.file && objectLoc.start <= f.loc.start && f.loc.end <= objectLoc.end) || sameObject(f, ing)) &&
          !inside(f),
      ),
    );
  }
}

/**
 * What a Pod's graph node was built from, to hand the same node (and links) to
 * the next build while none of it changed. Compared field by field rather than
 * trusted by the Pod object's identity alone, so a source that updates a Pod in
 * place still gets a new node. Graph nodes are never mutated after the build.
 */
class PodMemo {
  private readonly id: string;
  private readonly name: string;
  private readonly namespace: string | undefined;
  private readonly ip: string | undefined;
  private readonly phase: string;
  private readonly ready: boolean;
  endpointEdge: TopologyEdge | undefined;

  constructor(
    p: Pod,
    private readonly workloadId: string,
    private readonly target: string | undefined,
    private readonly policies: readonly string[] | undefined,
    readonly node: TopologyNode,
    readonly nodeEdge: TopologyEdge | undefined,
  ) {
    this.id = p.id;
    this.name = p.name;
    this.namespace = p.namespace;
    this.ip = p.ip;
    this.phase = p.phase;
    this.ready = p.ready;
  }

  reusable(p: Pod, workloadId: string, target: string | undefined, policies: readonly string[] | undefined): boolean {
    return (
      p.id === this.id &&
      p.name === this.name &&
      p.namespace === this.namespace &&
      p.ip === this.ip &&
      p.phase === this.phase &&
      p.ready === this.ready &&
      workloadId === this.workloadId &&
      target === this.target &&
      sameStrings(policies, this.policies)
    );
  }
}

/** Per Pod object; collected with the Pod. */
const podMemo = new WeakMap<Pod, PodMemo>();

function sameStrings(a: readonly string[] | undefined, b: readonly string[] | undefined): boolean {
  if (a === b) return true;
  if (!a || !b || a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function findServicePort(s: Service, port: number | string): ServicePort | undefined {
  return typeof port === 'number' ? s.ports.find((p) => p.port === port) : s.ports.find((p) => p.name === port);
}

function serviceDetail(s: Service): string {
  if (s.type === 'ExternalName') return `ExternalName → ${s.externalName ?? '?'}`;
  const ports = s.ports.map((p) => `${p.port}/${p.protocol}`).join(', ');
  const ip = s.headless ? 'headless' : (s.clusterIP ?? '');
  return [s.type, ip, ports].filter(Boolean).join(' · ');
}

function workloadDetail(w: Workload): string {
  if (w.pods.length > 0) return `${w.kind} · ${w.pods.length} pod${w.pods.length === 1 ? '' : 's'}`;
  return w.replicas !== undefined ? `${w.kind} ×${w.replicas}` : w.kind;
}

/**
 * "80 → 8080 http" per port, joined: what the Service maps to. A named
 * targetPort shows its number when every selected workload resolves it to the
 * same one ("80 → 8080 http"); otherwise the name as written ("80 → http").
 */
export function portMapping(s: Service, workloads: readonly Workload[] = []): string {
  return s.ports
    .map((p) => {
      const target = p.targetPort === undefined || p.targetPort === 0 ? p.port : p.targetPort;
      if (typeof target === 'string') {
        const numbers = new Set(workloads.map((w) => w.containers.filter((c) => !c.init).flatMap((c) => c.ports).find((cp) => cp.name === target)?.containerPort));
        const [only] = numbers;
        if (workloads.length > 0 && numbers.size === 1 && only !== undefined) return `${p.port} → ${only} ${target}`;
        return `${p.port} → ${target}`;
      }
      return `${p.port} → ${target}${p.name && p.name !== String(target) ? ` ${p.name}` : ''}`;
    })
    .join(', ');
}

/** The container ports a Service's targetPorts resolve to on one workload ("8080", or "http-api ✗" when none). */
function targetPorts(s: Service, w: Workload): string {
  return s.ports
    .map((p) => {
      const t = effectiveTargetPort(p.port, p.targetPort);
      if (typeof t === 'number') return String(t);
      const hit = containerPortNamed(w.containers, t, p.protocol);
      return hit ? `${hit.containerPort} ${t}` : `${t} ✗`;
    })
    .join(', ');
}

function sameObject(f: Finding, o: ModelObject): boolean {
  return f.object !== undefined && f.object.kind === o.kind && f.object.name === o.name && f.object.namespace === o.namespace;
}

/** The badge of some findings: counts by severity and their messages (undefined: none). */
export function toBadge(findings: readonly Finding[]): FindingBadge | undefined {
  if (findings.length === 0) return undefined;
  const badge: FindingBadge = { errors: 0, warnings: 0, infos: 0, messages: [] };
  for (const f of findings) {
    if (f.severity === 'error') badge.errors++;
    else if (f.severity === 'warning') badge.warnings++;
    else badge.infos++;
    badge.messages.push(`${f.severity}: ${f.message} [${f.rule}]`);
  }
  return badge;
}

function mergeBadges(...list: (FindingBadge | undefined)[]): FindingBadge | undefined {
  const present = list.filter((b): b is FindingBadge => b !== undefined);
  if (present.length === 0) return undefined;
  return present.reduce((a, b) => ({ errors: a.errors + b.errors, warnings: a.warnings + b.warnings, infos: a.infos + b.infos, messages: [...a.messages, ...b.messages] }), {
    errors: 0,
    warnings: 0,
    infos: 0,
    messages: [],
  });
}

/** Each finding goes to the innermost object whose source range holds it, or to the object it names. */
function* badgesByObject(index: ModelIndex, findings: readonly Finding[], withPods = true): Generator<void, Map<string, FindingBadge>> {
  const badges = new Map<string, FindingBadge>();
  // A live cluster often has none: no need to list its 20,000 Pods per redraw.
  if (findings.length === 0) return badges;
  const m = index.model;
  const objects: ModelObject[] = [...m.services, ...m.workloads, ...m.ingresses, ...m.routes, ...m.networkPolicies, ...m.endpointSlices, ...m.nodes];
  if (withPods) for (const w of m.workloads) objects.push(...w.pods);
  const byFile = new Map<string, ModelObject[]>();
  let done = 0;
  for (const o of objects) {
    const file = o.origin.loc?.file;
    if (file) (byFile.get(file) ?? byFile.set(file, []).get(file)!).push(o);
    if (++done % OBJECTS_PER_STEP === 0) yield;
  }
  // Only findings outside every object's source range (a cluster's) look objects up by name.
  let byRef: Map<string, ModelObject> | undefined;
  const named = function* (): Generator<void, Map<string, ModelObject>> {
    const map = new Map<string, ModelObject>();
    let n = 0;
    for (const o of objects) {
      map.set(`${o.kind}/${o.namespace}/${o.name}`, o);
      if (++n % OBJECTS_PER_STEP === 0) yield;
    }
    return map;
  };
  const grouped = new Map<string, Finding[]>();
  for (const f of findings) {
    yield;
    const candidates = (byFile.get(f.loc.file) ?? []).filter((o) => o.origin.loc!.start <= f.loc.start && f.loc.end <= o.origin.loc!.end);
    let owner: ModelObject | undefined = candidates.sort((a, b) => a.origin.loc!.end - a.origin.loc!.start - (b.origin.loc!.end - b.origin.loc!.start))[0];
    if (!owner && f.object) {
      byRef ??= yield* named();
      owner = byRef.get(`${f.object.kind}/${f.object.namespace}/${f.object.name}`);
    }
    if (!owner) continue;
    (grouped.get(owner.id) ?? grouped.set(owner.id, []).get(owner.id)!).push(f);
  }
  for (const [id, list] of grouped) badges.set(id, toBadge(list)!);
  return badges;
}
