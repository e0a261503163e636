// What the editor says above and on a NetworkPolicy's egress rule: a "Trace
// egress" CodeLens per destination outside the cluster the rule names (each
// ipBlock, or any address when the rule names no peer) and port, traced from
// a Pod the policy selects; and the hover, which says what those traces say
// (and what the rule's `except` ranges get). Pure: the VS Code extension and
// the language server call these, each writing the result in its own way.
import type { ModelIndex } from '../model/model-index';
import type { NetworkPolicy, PolicyRule, Workload } from '../model/types';
import { coversEverything, parseCidr } from '../policy/ip';
import { markdownCode, markdownText } from '../text/markdown-safe';
import { traceRequest } from '../trace';
import type { TraceOptions, TraceVerdict } from '../trace/types';
import type { EgressTraceTarget, TraceProtocol } from '../../protocol';
import { egressTarget } from './pair-questions';
import { firstSelected } from './pod-rules';

/** Lenses per rule beyond which the rest are left to the hover. */
const MAX_LENSES_PER_RULE = 4;

export interface EgressRuleTrace {
  ruleIndex: number;
  /** "10.20.0.0/16 TCP/5432", "any address TCP/443": what the lens and the hover name. */
  destination: string;
  target: EgressTraceTarget;
  /** An `except` range of the rule (traced to show what the rule leaves out; no lens). */
  except?: boolean;
}

export interface EgressRuleLens {
  ruleIndex: number;
  title: string;
  tooltip: string;
  target: { egress: EgressTraceTarget };
}

/** The workload a policy's egress traces start from: the first one it selects (undefined: it selects none). */
export function egressSource(index: ModelIndex, policy: NetworkPolicy): Workload | undefined {
  return firstSelected(index, policy, 'egress');
}

/** The rule's destinations outside the cluster, each with a port (none: every port); nothing for a rule naming only Pods. */
export function egressRuleTraces(index: ModelIndex, policy: NetworkPolicy, ruleIndex: number): EgressRuleTrace[] {
  const rule = policy.egress[ruleIndex];
  const from = egressSource(index, policy);
  if (!rule || !from) return [];
  const ports = numberedPorts(rule);
  const out: EgressRuleTrace[] = [];
  const add = (cidr: string | undefined, shown: string, except: boolean) => {
    for (const p of ports) {
      const on = p ? ` ${p.protocol}/${p.port}` : ' every port';
      out.push({ ruleIndex, destination: `${shown}${on}`, target: { from: from.id, ...(cidr ? { cidr } : {}), ...(p ? { port: p.port, protocol: p.protocol } : {}) }, ...(except ? { except } : {}) });
    }
  };
  if (rule.peers.length === 0) add(undefined, 'any address', false);
  for (const peer of rule.peers) {
    const block = peer.ipBlock;
    if (!block || !parseCidr(block.cidr)) continue;
    const every = coversEverything(block) || parseCidr(block.cidr)!.prefix === 0;
    add(every ? undefined : block.cidr, every ? `any address${block.except.length > 0 ? ` (${block.cidr} except ${block.except.length === 1 ? block.except[0] : `${block.except.length} ranges`})` : ''}` : block.cidr, false);
    for (const x of block.except) if (parseCidr(x)) add(x, `${x} (except)`, true);
  }
  return out;
}

/** A rule's ports a trace can use: numbered ones (a named port means a Pod's, not an address outside); [undefined] for every port. */
function numberedPorts(rule: PolicyRule): ({ port: number; protocol: TraceProtocol } | undefined)[] {
  if (rule.ports.length === 0) return [undefined];
  return rule.ports.filter((p) => typeof p.port === 'number').map((p) => ({ port: p.port as number, protocol: p.protocol }));
}

/** The "Trace egress" lenses of a policy's rule (its `except` ranges are in the hover). */
export function egressRuleLenses(index: ModelIndex, policy: NetworkPolicy, ruleIndex: number): EgressRuleLens[] {
  const from = egressSource(index, policy);
  if (!from) return [];
  return egressRuleTraces(index, policy, ruleIndex)
    .filter((t) => !t.except)
    .slice(0, MAX_LENSES_PER_RULE)
    .map((t) => ({
      ruleIndex,
      title: `Trace egress to ${t.destination}`,
      tooltip: `Trace egress from a Pod of ${from.kind} ${from.namespace}/${from.name} to ${t.destination} in the Network Inspector`,
      target: { egress: t.target },
    }));
}

export type EgressMark = 'check' | 'warning' | 'error';

/**
 * The hover of an egress rule (Markdown without links): each destination the
 * rule names outside the cluster, traced from a Pod the policy selects, with
 * the verdict and why. Undefined when the rule names nothing outside.
 */
export function egressRuleHover(index: ModelIndex, policy: NetworkPolicy, ruleIndex: number, mark: (m: EgressMark) => string, options: Pick<TraceOptions, 'clusterDomain'> = {}): string | undefined {
  const traces = egressRuleTraces(index, policy, ruleIndex);
  const from = egressSource(index, policy);
  if (traces.length === 0 || !from) return undefined;
  const head = `**Egress rule ${ruleIndex}** of NetworkPolicy ${markdownCode(`${policy.namespace}/${policy.name}`)}, traced from a Pod of ${markdownText(from.kind)} ${markdownCode(`${from.namespace}/${from.name}`)}:`;
  const lines = traces.map((t) => {
    const found = egressTarget({ nodes: [], edges: [], sourceLabel: '' }, index, t.target);
    if (!found) return `- ${markdownText(t.destination)}: not traced`;
    const r = traceRequest(index.model, index, { ...found.options, ...options });
    return `- ${mark(MARKS[r.verdict])} ${markdownText(t.destination)}: **${VERDICT_WORDS[r.verdict]}**: ${markdownText(r.reason)}`;
  });
  return `${head}\n\n${lines.join('\n')}`;
}

const MARKS: Record<TraceVerdict, EgressMark> = { delivered: 'check', dropped: 'error', 'no-endpoints': 'error', unresolved: 'warning', redirected: 'check' };
const VERDICT_WORDS: Record<TraceVerdict, string> = { delivered: 'allowed', dropped: 'blocked', 'no-endpoints': 'no endpoints', unresolved: 'depends', redirected: 'redirected' };
