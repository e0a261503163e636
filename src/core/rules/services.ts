// Service rules: selectors, ports, traffic policy, StatefulSet governing Services.
import { groupWorkloads, hasServiceSelector } from '../model/model-index';
import { formatSelector } from '../model/selectors';
import type { Fix } from '../findings/types';
import type { ContainerPort, LabelSelector, Service, ServicePort, Workload } from '../model/types';
import { listing, nameOf, objectLoc, refOf, relatedAt, replacementScalar, type RuleContext } from './context';
import { reportSelectsNothing } from './no-match';
import { declaredPorts, describePorts, effectiveTargetPort, invalidPortName, portNamed, portsNumbered, validPortNumber } from './ports';
import type { Rule } from './rule';

/** No workloads or slices (a shared empty list: a re-analysis asks for thousands). */
const NONE: readonly never[] = [];

function portLabel(s: Service, p: ServicePort): string {
  return p.name ? `port ${p.port} (${p.name})` : `port ${p.port}`;
}

// The message may name matching workloads in other namespaces (see dependsOn in reportSelectsNothing).
export const serviceNoMatchingPods: Rule = {
  ids: ['service-no-matching-pods'],
  scope: 'namespace',
  run(ctx) {
    if (!ctx.enabled('service-no-matching-pods')) return;
    for (const s of ctx.scoped(ctx.model.services, (ns) => ctx.index.servicesIn(ns))) {
      if (s.type === 'ExternalName' || !hasServiceSelector(s)) continue;
      const sel = s.selector as LabelSelector;
      if (ctx.index.hasMatch(s.namespace, sel)) continue;
      reportSelectsNothing(ctx, 'service-no-matching-pods', s, sel, 'Selector', ', so it has no endpoints');
    }
  },
};

export const serviceRules: Rule = {
  ids: [
    'service-no-selector',
    'service-target-port-missing',
    'service-protocol-mismatch',
    'service-port-invalid',
    'service-selects-many-workloads',
    'service-external-traffic-policy',
  ],
  scope: 'namespace',
  run(ctx) {
    for (const s of ctx.scoped(ctx.model.services, (ns) => ctx.index.servicesIn(ns))) {
      const selecting = s.type !== 'ExternalName' && hasServiceSelector(s);
      const matched = selecting ? ctx.index.selectedBy(s.namespace, s.selector as LabelSelector) : NONE;
      const slices = !selecting && s.type !== 'ExternalName' ? ctx.index.endpointSlicesFor(s) : NONE;
      // The Service is the cache's subject, the workloads (or slices: never both) its other inputs.
      const deps = slices.length === 0 ? matched : matched.length === 0 ? slices : [...matched, ...slices];
      ctx.cached('service', s, deps, () => checkService(ctx, s, matched, slices.length > 0));
    }
  },
};

/** Reads the Service, the workloads it selects and whether endpoints exist for it (cached on those). */
function checkService(ctx: RuleContext, s: Service, all: readonly Workload[], hasEndpoints: boolean): void {
  checkPortsValid(ctx, s);
  checkExternalTrafficPolicy(ctx, s);
  if (s.type === 'ExternalName') return;
  if (!hasServiceSelector(s)) {
    if (!hasEndpoints) {
      ctx.report({
        rule: 'service-no-selector',
        message: `${nameOf(s)} has no selector and no Endpoints or EndpointSlice named ${s.name} is in the set, so it sends traffic nowhere unless its endpoints are managed elsewhere. Add a selector, or an Endpoints/EndpointSlice for it.`,
        loc: objectLoc(s),
        object: refOf(s),
      });
    }
    return;
  }
  if (all.length === 0) return;
  checkTargetPorts(ctx, s, all);
  // One workload per namespace/name: copies in several files, even of
  // different kinds (a StatefulSet in one file, a Deployment in its
  // alternative), are versions of one app, not two apps behind the Service.
  const matched = [...new Map(all.map((w) => [`${w.namespace}/${w.name}`, w])).values()];
  if (matched.length > 1) {
    ctx.report({
      rule: 'service-selects-many-workloads',
      message: `Selector ${formatSelector(s.selector as LabelSelector)} of ${nameOf(s)} matches the pods of ${matched.length} workloads: ${listing(matched.map(nameOf), 4)}. If only one should receive its traffic, add a label that tells them apart.`,
      loc: s.selector?.loc ?? objectLoc(s),
      object: refOf(s),
      related: matched.flatMap((w) => relatedAt(w.podLabelsLoc, w, `${nameOf(w)} is selected`)),
    });
  }
}

