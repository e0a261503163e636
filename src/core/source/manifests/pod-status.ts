// What an exported manifest (`kubectl get pod -o yaml`, `kubectl get deploy
// -o yaml`) says about what runs: a Pod's addresses, its Ready condition, its
// node, whether it is being deleted; a controller's ready replica count.
// Traces use it instead of assuming ready Pods somewhere.
import type { ManifestPodStatus, PodPhase, WorkloadKind } from '../../model/types';
import { keyOf, type DocContext } from './ast';
import type { Head } from './meta';

const PHASES = new Set<PodPhase>(['Pending', 'Running', 'Succeeded', 'Failed', 'Unknown']);

/** undefined when the manifest has neither spec.nodeName nor a status with anything in it. */
export function readPodStatus(ctx: DocContext, head: Head): ManifestPodStatus | undefined {
  const out: ManifestPodStatus = { ips: [], terminating: false };
  let said = false;
  for (const m of ctx.entries(head.spec) ?? []) {
    if (keyOf(m) !== 'nodeName') continue;
    const n = ctx.str(m.value);
    if (n) {
      out.nodeName = n;
      said = true;
    }
  }
  for (const m of ctx.entries(head.metadata) ?? []) {
    if (keyOf(m) === 'deletionTimestamp' && ctx.str(m.value)) {
      out.terminating = true;
      said = true;
    }
  }
  let podIP: string | undefined;
  for (const m of ctx.entries(head.status) ?? []) {
    switch (keyOf(m)) {
      case 'podIP':
        podIP = ctx.str(m.value) || undefined;
        break;
      case 'podIPs':
        for (const item of ctx.items(m.value) ?? []) {
          for (const f of ctx.entries(item) ?? []) if (keyOf(f) === 'ip') {
            const ip = ctx.str(f.value);
            if (ip) out.ips.push(ip);
          }
        }
        break;
      case 'phase': {
        const p = ctx.str(m.value) as PodPhase | undefined;
        if (p && PHASES.has(p)) out.phase = p;
        break;
      }
      case 'conditions':
        for (const item of ctx.items(m.value) ?? []) {
          let type: string | undefined;
          let status: string | undefined;
          for (const f of ctx.entries(item) ?? []) {
            const k = keyOf(f);
            if (k === 'type') type = ctx.str(f.value);
            else if (k === 'status') status = ctx.str(f.value);
          }
          if (type === 'Ready' && status !== undefined) out.ready = status === 'True';
        }
        break;
    }
  }
  if (podIP && !out.ips.includes(podIP)) out.ips.unshift(podIP);
  if (out.ips.length > 0 || out.ready !== undefined || out.phase !== undefined) said = true;
  return said ? out : undefined;
}

/** An exported controller's ready count: status.readyReplicas (DaemonSet: status.numberReady); a status without it means 0. */
export function readReadyReplicas(ctx: DocContext, head: Head, kind: WorkloadKind): number | undefined {
  const entries = ctx.entries(head.status);
  if (!entries || entries.length === 0) return undefined;
  const key = kind === 'DaemonSet' ? 'numberReady' : 'readyReplicas';
  for (const m of entries) if (keyOf(m) === key) return ctx.int(m.value);
  // The API omits a zero count: a status that says something else (observedGeneration, replicas) has none ready.
  return entries.some((m) => ['replicas', 'observedGeneration', 'desiredNumberScheduled', 'currentReplicas'].includes(keyOf(m) ?? '')) ? 0 : undefined;
}
