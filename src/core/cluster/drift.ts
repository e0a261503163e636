// Drift between a manifest and the live cluster: for each object of a file
// that also exists in the cluster (same kind, namespace and name), the
// differences that change where traffic goes. Pure (no `vscode`): the editor
// turns the items into Information diagnostics.
//
// What is compared, and what is not (on purpose: values the API server or
// controllers fill in are no drift):
// - Service: selector, type, headless or not, ports (name, port, protocol,
//   targetPort, which defaults to the port). Not nodePorts (assigned when the
//   file leaves them out) nor ClusterIPs.
// - NetworkPolicy: podSelector, effective policyTypes, how many ingress and egress rules.
// - Ingress: the backend of each host + path (and the default backend).
// - AdminNetworkPolicy, BaselineAdminNetworkPolicy, ClusterNetworkPolicy:
//   tier, priority (the order the Admin tier is asked in), subject, and each
//   direction's rules in order by name and action (the first match decides).
// - Workloads (Deployment etc. against the Pods the cluster groups under that
//   owner): a pod-template label that every live Pod carries with another
//   value, or that no live Pod carries. Labels the cluster adds are no drift;
//   Pods that disagree among themselves (a rollout in progress) say nothing.
import { formatSelector } from '../model/selectors';
import type { ModelIndex } from '../model/model-index';
import type { AdminNetworkPolicy, AdminPodSelection, Ingress, LabelSelector, Loc, ModelObject, NetworkPolicy, Service, ServicePort, Workload } from '../model/types';

export interface DriftItem {
  /** The file's object the drift is about. */
  objectId: string;
  /** Where to show it in the file. */
  loc: Loc;
  message: string;
}

/** The drift of a file's objects against the cluster's model (`cluster` names the context in messages). */
export function driftOf(objects: readonly ModelObject[], clusterIndex: ModelIndex, cluster: string): DriftItem[] {
  const out: DriftItem[] = [];
  for (const o of objects) {
    const at = o.origin.nameLoc ?? o.origin.loc;
    if (!at) continue;
    const push = (loc: Loc | undefined, message: string) => out.push({ objectId: o.id, loc: loc ?? at, message: `In cluster ${cluster}, ${message}` });
    switch (o.kind) {
      case 'Service': {
        const live = clusterIndex.servicesIn(o.namespace).find((s) => s.name === o.name);
        if (live) serviceDrift(o, live, push);
        break;
      }
      case 'NetworkPolicy': {
        const live = clusterIndex.policiesIn(o.namespace).find((p) => p.name === o.name);
        if (live) policyDrift(o, live, push);
        break;
      }
      case 'Ingress': {
        const live = clusterIndex.ingressesIn(o.namespace).find((i) => i.name === o.name);
        if (live) ingressDrift(o, live, push);
        break;
      }
      case 'AdminNetworkPolicy':
      case 'BaselineAdminNetworkPolicy':
      case 'ClusterNetworkPolicy': {
        const live = clusterIndex.model.adminNetworkPolicies.find((p) => p.kind === o.kind && p.name === o.name);
        if (live) adminPolicyDrift(o, live, push);
        break;
      }
      case 'Pod':
      case 'Deployment':
      case 'ReplicaSet':
      case 'StatefulSet':
      case 'DaemonSet':
      case 'Job':
      case 'CronJob':
      case 'ReplicationController':
      case 'DeploymentConfig': {
        const w = o as Workload;
        const live = clusterIndex.workloadsIn(w.namespace).find((c) => c.kind === w.kind && c.name === w.name);
        if (live) workloadDrift(w, live, push);
        break;
      }
      default:
        break;
    }
  }
  return out;
}

type Push = (loc: Loc | undefined, message: string) => void;

function serviceDrift(file: Service, live: Service, push: Push): void {
  const what = `Service ${file.namespace}/${file.name}`;
  const fileSel = selectorText(file.selector);
  const liveSel = selectorText(live.selector);
  if (fileSel !== liveSel) push(file.selector?.loc, `${what} ${live.selector ? `selects ${liveSel}` : 'has no selector'} (this file: ${file.selector ? fileSel : 'no selector'}).`);
  if (file.type !== live.type) push(file.typeLoc, `${what} is of type ${live.type} (this file: ${file.type}).`);
  else if (file.headless !== live.headless) push(file.typeLoc, `${what} is ${live.headless ? 'headless (clusterIP: None)' : 'not headless'} (this file: ${file.headless ? 'headless' : 'not headless'}).`);
  const filePorts = portsText(file.ports);
  const livePorts = portsText(live.ports);
  if (filePorts !== livePorts) push(file.portsLoc, `${what} has ports ${livePorts} (this file: ${filePorts}).`);
}

function policyDrift(file: NetworkPolicy, live: NetworkPolicy, push: Push): void {
  const what = `NetworkPolicy ${file.namespace}/${file.name}`;
  const fileSel = selectorText(file.podSelector);
  const liveSel = selectorText(live.podSelector);
  if (fileSel !== liveSel) push(file.podSelector.loc, `${what} selects Pods ${liveSel} (this file: ${fileSel}).`);
  const fileTypes = [...file.policyTypes].sort().join(', ');
  const liveTypes = [...live.policyTypes].sort().join(', ');
  if (fileTypes !== liveTypes) push(undefined, `${what} has policyTypes ${liveTypes || '(none)'} (this file: ${fileTypes || '(none)'}).`);
  for (const dir of ['ingress', 'egress'] as const) {
    const n = live[dir].length;
    const m = file[dir].length;
    if (n !== m) push(file[dir][0]?.loc, `${what} has ${n} ${dir} rule${n === 1 ? '' : 's'} (this file: ${m}).`);
  }
}