function checkPortsValid(ctx: RuleContext, s: Service): void {
  const names = new Map<string, ServicePort>();
  for (const p of s.ports) {
    const at = p.loc ?? objectLoc(s);
    if (!validPortNumber(p.port)) {
      ctx.report({
        rule: 'service-port-invalid',
        message: `port ${p.port} of ${nameOf(s)} is out of range; a Service port must be 1-65535.`,
        loc: p.portLoc ?? at,
        object: refOf(s),
      });
    }
    const tp = p.targetPort;
    if (typeof tp === 'number') {
      if (tp !== 0 && !validPortNumber(tp)) {
        ctx.report({
          rule: 'service-port-invalid',
          message: `targetPort ${tp} of ${nameOf(s)} ${portLabel(s, p)} is out of range; it must be 1-65535 (or a port name).`,
          loc: p.targetPortLoc ?? at,
          object: refOf(s),
        });
      }
    } else if (typeof tp === 'string' && tp !== '') {
      if (/^[0-9]+$/.test(tp)) {
        const n = Number(tp);
        const fixes: Fix[] =
          p.targetPortLoc && validPortNumber(n)
            ? [{ title: `Write targetPort as the number ${n}`, edits: [{ loc: p.targetPortLoc, newText: String(n) }], preferred: true }]
            : [];
        ctx.report({
          rule: 'service-port-invalid',
          message: `targetPort "${tp}" of ${nameOf(s)} ${portLabel(s, p)} is quoted, so Kubernetes reads it as a port name, and a port name needs a letter; the API server rejects it. Write it without quotes: targetPort: ${n}.`,
          loc: p.targetPortLoc ?? at,
          object: refOf(s),
          fixes,
        });
      } else {
        const why = invalidPortName(tp);
        if (why) {
          ctx.report({
            rule: 'service-port-invalid',
            message: `targetPort name "${tp}" of ${nameOf(s)} ${portLabel(s, p)} is not a valid port name: ${why}. Use the container port's (valid) name or its number.`,
            loc: p.targetPortLoc ?? at,
            object: refOf(s),
          });
        }
      }
    }
    if (p.nodePort !== undefined && p.nodePort !== 0 && (p.nodePort < 30000 || p.nodePort > 32767)) {
      ctx.report({
        rule: 'service-port-invalid',
        message: `nodePort ${p.nodePort} of ${nameOf(s)} ${portLabel(s, p)} is outside the default NodePort range 30000-32767; the API server rejects it unless the cluster's --service-node-port-range includes it. Pick a port in the range or omit nodePort to get one assigned.`,
        loc: p.nodePortLoc ?? at,
        object: refOf(s),
      });
    }
    if (s.ports.length > 1) {
      if (!p.name) {
        ctx.report({
          rule: 'service-port-invalid',
          message: `${nameOf(s)} has ${s.ports.length} ports and port ${p.port} has no name; every port of a multi-port Service needs a unique name. Add name: to it.`,
          loc: at,
          object: refOf(s),
        });
      } else if (names.has(p.name)) {
        ctx.report({
          rule: 'service-port-invalid',
          message: `Port name "${p.name}" is used twice in ${nameOf(s)} (ports ${names.get(p.name)?.port} and ${p.port}); port names must be unique. Rename one of them.`,
          loc: p.nameLoc ?? at,
          object: refOf(s),
          related: relatedAt(names.get(p.name)?.nameLoc, s, `port ${names.get(p.name)?.port} is also named ${p.name}`),
        });
      } else {
        names.set(p.name, p);
      }
    }
  }
}

