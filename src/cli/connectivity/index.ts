// `kni connectivity [paths...] [--format text|json] [--namespace NS]`
//
// For every ordered pair of workloads (and "external" as a source), the ports
// the NetworkPolicies allow. JSON: [{"from","to","allowed": "all" | ["TCP/8080", ...],
// "conditional"?: {"ports", "conditions"}}]; text: one line a pair.
// Exit codes: 0 done, 2 usage or I/O problems.
import type { CliIO } from '../io';
import { connectivityMatrix, type ConnectivityEntry } from '../../core/policy';
import { InputError, loadSet } from '../trace/load';
import { scanArgs, UsageError } from '../args';
import { unknownOption } from '../suggest';

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
  --help, -h                show this help

Exit codes: 0 done, 2 usage or I/O problems.
`;

export async function runConnectivity(argv: string[], io: ConnectivityIO): Promise<number> {
  // Set inside the flag callback, so TypeScript must not narrow them to their initial values.
  let format = 'text' as 'text' | 'json';
  let namespace: string | undefined;
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
  let set;
  try {
    set = loadSet(io.cwd, paths, namespace);
  } catch (e) {
    if (e instanceof InputError) {
      io.stderr(`kni connectivity: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
  for (const p of set.problems) io.stderr(`kni connectivity: warning: ${p} (the rest of the set is used)\n`);
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
    write('[');
    for (const e of matrix.entries()) write(`${count++ === 0 ? '\n  ' : ',\n  '}${JSON.stringify(e)}`);
    write(count === 0 ? ']\n' : '\n]\n');
  } else {
    for (const e of matrix.entries()) {
      write(`${formatEntry(e)}\n`);
      count++;
    }
    if (count === 0) write('no workloads in the set\n');
  }
  if (buffer) io.stdout(buffer);
  return 0;
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
