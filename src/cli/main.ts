// `kni`: the command-line face of the core. Each subcommand parses its own
// flags; this file only dispatches and turns unexpected failures into exit 2.
import type { CliCommand, CliIO } from './io';
import { version } from '../../package.json';
import { didYouMean } from './suggest';

const USAGE = `kni ${version} — Kubernetes Network Inspector

Usage:
  kni lint [paths...] [--format text|json|sarif] [--namespace NS] [--config FILE]
  kni trace [paths...] (--to svc/NS/NAME[:PORT] | --url URL) [--from ...] [--format text|json]
  kni connectivity [paths...] [--format text|json]
  kni rules [--format text|json]
  kni --version

Run "kni <command> --help" for a command's options.
`;

// Each command's module loads only when it runs.
const commands: Record<string, () => Promise<CliCommand>> = {
  lint: async () => (await import('./lint')).runLint,
  trace: async () => (await import('./trace')).runTrace,
  connectivity: async () => (await import('./connectivity')).runConnectivity,
  rules: async () => (await import('./rules')).runRules,
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
    io.stderr(`kni: unknown command "${command}"${didYouMean(command, Object.keys(commands))}\n\n${USAGE}`);
    return 2;
  }
  const run = await load();
  return run(rest, io);
}

if (require.main === module) {
  const io: CliIO = {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    isTTY: Boolean(process.stdout.isTTY),
    cwd: process.cwd(),
  };
  main(process.argv.slice(2), io).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      io.stderr(`kni: internal error: ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
      process.exitCode = 2;
    },
  );
}