function checkExternalTrafficPolicy(ctx: RuleContext, s: Service): void {
  if (s.externalTrafficPolicy === undefined) return;
  const noExternal = s.type === 'ExternalName' || (s.type === 'ClusterIP' && s.externalIPs.length === 0);
  if (!noExternal) return;
  ctx.report({
    rule: 'service-external-traffic-policy',
    message: `externalTrafficPolicy: ${s.externalTrafficPolicy} has no effect on ${nameOf(s)}: a ${s.type} Service${s.type === 'ClusterIP' ? ' without externalIPs' : ''} receives no external traffic. Remove it, or make the Service a NodePort or LoadBalancer if it should be reachable from outside.`,
    loc: s.externalTrafficPolicyLoc ?? objectLoc(s),
    object: refOf(s),
  });
}

function checkTargetPorts(ctx: RuleContext, s: Service, matched: readonly Workload[]): void {
  // Copies of one workload (alternative files) count as one: a port counts as
  // declared when any copy declares it; messages describe the copy in the
  // Service's own file when there is one.
  const groups = groupWorkloads(matched, s.origin.file).filter((g) => g.copies.some((w) => w.containers.length > 0));
  for (const p of s.ports) {
    if (!validPortNumber(p.port)) continue;
    const target = effectiveTargetPort(p.port, p.targetPort);
    if (typeof target === 'string' && (/^[0-9]+$/.test(target) || invalidPortName(target))) continue; // service-port-invalid
    if (typeof target === 'number' && !validPortNumber(target)) continue;
    const at = p.targetPortLoc ?? p.loc ?? objectLoc(s);
    // targetPort 0 or "" is defaulted to the port, as an absent one is.
    const defaulted = p.targetPort === undefined || p.targetPort === 0 || p.targetPort === '';
    const targetText = defaulted ? `port ${p.port} (no targetPort, so the same number)` : `targetPort ${target}`;
    for (const { primary: w, copies } of groups) {
      // Built only for a finding (most ports are fine).
      const declared = () => declaredPorts(w);
      const wRel = () => relatedAt(w.containers[0]?.loc ?? w.podLabelsLoc, w, `${nameOf(w)} declares ${describePorts(declared())}`);
      if (typeof target === 'string') {
        const found = copies.map((c) => portNamed(c, target)).filter((cp) => cp !== undefined);
        if (found.length === 0) {
          // An error when no matched workload declares the name (the port has no
          // endpoints at all); a warning when others do (only these Pods are left out).
          const others = groups.filter((g) => g.copies.some((c) => portNamed(c, target) !== undefined)).map((g) => nameOf(g.primary));
          ctx.report({
            rule: 'service-target-port-missing',
            severity: others.length === 0 ? 'error' : 'warning',
            message:
              others.length === 0
                ? `${targetText} of ${nameOf(s)} names a port no container of ${nameOf(w)} declares (it declares ${describePorts(declared())}), so ${portLabel(s, p)} has no endpoints. Name the container port ${target} or change targetPort.`
                : `${targetText} of ${nameOf(s)} names a port no container of ${nameOf(w)} declares (it declares ${describePorts(declared())}), so its Pods get no endpoint for ${portLabel(s, p)} (only those of ${listing(others)} do). Name the container port ${target}, or keep these Pods out of the selector.`,
            loc: at,
            object: refOf(s),
            related: wRel(),
            fixes: targetFix(ctx, p, groups.length, copies, declared()),
          });
        } else if (!found.some((cp) => cp.protocol === p.protocol)) {
          reportProtocol(ctx, s, p, w, found[0].protocol, found[0].containerPort, found[0].loc);
        }
        continue;
      }
      const same = copies.flatMap((c) => portsNumbered(c, target));
      if (same.length === 0) {
        ctx.report({
          rule: 'service-target-port-missing',
          severity: 'warning',
          message: `${targetText} of ${nameOf(s)} is not declared by any container of ${nameOf(w)} (it declares ${describePorts(declared())}). Traffic is still sent to ${target}; declare the containerPort, or point targetPort at the port the container listens on.`,
          loc: at,
          object: refOf(s),
          related: wRel(),
          fixes: defaulted ? [] : targetFix(ctx, p, groups.length, copies, declared()),
        });
      } else if (!same.some((cp) => cp.protocol === p.protocol)) {
        reportProtocol(ctx, s, p, w, same[0].protocol, target, same[0].loc);
      }
    }
  }
}

