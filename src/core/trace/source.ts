// Where the request starts: a Pod or a workload of the set, an external
// client, a node, or, when not said, some Pod of the Service's namespace whose
// labels are unknown.
import type { ModelIndex } from '../model/model-index';
import type { PolicySubject } from '../policy/evaluate';
import { externalSubject, workloadSubject } from '../policy/evaluate';
import { findPod } from './endpoints';
import { unreadIn } from '../model/unread';
import { nodeAddress } from './routing';
import type { TraceSource } from './types';

export interface Source {
  kind: 'pod' | 'external' | 'node';
  /** How the hops name it. */
  label: string;
  /** For DNS: the namespace its resolv.conf searches first. */
  namespace?: string;
  nodeName?: string;
  subject: PolicySubject;
  objectIds: string[];
}

/** The source, or a message saying what is missing. */
export function resolveSource(index: ModelIndex, from: TraceSource): Source | string {
  switch (from.kind) {
    case 'external': {
      const subject = externalSubject(from.ip);
      const label = from.ip ? `an external client (${from.ip})` : 'an external client';
      if (!from.viaNode) return { kind: 'external', label, subject, objectIds: [] };
      const node = index.model.nodes.find((n) => n.name === from.viaNode);
      if (!node && index.model.nodes.length > 0) return `no node ${from.viaNode} (nodes: ${index.model.nodes.map((n) => n.name).join(', ')})`;
      return { kind: 'external', label, nodeName: from.viaNode, subject, objectIds: node ? [node.id] : [] };
    }
    case 'node': {
      const node = index.model.nodes.find((n) => n.name === from.name);
      if (!node && index.model.nodes.length > 0) return `no node ${from.name} (nodes: ${index.model.nodes.map((n) => n.name).join(', ')})`;
      const ip = nodeAddress(node);
      return {
        kind: 'node',
        label: `node ${from.name}${ip ? ` (${ip})` : ''}`,
        nodeName: from.name,
        subject: { kind: 'node', name: `node ${from.name}`, ip, family: 4, nodeName: from.name, objectIds: node ? [node.id] : [] },
        objectIds: node ? [node.id] : [],
      };
    }
    case 'pod': {
      const live = findPod(index, from.namespace, from.name);
      if (live) {
        const base = workloadSubject(live.workload, index.podLabels(live.workload));
        const ips = live.pod.ips.length > 0 ? live.pod.ips : live.pod.ip ? [live.pod.ip] : [];
        return {
          kind: 'pod',
          label: `Pod ${from.namespace}/${from.name}${ips[0] ? ` (${ips[0]})` : ''}`,
          namespace: from.namespace,
          nodeName: live.pod.nodeName,
          subject: {
            ...base,
            name: `${from.namespace}/${from.name}`,
            labels: Object.keys(live.pod.labels).length > 0 ? live.pod.labels : base.labels,
            ips,
            nodeName: live.pod.nodeName,
            hostNetwork: live.pod.hostNetwork,
            objectIds: [live.workload.id, live.pod.id],
          },
          objectIds: [live.workload.id, live.pod.id],
        };
      }
      const bare = index.workloadsIn(from.namespace).find((w) => w.kind === 'Pod' && w.name === from.name);
      if (!bare) return unreadPodSource(index, from.namespace, `Pod ${from.namespace}/${from.name}`) ?? `no Pod ${from.namespace}/${from.name} in the set${podOfWorkloadHint(index, from.namespace, from.name)}`;
      return { kind: 'pod', label: `Pod ${from.namespace}/${from.name}`, namespace: from.namespace, subject: workloadSubject(bare, index.podLabels(bare)), objectIds: [bare.id] };
    }
    case 'workload': {
      const kind = from.workloadKind.toLowerCase();
      const w = index.workloadsIn(from.namespace).find((x) => x.kind.toLowerCase() === kind && x.name === from.name);
      if (!w) return unreadPodSource(index, from.namespace, `${from.workloadKind} ${from.namespace}/${from.name}`) ?? `no ${from.workloadKind} ${from.namespace}/${from.name} in the set`;
      const subject = workloadSubject(w, index.podLabels(w));
      const pod = w.pods.find((p) => p.ready && p.ip) ?? w.pods.find((p) => p.ip);
      if (pod) {
        return {
          kind: 'pod',
          label: `Pod ${pod.namespace}/${pod.name} (${pod.ip}; the first of ${w.pods.length} of ${w.kind} ${w.name})`,
          namespace: w.namespace,
          nodeName: pod.nodeName,
          subject: { ...subject, name: `${pod.namespace}/${pod.name}`, ips: pod.ips.length > 0 ? pod.ips : [pod.ip!], nodeName: pod.nodeName, objectIds: [w.id, pod.id] },
          objectIds: [w.id, pod.id],
        };
      }
      return { kind: 'pod', label: `a Pod of ${w.namespace}/${w.kind}/${w.name}`, namespace: w.namespace, subject, objectIds: [w.id] };
    }
  }
}

/**
 * A Pod of a namespace whose Pods could not be read (a partial cluster read):
 * it may well exist; its labels, address and node are unknown.
 */
function unreadPodSource(index: ModelIndex, namespace: string, what: string): Source | undefined {
  const unread = unreadIn(index.model, 'pods', namespace);
  if (!unread) return undefined;
  const name = `${what} (Pods in ${namespace} could not be read: ${unread.reason}; labels unknown)`;
  return {
    kind: 'pod',
    label: name,
    namespace,
    subject: { kind: 'pod', name, namespace, labels: undefined, ips: [], hostNetwork: false, containers: undefined, objectIds: [] },
    objectIds: [],
  };
}

/** No --from: some Pod of the namespace, labels unknown (policies that look at labels are undecided). */
export function unknownPodSource(namespace: string): Source {
  return {
    kind: 'pod',
    label: `a Pod in namespace ${namespace}`,
    namespace,
    subject: { kind: 'pod', name: `a Pod in namespace ${namespace} (labels unknown)`, namespace, labels: undefined, ips: [], hostNetwork: false, containers: undefined, objectIds: [] },
    objectIds: [],
  };
}

/** The ingress controller's Pods: outside the set, namespace and labels unknown. */
export function controllerSource(label = "the ingress controller's Pod"): Source {
  return {
    kind: 'pod',
    label,
    subject: { kind: 'pod', name: label, namespace: undefined, labels: undefined, ips: [], hostNetwork: false, containers: undefined, objectIds: [] },
    objectIds: [],
  };
}

/** A bare Pod name that is a workload's: the form that names one of its Pods. */
function podOfWorkloadHint(index: ModelIndex, namespace: string, name: string): string {
  const w = index.workloadsIn(namespace).find((x) => x.kind !== 'Pod' && x.name === name);
  return w ? `; ${namespace}/${name} is a ${w.kind}: one of its Pods is workload/${namespace}/${w.kind}/${name}` : '';
}
