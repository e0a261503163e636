// `kni connectivity [paths...] [--from W] [--to W] [--all] [--format text|json] [--namespace NS]`
//
// Which ports the NetworkPolicies allow between workloads (and from an
// external client). By default the allowed connections only, by group
// (workloads with the same answers against everyone share one line); --from /
// --to focus on one workload; --all lists every ordered pair, denied ones too.
// Output is streamed with back-pressure: thousands of workloads make millions
// of pairs, never held in memory at once.
// With --cluster, a partial read names what could not be read (JSON "unread" and
// "notChecked", a text line), and pairs whose NetworkPolicies are unread are only
// conditional (listed pair by pair, not grouped).
// Exit codes: 0 done, 2 usage or I/O problems, 3 (--cluster) done on a partial read.
import { OutputClosedError, type CliIO } from '../io';
import { connectivityMatrix, EXTERNAL, PortSet, withUnreadPolicies, type ConnectivityEntry, type ConnectivityMatrix, type TierDecision } from '../../core/policy';
import { jsonTerminalSafe, terminalSafe } from '../../view-model/terminal-safe';
import { loadCommandSet } from '../trace/load';
import { emptyRenderFlags, RENDER_USAGE, takeRenderFlag, type RenderFlags } from '../renders';
import { DEFAULT_NAMESPACE } from '../../core/config/facts';
import { MAX_FILE_SIZE_USAGE, parseMaxFileSize, parseNamespace, scanArgs, UsageError } from '../args';
import { unknownOption } from '../suggest';
import { StreamedOutput } from '../output';
import { CLUSTER_USAGE, EXIT_PARTIAL, parseClusterArgs } from '../cluster-args';
import { partialReadLine, type PartialRead } from '../format/types';
import { partialJson } from '../format/json';

/** What the command may touch of the outside world (the CLI's one IO shape). */
export type ConnectivityIO = CliIO;

/**
 * The JSON output's `version`. 4: `decidedBy` names the default ({"tier":
 * "default", "action": "Allow"} without a policy); 3: `conditional` clauses.
 */
export const CONNECTIVITY_JSON_VERSION = 4;

export const CONNECTIVITY_USAGE = `Usage: kni connectivity [paths...] [options]

Which ports the NetworkPolicies allow between the workloads in paths (files,
or directories searched for .yaml/.yml/.json; all one set; default: .), and
from an external client, and from each workload to outside the cluster. By
default only the allowed connections are listed
(every pair not listed is denied), by group: workloads that get the same
answers against everyone, in both directions, form one group, listed once
with its members.

Ports read "TCP/80,443,32000-32768 UDP/*" in text (one word per protocol; "*"
every port of it) and "TCP/8080", "TCP/32000-32768", "UDP/*" in JSON; "all" is
every port of every protocol. "external" is a client outside the cluster at an
IPv4 address not known in advance: ipBlock rules other than 0.0.0.0/0 allow it
only conditionally. Where the set cannot decide (a namespace whose labels it
does not show, an ipBlock), the ports allowed only under conditions are listed
apart, each set with the conditions it needs, all of them together (text:
"(TCP/8080 if A; all if B and C)"; JSON: "conditional": [{"ports", "if"}]), and
such a pair is listed even when nothing is allowed for sure.
As a destination, "external" is an address outside the cluster not known in
advance, and each address range an egress ipBlock names (its cidr and its
except blocks, e.g. "10.0.0.0/8") is a destination of its own: the ports
allowed to every address of it, and conditionally those allowed to some.

AdminNetworkPolicies and the BaselineAdminNetworkPolicy (and ClusterNetworkPolicies)
decide around NetworkPolicy in the API's order, as in kni trace; the line then
ends with what decided its ports in brackets (JSON: "decidedBy"): the admin
rules, NetworkPolicy's rules and isolation, the baseline's rules, and "by
default" for the ports no policy of any tier decided (Kubernetes allows them).

Options:
  --from WORKLOAD           only connections from this workload (NS/KIND/NAME,
                            e.g. shop/Deployment/web; or external), one line
                            per destination workload
  --to WORKLOAD             only connections to this workload (NS/KIND/NAME),
                            or to external, or to an address range an egress
                            ipBlock names (e.g. 10.0.0.0/8)
  --all                     every ordered pair, denied ones too ("none"), one
                            line each, ungrouped (large: n x n lines)
  --format text|json        output format (default: text)
  --namespace NS, -n NS     namespace of manifests without one (default: "${DEFAULT_NAMESPACE}")
${MAX_FILE_SIZE_USAGE}
  --help, -h                show this help

${RENDER_USAGE}
A live cluster instead of files:
${CLUSTER_USAGE}
Exit codes: 0 done, 2 usage or I/O problems, 3 (--cluster) some resources could
not be read: where NetworkPolicies are unread nothing is allowed for certain,
only if the unread policies allow it (the output says so).
`;