/**
 * The clear fix: the Service matches one workload (all copies alike), which
 * declares exactly one port of the Service port's protocol.
 */
function targetFix(ctx: RuleContext, p: ServicePort, groupCount: number, copies: Workload[], declared: ContainerPort[]): Fix[] {
  if (groupCount !== 1 || !p.targetPortLoc) return [];
  const candidates = declared.filter((cp) => cp.protocol === p.protocol);
  if (candidates.length !== 1) return [];
  const cp = candidates[0];
  const sameEverywhere = copies.every((c) => {
    const ports = declaredPorts(c).filter((x) => x.protocol === p.protocol);
    return ports.length === 1 && ports[0].containerPort === cp.containerPort && ports[0].name === cp.name;
  });
  if (!sameEverywhere) return [];
  const value = cp.name ?? cp.containerPort;
  return [
    {
      title: `Set targetPort to ${value}`,
      edits: [{ loc: p.targetPortLoc, newText: replacementScalar(ctx, p.targetPortLoc, value) }],
      preferred: true,
    },
  ];
}

function reportProtocol(
  ctx: RuleContext,
  s: Service,
  p: ServicePort,
  w: Workload,
  containerProtocol: string,
  containerPort: number,
  cpLoc: ServicePort['loc'],
): void {
  ctx.report({
    rule: 'service-protocol-mismatch',
    message: `${nameOf(s)} ${portLabel(s, p)} is ${p.protocol}, but container port ${containerPort} of ${nameOf(w)} is ${containerProtocol}. Set the same protocol on both.`,
    loc: p.loc ?? objectLoc(s),
    object: refOf(s),
    related: relatedAt(cpLoc, w, `container port ${containerPort}/${containerProtocol}`),
  });
}

export const statefulSetRules: Rule = {
  ids: ['statefulset-service-missing', 'statefulset-service-not-headless'],
  scope: 'namespace',
  run(ctx) {
    for (const w of ctx.scoped(ctx.model.workloads, (ns) => ctx.index.workloadsIn(ns))) {
      if (w.kind !== 'StatefulSet' || !w.serviceName) continue;
      const services = ctx.index.servicesNamed(w.namespace, w.serviceName);
      const at = w.serviceNameLoc ?? objectLoc(w);
      if (services.length === 0) {
        const governing = ctx.index.servicesSelecting(w).filter((s) => s.headless);
        const names = [...new Set(governing.map((s) => s.name))];
        const fixes: Fix[] =
          names.length === 1 && w.serviceNameLoc
            ? [{ title: `Set serviceName to ${names[0]}`, edits: [{ loc: w.serviceNameLoc, newText: replacementScalar(ctx, w.serviceNameLoc, names[0]) }], preferred: true }]
            : [];
        ctx.report({
          rule: 'statefulset-service-missing',
          message: `serviceName ${w.serviceName} of ${nameOf(w)} names no Service in namespace ${w.namespace}, so its Pods get no stable DNS names. ${names.length === 1 ? `The headless Service ${names[0]} selects its Pods: set serviceName to ${names[0]}.` : `Add a headless Service named ${w.serviceName} that selects its Pods.`}`,
          loc: at,
          object: refOf(w),
          fixes,
        });
      } else if (!services.some((s) => s.headless)) {
        const s = services[0];
        ctx.report({
          rule: 'statefulset-service-not-headless',
          message: `${nameOf(s)}, the governing Service of ${nameOf(w)}, is not headless, so the per-Pod DNS names (${w.name}-0.${s.name}) are not created. Set clusterIP: None on it (or use a separate headless Service as serviceName).`,
          loc: at,
          object: refOf(w),
          related: relatedAt(undefined, s, `${nameOf(s)} has ${s.clusterIP ? `clusterIP: ${s.clusterIP}` : 'a cluster IP'}`),
        });
      }
    }
  },
};
