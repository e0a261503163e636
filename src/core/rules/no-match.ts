// The shared report for "this selector matches nothing": names the near-miss
// workloads (and matches in other namespaces), and offers the one clear fix.
import { formatSelector } from '../model/selectors';
import type { Fix, RelatedLocation } from '../findings/types';
import type { LabelSelector, Loc, ObjectMeta } from '../model/types';
import { ALL_NAMESPACES, listing, nameOf, objectLoc, refOf, replacementScalar, type RuleContext } from './context';
import { describeNearMiss, nearMisses } from './near-miss';
import type { RuleId } from './catalogue';

export function reportSelectsNothing(
  ctx: RuleContext,
  rule: RuleId,
  subject: ObjectMeta,
  selector: LabelSelector,
  /** "Selector", "podSelector" */
  what: string,
  /** What it means, appended after the namespace: ", so it has no endpoints" */
  consequence: string,
): void {
  const ns = subject.namespace;
  const misses = nearMisses(ctx.index, ns, selector);
  const related: RelatedLocation[] = [];
  const fixes: Fix[] = [];
  let hint: string;
  if (misses.length > 0) {
    for (const m of misses) {
      const at = m.workload.podLabelsLoc ?? m.workload.origin.nameLoc;
      if (at && at.file) related.push({ loc: at, message: `${describeNearMiss(m)}` });
    }
    hint = `${listing(misses.map(describeNearMiss))}.`;
    const only = misses.length === 1 ? misses[0] : undefined;
    const valueLoc = only?.kind === 'value' ? selector.valueLocs?.[only.key] : undefined;
    if (only && only.kind === 'value' && only.actualValue !== undefined && valueLoc) {
      hint += ` Change the selector to ${only.key}=${only.actualValue} or fix the labels.`;
      fixes.push({
        title: `Change the selector to ${only.key}=${only.actualValue}`,
        edits: [{ loc: valueLoc, newText: replacementScalar(ctx, valueLoc, only.actualValue) }],
        preferred: true,
      });
    } else {
      hint += ' Fix the selector or the pod labels.';
    }
  } else {
    // The hint looks at every namespace.
    ctx.dependsOn(ns, ALL_NAMESPACES);
    const elsewhere: string[] = [];
    for (const other of ctx.index.knownNamespaces()) {
      if (other === ns) continue;
      const found = ctx.index.workloadsSelectedBy(other, selector);
      if (found.length > 0) elsewhere.push(nameOf(found[0]));
    }
    hint =
      elsewhere.length > 0
        ? `It matches ${listing(elsewhere)}, but selectors only reach Pods in their own namespace; move one of them or fix the selector.`
        : 'Fix the selector or add a workload whose pod template has these labels.';
  }
  const loc: Loc = selector.loc ?? objectLoc(subject);
  ctx.report({
    rule,
    message: `${what} ${formatSelector(selector)} of ${nameOf(subject)} matches no Pod in namespace ${ns}${consequence}. ${hint}`,
    loc,
    object: refOf(subject),
    related,
    fixes,
  });
}