interface Options {
  paths: string[];
  format: 'text' | 'json';
  namespace?: string;
  from?: string;
  to?: string;
  all: boolean;
  maxBytes?: number;
  render: RenderFlags;
  help: boolean;
}

function parseArgs(argv: string[]): Options {
  const opts: Options = { paths: [], format: 'text', all: false, help: false, render: emptyRenderFlags() };
  opts.paths = scanArgs(argv, (flag, value) => {
    if (takeRenderFlag(flag, value, opts.render)) return;
    if (flag === '--help' || flag === '-h') opts.help = true;
    else if (flag === '--format' || flag === '-f') {
      const v = value();
      if (v !== 'text' && v !== 'json') throw new UsageError(`--format "${v}": use text or json`);
      opts.format = v;
    } else if (flag === '--namespace' || flag === '-n') opts.namespace = parseNamespace(value());
    else if (flag === '--from') opts.from = value();
    else if (flag === '--to') opts.to = value();
    else if (flag === '--all') opts.all = true;
    else if (flag === '--max-file-size') opts.maxBytes = parseMaxFileSize(value());
    else throw new UsageError(unknownOption(flag, CONNECTIVITY_USAGE));
  });
  return opts;
}

export async function runConnectivity(argv: string[], io: ConnectivityIO): Promise<number> {
  const clusterArgs = parseClusterArgs(argv);
  if (clusterArgs.error) return usage(io, clusterArgs.error);
  let opts: Options;
  try {
    opts = parseArgs(clusterArgs.rest);
  } catch (e) {
    if (e instanceof UsageError) return usage(io, e.message);
    throw e;
  }
  if (opts.help) {
    io.stdout(CONNECTIVITY_USAGE);
    return 0;
  }
  const set = await loadCommandSet('connectivity', io, clusterArgs.cluster, { paths: opts.paths, namespace: opts.namespace, render: opts.render, maxBytes: opts.maxBytes });
  if (!set) return 2;
  const partial = set.partial;
  const incomplete = partialReadLine(partial);
  if (incomplete) io.stderr(`kni connectivity: ${terminalSafe(incomplete)}\n`);
  const matrix = connectivityMatrix(set.model, set.index);
  // Where policies could not be read, a pair's answer is only conditional, and
  // pairs are no longer alike by their policies: no grouping then.
  const model = set.model;
  const view: View = {
    entryOf: incomplete ? (e) => withUnreadPolicies(model, e) : (e) => e,
    partial,
  };
  let focus: { from?: string; to?: string };
  try {
    focus = {
      ...(opts.from !== undefined ? { from: resolveWorkload(matrix, '--from', opts.from, true) } : {}),
      ...(opts.to !== undefined ? { to: resolveWorkload(matrix, '--to', opts.to, false) } : {}),
    };
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr(`kni connectivity: ${terminalSafe(e.message)}\n`);
      return 2;
    }
    throw e;
  }
  const out = new StreamedOutput(io);
  try {
    if (focus.from !== undefined || focus.to !== undefined) await writeFocused(matrix, focus, opts, out, view);
    else if (opts.all || incomplete) await writeAll(matrix, opts.format, out, view, opts.all);
    else await writeGrouped(matrix, opts.format, out, view);
    if (incomplete && opts.format === 'text') out.write(`${terminalSafe(incomplete)}\n`);
    await out.flush();
  } catch (e) {
    // The reader closed the pipe: what it did not read is not wanted.
    if (e instanceof OutputClosedError) return incomplete ? EXIT_PARTIAL : 0;
    throw e;
  }
  return incomplete ? EXIT_PARTIAL : 0;
}

