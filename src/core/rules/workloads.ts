// Workload and container rules.
import { formatLabels, formatSelector, isEmptySelector, requirementMatches } from '../model/selectors';
import type { ContainerPort, Workload } from '../model/types';
import { nameOf, objectLoc, refOf, relatedAt, SUBJECT_ONLY, type RuleContext } from './context';
import { describePorts, invalidPortName, validPortNumber } from './ports';
import type { Rule } from './rule';

export const workloadRules: Rule = {
  ids: ['workload-selector-mismatch', 'probe-port-missing', 'container-port-invalid'],
  scope: 'namespace',
  run(ctx) {
    for (const w of ctx.scoped(ctx.model.workloads, (ns) => ctx.index.workloadsIn(ns))) {
      ctx.cached('workload', w, SUBJECT_ONLY, () => checkWorkload(ctx, w));
    }
  },
};

/** Everything here reads only the workload itself (so it is cached per workload object). */
function checkWorkload(ctx: RuleContext, w: Workload): void {
  // The API checks the real labels: ignoreLabelKeys does not apply here.
  if (w.selector && !isEmptySelector(w.selector) && w.origin.source === 'manifest') {
    const labels = w.podLabels;
    const failing: string[] = [];
    for (const [k, v] of Object.entries(w.selector.matchLabels)) {
      if (labels[k] !== v || !Object.prototype.hasOwnProperty.call(labels, k)) {
        failing.push(Object.prototype.hasOwnProperty.call(labels, k) ? `${k}=${v} (the template has ${k}=${labels[k]})` : `${k}=${v} (the template has no ${k})`);
      }
    }
    for (const r of w.selector.matchExpressions) {
      if (!requirementMatches(r, labels)) failing.push(formatSelector({ matchLabels: {}, matchExpressions: [r] }));
    }
    if (failing.length > 0) {
      ctx.report({
        rule: 'workload-selector-mismatch',
        message: `spec.selector ${formatSelector(w.selector)} of ${nameOf(w)} does not match its own pod template labels (${formatLabels(labels)}): ${failing.join('; ')}. The API server rejects it; make the selector and the template labels agree.`,
        loc: w.selector.loc ?? objectLoc(w),
        object: refOf(w),
        related: relatedAt(w.podLabelsLoc, w, 'the pod template labels'),
      });
    }
  }

  const podNames = new Map<string, ContainerPort>();
  for (const c of w.containers) {
    for (const p of c.ports) {
      const at = p.loc ?? c.loc ?? objectLoc(w);
      if (!validPortNumber(p.containerPort)) {
        ctx.report({
          rule: 'container-port-invalid',
          message: `containerPort ${p.containerPort} of container ${c.name} in ${nameOf(w)} is out of range; it must be 1-65535.`,
          loc: at,
          object: refOf(w),
        });
      }
      if (p.name === undefined) continue;
      const why = invalidPortName(p.name);
      if (why) {
        ctx.report({
          rule: 'container-port-invalid',
          message: `Port name "${p.name}" of container ${c.name} in ${nameOf(w)} is not valid: ${why}. The API server rejects it.`,
          loc: p.nameLoc ?? at,
          object: refOf(w),
        });
      } else if (podNames.has(p.name)) {
        const first = podNames.get(p.name) as ContainerPort;
        ctx.report({
          rule: 'container-port-invalid',
          message: `Port name "${p.name}" is used twice in the pod of ${nameOf(w)} (ports ${first.containerPort} and ${p.containerPort}); names must be unique within a Pod. Rename one.`,
          loc: p.nameLoc ?? at,
          object: refOf(w),
          related: relatedAt(first.nameLoc, w, `port ${first.containerPort} is also named ${p.name}`),
        });
      } else {
        podNames.set(p.name, p);
      }
    }
  }

  for (const c of w.containers) {
    for (const probe of c.probes) {
      const at = probe.loc ?? c.loc ?? objectLoc(w);
      const what = () => `The ${probe.probe} probe (${probe.handler}) of container ${c.name} in ${nameOf(w)}`;
      if (typeof probe.port === 'string') {
        if (/^[0-9]+$/.test(probe.port)) continue;
        if (c.ports.some((p) => p.name === probe.port)) continue;
        ctx.report({
          rule: 'probe-port-missing',
          severity: 'error',
          message: `${what()} uses port ${probe.port}, which the container does not declare (it declares ${describePorts(c.ports)}), so the probe always fails. Name the container port ${probe.port} or use its number.`,
          loc: at,
          object: refOf(w),
          related: relatedAt(c.loc, w, `container ${c.name}`),
        });
      } else if (!c.ports.some((p) => p.containerPort === probe.port)) {
        ctx.report({
          rule: 'probe-port-missing',
          severity: 'warning',
          message: `${what()} checks port ${probe.port}, which the container does not declare (it declares ${describePorts(c.ports)}). If the container listens there, declare it; otherwise fix the probe's port.`,
          loc: at,
          object: refOf(w),
          related: relatedAt(c.loc, w, `container ${c.name}`),
        });
      }
    }
  }
}
