// `kni lsp --stdio | --node-ipc`: the language server (src/server) on the
// process's standard streams or on Node's IPC channel (a client that forks
// the server, as vscode-languageclient's TransportKind.ipc does).
import type { CliCommand } from './io';

const HELP = `Usage: kni lsp --stdio | --node-ipc

Runs kni as a Language Server Protocol server for any editor: diagnostics,
hovers and quick fixes for the manifests of the workspace folders the client
names, with their .kni.yaml and the client's kni.* settings; the inspector's
graph and traces, and a live cluster (kni/* requests, see src/protocol/lsp.ts).
  --stdio      speak LSP on standard input and output
  --node-ipc   speak LSP on Node's IPC channel (the client forked this process)
  --clientProcessId=PID   the client's process: the server exits when it is gone
Helm charts and Kustomize overlays are rendered, and a kubeconfig is read (its
credential plugins run), only when the client declares the workspace trusted
(initializationOptions: { trusted: true }).
`;

export const runLsp: CliCommand = async (args, io) => {
  if (args.includes('--help') || args.includes('-h')) {
    io.stdout(HELP);
    return 0;
  }
  // vscode-languageclient appends --clientProcessId=PID; createConnection reads it from the command line.
  const rest = args.filter((a) => !/^--clientProcessId=\d+$/.test(a));
  const transport = rest.length === 1 && (rest[0] === '--stdio' || rest[0] === '--node-ipc') ? rest[0] : undefined;
  if (!transport) {
    io.stderr(`kni lsp: ${rest.length === 0 ? 'name the transport' : `unexpected arguments "${rest.join(' ')}"`}: --stdio or --node-ipc\n\n${HELP}`);
    return 2;
  }
  if (transport === '--node-ipc' && !process.send) {
    io.stderr('kni lsp: --node-ipc needs an IPC channel: start this process with child_process.fork, or use --stdio\n');
    return 2;
  }
  const { createConnection, ProposedFeatures } = await import('vscode-languageserver/node');
  const { startServer } = await import('../server/server');
  // createConnection reads the transport from the command line (--stdio, --node-ipc).
  const connection = createConnection(ProposedFeatures.all);
  startServer(connection);
  // The connection owns the process from here: it ends on the client's exit notification or when the input closes.
  return new Promise<number>(() => undefined);
};