/** How entries are shown: on a partial read, conditional where policies are unread. */
interface View {
  entryOf: (e: ConnectivityEntry) => ConnectivityEntry;
  partial?: PartialRead;
}

/** With --cluster, the JSON fields that say what could not be read (empty lists on a complete read). */
function partialFields(view: View): string {
  if (!view.partial) return '';
  const p = partialJson(view.partial);
  return `  "unread": ${jsonTerminalSafe(JSON.stringify(p.unread))},\n  "notChecked": ${jsonTerminalSafe(JSON.stringify(p.notChecked))},\n`;
}

function usage(io: ConnectivityIO, message: string): number {
  io.stderr(`kni connectivity: ${terminalSafe(message)}\n\n${CONNECTIVITY_USAGE}`);
  return 2;
}

/** NS/KIND/NAME (the kind in any case; "workload/" in front as kni trace writes it), or NS/NAME when one workload has that name. */
function resolveWorkload(matrix: ConnectivityMatrix, flag: string, text: string, asSource: boolean): string {
  if (text === EXTERNAL) return EXTERNAL;
  if (/^[0-9a-fA-F:.]+\/\d+$/.test(text)) {
    if (!asSource && matrix.externalDestinations.includes(text)) return text;
    const ranges = matrix.externalDestinations.slice(1);
    throw new UsageError(
      asSource
        ? `${flag} ${text}: an address range is a destination only (a client outside the cluster is --from external)`
        : `${flag} ${text}: no egress ipBlock names this range (${ranges.length > 0 ? `ranges: ${ranges.join(', ')}` : 'none is named'}); use --to external for any address outside the cluster`,
    );
  }
  const ref = text.replace(/^workload\//, '');
  const keys = matrix.workloads.map((w) => ({ key: `${w.namespace}/${w.kind}/${w.name}`, w }));
  // NS/KIND/NAME first, then NS/NAME; a name is everything after the separators.
  let found = keys.filter(({ w }) => ref.toLowerCase() === `${w.namespace}/${w.kind}/${w.name}`.toLowerCase() && ref.endsWith(`/${w.name}`) && ref.startsWith(`${w.namespace}/`));
  if (found.length === 0) found = keys.filter(({ w }) => ref === `${w.namespace}/${w.name}`);
  if (found.length === 1) return found[0].key;
  if (found.length > 1) throw new UsageError(`${flag} "${text}": several workloads are named so (${found.map((k) => k.key).join(', ')}); name the kind: NS/KIND/NAME`);
  const name = ref.slice(ref.lastIndexOf('/') + 1);
  const same = keys.filter(({ w }) => w.name === name).map((k) => k.key);
  const hint = same.length > 0 ? ` (workloads named ${name}: ${same.slice(0, 5).join(', ')}${same.length > 5 ? ', …' : ''})` : '';
  throw new UsageError(`${flag} "${text}": no such workload in the set${hint}; write NS/KIND/NAME, e.g. shop/Deployment/web`);
}

/** A pair is listed by default unless it is denied for certain. */
function listed(e: ConnectivityEntry): boolean {
  return e.allowed === 'all' || e.allowed.length > 0 || e.conditional !== undefined;
}

/** Writes the pieces of a JSON array, one element a line, flushing as chunks fill. */
async function writeJsonArray(out: StreamedOutput, items: Iterable<unknown>): Promise<void> {
  let first = true;
  for (const item of items) {
    out.write(`${first ? '\n    ' : ',\n    '}${jsonTerminalSafe(JSON.stringify(item))}`);
    first = false;
    if (out.full) await out.flush();
  }
  out.write(first ? ']' : '\n  ]');
}

async function writeGrouped(matrix: ConnectivityMatrix, format: 'text' | 'json', out: StreamedOutput, view: View): Promise<void> {
  const grouped = matrix.grouped();
  const { groups } = grouped;
  const allowed = (function* () {
    for (const e of grouped.connections()) if (listed(e)) yield e;
  })();
  if (format === 'json') {
    out.write(`{\n  "version": ${CONNECTIVITY_JSON_VERSION},\n  "listing": "allowed",\n  "denied": "every pair not listed in connections",\n${partialFields(view)}  "workloads": ${matrix.workloads.length},\n  "groups": [`);
    await writeJsonArray(out, groups);
    out.write(',\n  "connections": [');
    await writeJsonArray(out, allowed);
    out.write('\n}\n');
    return;
  }
  if (matrix.workloads.length === 0) {
    out.write('no workloads in the set\n');
    return;
  }
  const many = groups.filter((g) => g.members.length > 1);
  out.write(`# Allowed connections between ${count(matrix.workloads.length, 'workload')}, from an external client and to outside the cluster${outsideText(matrix)}; every pair not listed is denied.\n`);
  if (many.length > 0) {
    out.write(`# Workloads that get the same answers against everyone, in both directions, form a group; "G1 -> G1" is each member to each member, itself included.\n`);
  }
  // Text names a one-workload group by its workload, a larger one by its id.
  const label = (id: string) => {
    // Group ids are "G<n>"; anything else is outside the cluster ("external" or an address range).
    const g = /^G\d+$/.test(id) ? groups[Number(id.slice(1)) - 1] : undefined;
    if (!g) return id === EXTERNAL ? id : terminalSafe(id);
    return g.members.length === 1 ? terminalSafe(g.members[0]) : g.id;
  };
  if (many.length > 0) {
    out.write(`\ngroups (${many.length} of ${groups.length} have more than one workload):\n`);
    for (const g of many) {
      out.write(`  ${g.id} (${count(g.members.length, 'workload')}):\n`);
      for (const m of g.members) {
        out.write(`    ${terminalSafe(m)}\n`);
        if (out.full) await out.flush();
      }
    }
    out.write('\n');
  }
  let lines = 0;
  for (const e of allowed) {
    out.write(`${formatEntry({ ...e, from: label(e.from), to: label(e.to) })}\n`);
    lines++;
    if (out.full) await out.flush();
  }
  if (lines === 0) out.write('no connection is allowed\n');
}

/** Every pair (`all`), or the pairs not denied for certain, ungrouped. */
async function writeAll(matrix: ConnectivityMatrix, format: 'text' | 'json', out: StreamedOutput, view: View, all: boolean): Promise<void> {
  const entries = (function* () {
    for (const e of matrix.entries()) {
      const shown = view.entryOf(e);
      if (all || listed(shown)) yield shown;
    }
  })();
  if (format === 'json') {
    const denied = all ? '' : '  "denied": "every pair not listed in connections",\n';
    out.write(`{\n  "version": ${CONNECTIVITY_JSON_VERSION},\n  "listing": "${all ? 'all' : 'allowed'}",\n${denied}${partialFields(view)}  "workloads": ${matrix.workloads.length},\n  "connections": [`);
    await writeJsonArray(out, entries);
    out.write('\n}\n');
    return;
  }
  if (matrix.workloads.length === 0) {
    out.write('no workloads in the set\n');
    return;
  }
  out.write(
    all
      ? `# Every ordered pair of ${count(matrix.workloads.length, 'workload')}, from an external client first, and each workload to outside the cluster${outsideText(matrix)}; "none" is denied.\n`
      : `# Connections between ${count(matrix.workloads.length, 'workload')}, from an external client and to outside the cluster${outsideText(matrix)}, that are not denied for certain, pair by pair; every pair not listed is denied.\n`,
  );
  for (const e of entries) {
    out.write(`${formatEntry(e, terminalSafe)}\n`);
    if (out.full) await out.flush();
  }
}

async function writeFocused(matrix: ConnectivityMatrix, focus: { from?: string; to?: string }, opts: Options, out: StreamedOutput, view: View): Promise<void> {
  const { from, to } = focus;
  // One pair asked for is always answered, denied or not.
  const entries: Iterable<ConnectivityEntry> =
    from !== undefined && to !== undefined ? [matrix.between(from, to)!] : from !== undefined ? matrix.from(from) : matrix.to(to!);
  const single = from !== undefined && to !== undefined;
  const shown = (function* () {
    for (const raw of entries) {
      const e = view.entryOf(raw);
      if (single || opts.all || listed(e)) yield e;
    }
  })();
  if (opts.format === 'json') {
    const listing = single || opts.all ? 'all' : 'allowed';
    out.write(`{\n  "version": ${CONNECTIVITY_JSON_VERSION},\n  "listing": "${listing}",\n  "focus": ${jsonTerminalSafe(JSON.stringify({ ...(from !== undefined ? { from } : {}), ...(to !== undefined ? { to } : {}) }))},\n`);
    if (listing === 'allowed') out.write('  "denied": "every pair not listed in connections",\n');
    out.write(partialFields(view));
    out.write(`  "workloads": ${matrix.workloads.length},\n  "connections": [`);
    await writeJsonArray(out, shown);
    out.write('\n}\n');
    return;
  }
  if (!single) {
    const what = from !== undefined ? `from ${terminalSafe(from)}` : `to ${terminalSafe(to!)}`;
    out.write(opts.all ? `# Connections ${what}, each workload; "none" is denied.\n` : `# Allowed connections ${what}; every workload not listed is denied.\n`);
  }
  let lines = 0;
  for (const e of shown) {
    out.write(`${formatEntry(e, terminalSafe)}\n`);
    lines++;
    if (out.full) await out.flush();
  }
  if (lines === 0) out.write('no connection is allowed\n');
}

/** " (external, 10.0.0.0/8)": the destinations outside the cluster. */
function outsideText(matrix: ConnectivityMatrix): string {
  return ` (${matrix.externalDestinations.map(terminalSafe).join(', ')})`;
}

function count(n: number, word: string): string {
  return `${n.toLocaleString('en')} ${word}${n === 1 ? '' : 's'}`;
}

/**
 * "from -> to: TCP/80,443 UDP/53 (TCP/8080 if A; all if B and C)": the ports
 * allowed for certain, then each set of more ports with the conditions it
 * needs; `name` escapes workload names for a terminal.
 */
export function formatEntry(e: ConnectivityEntry, name: (text: string) => string = (t) => t): string {
  let line = `${name(e.from)} -> ${name(e.to)}: ${PortSet.parse(e.allowed).formatCompact()}`;
  if (e.conditional) line += ` (${e.conditional.map((c) => `${PortSet.parse(c.ports).formatCompact()} if ${c.if.map(terminalSafe).join(' and ')}`).join('; ')})`;
  if (e.decidedBy) line += ` [${e.decidedBy.map(formatDecision).join('; ')}]`;
  return line;
}

/**
 * `ingress: Deny TCP/80 by AdminNetworkPolicy ingress-tcp (priority 3) ingress[2] "deny-80"`,
 * `ingress: Allow TCP/8080 by NetworkPolicy shop/api-in ingress[0]`,
 * `ingress: Deny TCP/1-8079,8081-65535 UDP/* SCTP/* by NetworkPolicy shop/api-in (isolates it; no rule allows them)`,
 * `egress: Allow all by default` (no policy of any tier decided those ports).
 */
function formatDecision(d: TierDecision): string {
  if (d.tier === 'default') return `${d.direction}: Allow ${PortSet.parse(d.ports).formatCompact()} by default`;
  const prio = d.priority !== undefined ? ` (priority ${d.priority})` : '';
  const ports = PortSet.parse(d.ports).formatCompact();
  const rule = d.rule !== undefined ? ` ${d.direction}[${d.rule}]${d.ruleName ? ` "${terminalSafe(d.ruleName)}"` : ''}` : ` (${d.policy.includes(',') ? 'isolate' : 'isolates'} it; no rule allows them)`;
  return `${d.direction}: ${d.action} ${ports} by ${d.kind} ${terminalSafe(d.policy)}${prio}${rule}`;
}