function ingressDrift(file: Ingress, live: Ingress, push: Push): void {
  const what = `Ingress ${file.namespace}/${file.name}`;
  const liveRoutes = ingressRoutes(live);
  const fileRoutes = ingressRoutes(file);
  for (const [key, r] of fileRoutes) {
    const l = liveRoutes.get(key);
    if (!l) push(r.loc, `${what} has no route ${key} (this file: ${key} → ${r.backend}).`);
    else if (l.backend !== r.backend) push(r.loc, `${what} routes ${key} to ${l.backend} (this file: ${r.backend}).`);
  }
  for (const [key, l] of liveRoutes) {
    if (!fileRoutes.has(key)) push(undefined, `${what} also routes ${key} to ${l.backend}, which this file does not.`);
  }
}

function adminPolicyDrift(file: AdminNetworkPolicy, live: AdminNetworkPolicy, push: Push): void {
  const what = `${file.kind} ${file.name}`;
  if (file.tier !== live.tier) push(undefined, `${what} is in the ${live.tier} tier (this file: ${file.tier}).`);
  if (file.tier === 'Admin' && (file.priority ?? 0) !== (live.priority ?? 0)) push(undefined, `${what} has priority ${live.priority ?? 0} (this file: ${file.priority ?? 0}).`);
  const fileSubject = selectionText(file.subject);
  const liveSubject = selectionText(live.subject);
  if (fileSubject !== liveSubject) push(file.subjectLoc, `${what} selects ${liveSubject} (this file: ${fileSubject}).`);
  for (const dir of ['ingress', 'egress'] as const) {
    const rules = (p: AdminNetworkPolicy) => p[dir].map((r) => `${r.name} (${r.actionWritten})`);
    const fileRules = rules(file);
    const liveRules = rules(live);
    if (fileRules.join(', ') === liveRules.join(', ')) continue;
    const first = fileRules.findIndex((r, i) => r !== liveRules[i]);
    push(file[dir][first]?.loc, `${what} has ${dir} rules ${liveRules.join(', ') || '(none)'} (this file: ${fileRules.join(', ') || '(none)'}).`);
  }
}

function selectionText(s: AdminPodSelection): string {
  if (s.namespaces) return `namespaces ${selectorText(s.namespaces)}`;
  if (s.pods) return `pods ${selectorText(s.pods.podSelector)} in namespaces ${selectorText(s.pods.namespaceSelector)}`;
  return '(nothing)';
}

function workloadDrift(file: Workload, live: Workload, push: Push): void {
  if (live.pods.length === 0) return; // no live Pod: nothing known about their labels
  const what = `${file.kind} ${file.namespace}/${file.name}`;
  for (const key of Object.keys(file.podLabels).sort()) {
    const want = file.podLabels[key];
    const values = new Set(live.pods.map((p) => (Object.prototype.hasOwnProperty.call(p.labels, key) ? p.labels[key] : undefined)));
    if (values.size !== 1) continue; // the Pods disagree (a rollout): no one answer
    const [got] = [...values];
    const pods = live.pods.length === 1 ? 'its Pod' : `its ${live.pods.length} Pods`;
    if (got === undefined) push(file.podLabelsLoc, `${what}: ${pods} ${live.pods.length === 1 ? 'has' : 'have'} no label ${key} (this file: ${key}=${want}).`);
    else if (got !== want) push(file.podLabelsLoc, `${what}: ${pods} ${live.pods.length === 1 ? 'is' : 'are'} labelled ${key}=${got} (this file: ${key}=${want}).`);
  }
}

/** A selector as text with its parts in a stable order, so that two ways of writing the same selector compare equal. */
function selectorText(sel: LabelSelector | undefined): string {
  if (!sel) return '(none)';
  const matchLabels: Record<string, string> = {};
  for (const k of Object.keys(sel.matchLabels).sort()) matchLabels[k] = sel.matchLabels[k];
  const matchExpressions = sel.matchExpressions
    .map((r) => ({ ...r, values: [...r.values].sort() }))
    .sort((a, b) => (a.key === b.key ? (a.operator < b.operator ? -1 : a.operator > b.operator ? 1 : 0) : a.key < b.key ? -1 : 1));
  return formatSelector({ matchLabels, matchExpressions });
}

/** "http 80→8080, metrics 9090→9090/UDP" in port order; the targetPort defaults to the port as the API server does. */
function portsText(ports: readonly ServicePort[]): string {
  if (ports.length === 0) return '(none)';
  return ports
    .map((p) => `${p.name ? `${p.name} ` : ''}${p.port}→${p.targetPort ?? p.port}${p.protocol === 'TCP' ? '' : `/${p.protocol}`}`)
    .sort()
    .join(', ');
}

function ingressRoutes(ing: Ingress): Map<string, { backend: string; loc?: Loc }> {
  const out = new Map<string, { backend: string; loc?: Loc }>();
  const backend = (b: { service: string; port?: number | string; resource?: { kind: string; name: string } }) =>
    b.resource ? `${b.resource.kind} ${b.resource.name}` : `${b.service}:${b.port ?? '?'}`;
  if (ing.defaultBackend) out.set('(default backend)', { backend: backend(ing.defaultBackend), loc: ing.defaultBackend.loc });
  for (const rule of ing.rules) {
    for (const p of rule.paths) {
      const key = `${rule.host ?? '*'}${p.path.startsWith('/') ? '' : ' '}${p.path}`;
      if (!out.has(key)) out.set(key, { backend: backend(p.backend), loc: p.loc });
    }
  }
  return out;
}
