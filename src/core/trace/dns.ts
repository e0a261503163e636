// DNS as CoreDNS answers it (the Kubernetes DNS specification):
// - A Service answers at <svc>.<ns>.svc.<cluster domain>; a Pod's resolv.conf
//   searches <its ns>.svc.<domain>, svc.<domain> and <domain> (ndots:5), so
//   "<svc>" works from the same namespace and "<svc>.<ns>" from any.
// - ClusterIP Services answer with the ClusterIP; headless ones with the
//   addresses of their ready endpoints (all of them with
//   publishNotReadyAddresses), plus <pod>.<svc>.<ns>.svc.<domain> for the Pods
//   of a StatefulSet whose serviceName is the Service; ExternalName with a CNAME.
// - Named ports have SRV records _<port>._<proto>.<svc>.<ns>.svc.<domain>.
import type { ModelIndex } from '../model/model-index';
import type { Service, ServicePort } from '../model/types';
import { evaluateDirection, workloadSubject, type PodSubject } from '../policy/evaluate';
import type { Tri } from '../policy/tri';
import type { Backend, TraceHop } from './types';

/** The default cluster domain; clusters can be set up with another one. */
export const CLUSTER_DOMAIN = 'cluster.local';

export function serviceFqdn(svc: Service): string {
  return `${svc.name}.${svc.namespace}.svc.${CLUSTER_DOMAIN}`;
}

/** The names that resolve to the Service from a Pod in `fromNamespace` (undefined: outside the cluster's DNS). */
export function namesFrom(svc: Service, fromNamespace: string | undefined): string[] {
  const names = [`${svc.name}.${svc.namespace}`, `${svc.name}.${svc.namespace}.svc`, serviceFqdn(svc)];
  if (fromNamespace === svc.namespace) names.unshift(svc.name);
  return names;
}

export function clusterIpText(svc: Service): string {
  return svc.clusterIPs[0] ?? (svc.clusterIP && svc.clusterIP !== 'None' ? svc.clusterIP : '<ClusterIP>');
}

export function dnsHop(svc: Service, sp: ServicePort, fromNamespace: string | undefined, sourceLabel: string, dnsBackends: Backend[]): TraceHop {
  const fqdn = serviceFqdn(svc);
  const names = namesFrom(svc, fromNamespace);
  const from = fromNamespace ? `from namespace ${fromNamespace}` : `from ${sourceLabel}`;
  const srv = sp.name ? [`_${sp.name}._${sp.protocol.toLowerCase()}.${fqdn}. IN SRV 0 100 ${sp.port} ${fqdn}.`] : [];
  if (svc.type === 'ExternalName') {
    return {
      kind: 'dns',
      detail: `${names.join(', ')} resolve ${from} to a CNAME for ${svc.externalName ?? '(no externalName)'}: ExternalName, no virtual IP and no proxying`,
      rules: [`${fqdn}. IN CNAME ${svc.externalName ?? ''}.`],
      objectIds: [svc.id],
    };
  }
  if (svc.headless) {
    const rules: string[] = [];
    const answers = dnsBackends.map((b) => b.address);
    for (const a of answers) rules.push(`${fqdn}. IN A ${a}`);
    for (const b of dnsBackends) {
      if (b.workload?.kind === 'StatefulSet' && b.workload.serviceName === svc.name) {
        const podName = b.pod?.name ?? /\/Pod\/([^>]+)>$/.exec(b.address)?.[1];
        if (podName) rules.push(`${podName}.${fqdn}. IN A ${b.address}`);
      }
    }
    rules.push(...srv);
    const what = answers.length === 0 ? 'no address (no ready endpoint)' : `the ${answers.length} endpoint address(es) directly`;
    return {
      kind: 'dns',
      detail: `${names.join(', ')} resolve ${from}; headless Service (clusterIP: None): DNS answers with ${what}, no virtual IP`,
      rules,
      objectIds: [svc.id],
    };
  }
  const ip = clusterIpText(svc);
  const assigned = ip === '<ClusterIP>' ? ' (assigned by the API server when the Service is created)' : '';
  return {
    kind: 'dns',
    detail: `${names.join(', ')} resolve ${from} to the ClusterIP ${ip}${assigned}`,
    rules: [`${fqdn}. IN A ${ip}`, ...srv],
    objectIds: [svc.id],
  };
}

// ---------------------------------------------------------------- the lookup's own path

/**
 * A Pod whose egress is isolated must be allowed to reach the cluster DNS
 * (UDP 53) or no name resolves, whatever the policies say about the Service.
 * The DNS Pods are looked for in the set (kube-system, k8s-app=kube-dns, the
 * label CoreDNS carries in kubeadm and the managed clusters); when they are not
 * there, their labels are unknown and the verdict says what it depends on.
 */
export function dnsEgressCheck(index: ModelIndex, source: PodSubject): { hop: TraceHop; allowed: Tri } | undefined {
  const dnsWorkload = index.workloadsSelectedBy('kube-system', { matchLabels: { 'k8s-app': 'kube-dns' }, matchExpressions: [] })[0];
  const dns: PodSubject = dnsWorkload
    ? workloadSubject(dnsWorkload, index.podLabels(dnsWorkload))
    : { kind: 'pod', name: 'the cluster DNS Pods (kube-system, not in the set)', namespace: 'kube-system', labels: undefined, ips: [], hostNetwork: false, containers: undefined, objectIds: [] };
  const r = evaluateDirection(index, 'egress', source, dns, 'UDP', 53);
  if (r.isolated === 'no') return undefined;
  return {
    allowed: r.allowed,
    hop: {
      kind: 'policy',
      detail: `the name lookup first: ${r.explanation} (toward ${dns.name}, UDP/53)`,
      rules: [],
      objectIds: [...r.policies.map((p) => p.id), ...dns.objectIds],
      policy: {
        direction: 'egress',
        policyIds: r.policies.map((p) => p.id),
        allowedBy: r.allowedBy ? { policyId: r.allowedBy.policyId, policy: r.allowedBy.policy, ruleIndex: r.allowedBy.ruleIndex } : undefined,
        allowed: r.allowed,
        conditions: r.conditions,
      },
    },
  };
}
