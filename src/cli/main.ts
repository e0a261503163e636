// `kni`: the command-line face of the core. Each subcommand parses its own
// flags; this file only dispatches and turns unexpected failures into exit 2.
import { OutputClosedError, type CliCommand, type CliIO } from './io';
import { safe, terminalSafe, terminalSafeBlock } from '../view-model/terminal-safe';
import { version } from '../../package.json';
import { didYouMean } from './suggest';

const USAGE = `kni ${version} — Kubernetes Network Inspector

Usage:
  kni lint [paths...] [--format text|json|sarif] [--namespace NS] [--config FILE]
  kni trace [paths...] (--to svc/NS/NAME[:PORT] | --to NAME[:PORT] | --url URL) [--from ...] [--format text|json]
  kni connectivity [paths...] [--from W] [--to W] [--all] [--format text|json]
  kni rules [--format text|json]
  kni lsp --stdio | --node-ipc
  kni --version

Run "kni <command> --help" for a command's options.
`;

// Each command's module loads only when it runs.
const commands: Record<string, () => Promise<CliCommand>> = {
  lint: async () => (await import('./lint')).runLint,
  trace: async () => (await import('./trace')).runTrace,
  connectivity: async () => (await import('./connectivity')).runConnectivity,
  rules: async () => (await import('./rules')).runRules,
  lsp: async () => (await import('./lsp')).runLsp,
};

export async function main(argv: string[], io: CliIO): Promise<number> {
  const [command, ...rest] = argv;
  if (command === '--version' || command === '-v') {
    io.stdout(`${version}\n`);
    return 0;
  }
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    io.stdout(USAGE);
    return command === undefined ? 2 : 0;
  }
  const load = commands[command];
  if (!load) {
    io.stderr(safe`kni: unknown command "${command}"` + `${didYouMean(terminalSafe(command), Object.keys(commands))}\n\n${USAGE}`);
    return 2;
  }
  const run = await load();
  return run(rest, io);
}

if (require.main === module) {
  // The reader went away (`kni connectivity | head`): stop writing, no stack trace.
  let stdoutClosed = false;
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code !== 'EPIPE' && e.code !== 'ERR_STREAM_DESTROYED') process.stderr.write(`kni: cannot write the output: ${e.message}\n`);
    stdoutClosed = true;
  });
  const io: CliIO = {
    stdout: (text) => {
      if (!stdoutClosed) process.stdout.write(text);
    },
    // Every message is written here: the last line of defence against control characters in it.
    stderr: (text) => process.stderr.write(terminalSafeBlock(text)),
    stdoutDrain: () => {
      if (stdoutClosed) return Promise.reject(new OutputClosedError('stdout closed'));
      if (!process.stdout.writableNeedDrain) return undefined;
      return new Promise<void>((resolve, reject) => {
        const done = () => {
          process.stdout.off('drain', done);
          process.stdout.off('error', done);
          process.stdout.off('close', done);
          if (stdoutClosed) reject(new OutputClosedError('stdout closed'));
          else resolve();
        };
        process.stdout.on('drain', done);
        process.stdout.on('error', done);
        process.stdout.on('close', done);
      });
    },
    isTTY: Boolean(process.stdout.isTTY),
    cwd: process.cwd(),
  };
  main(process.argv.slice(2), io).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      if (error instanceof OutputClosedError) return;
      io.stderr(`kni: internal error: ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
      process.exitCode = 2;
    },
  );
}
