// A rule: a function over the model that reports through the context.
//
// `scope` tells the incremental engine what a rule's findings depend on:
//   'namespace'  a finding about a subject in namespace N depends only on
//                objects in N (and the configuration), or also on the other
//                namespaces the rule declares with ctx.dependsOn(N, other);
//                in those it may read only their label view (the kinds,
//                names and pod labels of their workloads, their labels,
//                whether they are declared: ModelIndex.labelViewToken), so a
//                change there that leaves the view alone re-checks nothing
//                in N; the rule checks only the subjects of the scoped
//                namespaces (ctx.scoped / ctx.inScope).
//   'global'     findings may depend on objects anywhere (cluster-scoped
//                objects, cross-namespace references); re-run on every change.
import type { RuleId } from './catalogue';
import type { RuleContext } from './context';

export interface Rule {
  /** The rule ids it can report. */
  ids: readonly RuleId[];
  scope: 'namespace' | 'global';
  run(ctx: RuleContext): void;
}
