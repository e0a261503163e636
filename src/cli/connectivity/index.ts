// `kni connectivity [paths...] [--format text|json] [--namespace NS]`
//
// For every ordered pair of workloads (and "external" as a source), the ports
// the NetworkPolicies allow. JSON: [{"from","to","allowed": "all" | ["TCP/8080", ...],
// "conditional"?: {"ports", "conditions"}}]; text: one line a pair.
// Exit codes: 0 done, 2 usage or I/O problems.
import type { CliIO } from '../io';
import { connectivityMatrix, type ConnectivityEntry } from '../../core/policy';
import { InputError, loadSet } from '../trace/load';

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
  const paths: string[] = [];
  let format: 'text' | 'json' = 'text';
  let namespace: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('-') || arg === '-') {
      paths.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const flag = eq > 0 ? arg.slice(0, eq) : arg;
    const inline = eq > 0 ? arg.slice(eq + 1) : undefined;
    const value = (): string | undefined => {
      const v = inline ?? argv[i + 1];
      if (v === undefined || (inline === undefined && v.startsWith('-'))) return undefined;
      if (inline === undefined) i++;
      return v;
    };
    if (flag === '--help' || flag === '-h') {
      io.stdout(CONNECTIVITY_USAGE);
      return 0;
    }
    if (flag === '--format' || flag === '-f') {
      const v = value();
      if (v !== 'text' && v !== 'json') return usage(io, v === undefined ? `${flag} needs a value` : `--format "${v}": use text or json`);
      format = v;
    } else if (flag === '--namespace' || flag === '-n') {
      const v = value();
      if (v === undefined) return usage(io, `${flag} needs a value`);
      namespace = v;
    } else return usage(io, `unknown option ${flag}`);
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
