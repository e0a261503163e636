// `kni connectivity [paths...] [--format text|json] [--namespace NS]`
//
// For every ordered pair of workloads (and "external" as a source), the ports
// the NetworkPolicies allow. JSON: [{"from","to","allowed": "all" | ["TCP/8080", ...],
// "conditional"?: {"ports", "conditions"}}] (with --cluster: {"unread", "notChecked",
// "entries": that list}); text: one line a pair.
// Exit codes: 0 done, 2 usage or I/O problems, 3 (--cluster) done on a partial
// read (pairs whose NetworkPolicies could not be read are only conditional).
import type { CliIO } from '../io';
import { connectivityMatrix, withUnreadPolicies, type ConnectivityEntry } from '../../core/policy';
import { InputError, loadSet } from '../trace/load';
import { MAX_FILE_SIZE_USAGE, parseMaxFileSize, scanArgs, UsageError } from '../args';
import { unknownOption } from '../suggest';
import { CLUSTER_USAGE, EXIT_PARTIAL, clusterModelForCli, parseClusterArgs } from '../cluster-args';
import { ModelIndex } from '../../core/model/model-index';
import type { NetworkModel } from '../../core/model/types';
import { partialReadLine, type PartialRead } from '../format/types';
import { partialJson } from '../format/json';

/** What the command may touch of the outside world (the CLI's one IO shape). */
export type ConnectivityIO = CliIO;

export const CONNECTIVITY_USAGE = `Usage: kni connectivity [paths...] [options]

For every ordered pair of workloads in paths (files, or directories searched
for .yaml/.yml/.json; all one set; default: .), and from an external client,
which ports the NetworkPolicies allow. Ports read "TCP/8080", "TCP/32000-32768",
"UDP/*" (every UDP port); "all" is every port of every protocol.
"external" is a client outside the cluster at an IPv4 address not known in
advance: ipBlock rules other than 0.0.0.0/0 allow it only conditionally.
Where the set cannot decide (a namespace whose labels it does not show, an
ipBlock), the ports allowed only under a condition are listed apart.

Options:
  --format text|json        output format (default: text)
  --namespace NS, -n NS     namespace of manifests without one (default: "default")
${MAX_FILE_SIZE_USAGE}
  --help, -h                show this help

A live cluster instead of files:
${CLUSTER_USAGE}
Exit codes: 0 done, 2 usage or I/O problems, 3 (--cluster) some resources could
not be read: where NetworkPolicies are unread nothing is allowed for certain,
only if the unread policies allow it (the output says so).
`;

export async function runConnectivity(argv: string[], io: ConnectivityIO): Promise<number> {
  const clusterArgs = parseClusterArgs(argv);
  if (clusterArgs.error) return usage(io, clusterArgs.error);
  argv = clusterArgs.rest;
  // Set inside the flag callback, so TypeScript must not narrow them to their initial values.
  let format = 'text' as 'text' | 'json';
  let namespace: string | undefined;
  let maxBytes: number | undefined;
  let help = false as boolean;
  let paths: string[];
  try {
    paths = scanArgs(argv, (flag, value) => {
      if (flag === '--help' || flag === '-h') help = true;
      else if (flag === '--format' || flag === '-f') {
        const v = value();
        if (v !== 'text' && v !== 'json') throw new UsageError(`--format "${v}": use text or json`);
        format = v;
      } else if (flag === '--namespace' || flag === '-n') namespace = value();
      else if (flag === '--max-file-size') maxBytes = parseMaxFileSize(value());
      else throw new UsageError(unknownOption(flag, CONNECTIVITY_USAGE));
    });
  } catch (e) {
    if (e instanceof UsageError) return usage(io, e.message);
    throw e;
  }
  if (help) {
    io.stdout(CONNECTIVITY_USAGE);
    return 0;
  }
  let set: { model: NetworkModel; index: ModelIndex };
  let partial: PartialRead | undefined;
  if (clusterArgs.cluster) {
    if (paths.length > 0) {
      io.stderr(`kni connectivity: --cluster reads the cluster, not files: drop the paths (${paths.join(' ')}) or --cluster\n`);
      return 2;
    }
    const loaded = await clusterModelForCli('connectivity', clusterArgs.cluster, io.stderr);
    if (!loaded) return 2;
    set = { model: loaded.model, index: new ModelIndex(loaded.model) };
    partial = { unread: loaded.unread, notChecked: [] };
  } else {
    try {
      const files = loadSet(io.cwd, paths, namespace, maxBytes);
      for (const p of files.problems) io.stderr(`kni connectivity: warning: ${p} (the rest of the set is used)\n`);
      set = files;
    } catch (e) {
      if (e instanceof InputError) {
        io.stderr(`kni connectivity: ${e.message}\n`);
        return 2;
      }
      throw e;
    }
  }
  const incomplete = partialReadLine(partial);
  // Where policies could not be read, the pair's answer is only conditional.
  const entryOf = (e: ConnectivityEntry): ConnectivityEntry => (partial ? withUnreadPolicies(set.model, e) : e);
  if (incomplete) io.stderr(`kni connectivity: ${incomplete}\n`);
  const matrix = connectivityMatrix(set.model, set.index);
  // Streamed in chunks: thousands of workloads make millions of pairs.
  let buffer = '';
  const write = (text: string) => {
    buffer += text;
    if (buffer.length > 1 << 20) {
      io.stdout(buffer);
      buffer = '';
    }
  };
  let count = 0;
  if (format === 'json') {
    // A live cluster's answer says first what could not be read: {"unread", "notChecked", "entries": [...]}.
    const head = partial ? `{\n"unread": ${JSON.stringify(partialJson(partial).unread)},\n"notChecked": [],\n"entries": ` : '';
    write(`${head}[`);
    for (const e of matrix.entries()) write(`${count++ === 0 ? '\n  ' : ',\n  '}${JSON.stringify(entryOf(e))}`);
    write(count === 0 ? ']' : '\n]');
    write(partial ? '\n}\n' : '\n');
  } else {
    for (const e of matrix.entries()) {
      write(`${formatEntry(entryOf(e))}\n`);
      count++;
    }
    if (count === 0) write('no workloads in the set\n');
    if (incomplete) write(`${incomplete}\n`);
  }
  if (buffer) io.stdout(buffer);
  return incomplete ? EXIT_PARTIAL : 0;
}

function usage(io: ConnectivityIO, message: string): number {
  io.stderr(`kni connectivity: ${message}\n\n${CONNECTIVITY_USAGE}`);
  return 2;
}

export function formatEntry(e: ConnectivityEntry): string {
  const allowed = e.allowed === 'all' ? 'all' : e.allowed.length === 0 ? 'none' : e.allowed.join(', ');
  let line = `${e.from} -> ${e.to}: ${allowed}`;
  if (e.conditional) {
    const ports = e.conditional.ports === 'all' ? 'all' : e.conditional.ports.join(', ');
    line += ` (${ports} if ${e.conditional.conditions.join('; or ')})`;
  }
  return line;
}
