// The test API server as a process, for the editor integration tests, the
// benchmark and manual use:
//
//   node test/k8s-api-server/serve.mjs --fixtures DIR|FILE.json [--port N] [--token T]
//        [--disable-group discovery.k8s.io] [--no-gzip]
//
// Prints one JSON line on stdout when ready: {url, port, token, caFile,
// kubeconfigPath}; then `KUBECONFIG=<kubeconfigPath> kubectl get pods -A` works.
// Events and faults are injected over HTTPS with the same token:
//   POST /_kni/control {"op":"add","object":{...}} | {"op":"remove","kind":"Pod","namespace":"shop","name":"x"}
//        | {"op":"closeWatches"} | {"op":"compact"} | {"op":"forbid","plural":"networkpolicies","namespace":"shop"}
//        | {"op":"namespaceRole","namespaces":["shop"]} | {"op":"unauthorized","on":true} | {"op":"delay","ms":500}
//   GET  /_kni/requests  (the request log)
// Stops on SIGINT/SIGTERM or when stdin closes (--stdin-lifetime).
import * as esbuild from 'esbuild';
import { mkdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..', '..');

function usage(message) {
  if (message) process.stderr.write(`serve.mjs: ${message}\n`);
  process.stderr.write('usage: node test/k8s-api-server/serve.mjs --fixtures DIR|FILE.json [--port N] [--token T] [--disable-group G] [--no-gzip] [--stdin-lifetime]\n');
  process.exit(2);
}

const args = process.argv.slice(2);
const opts = { port: 0, disabledGroups: [], control: true };
let fixtures;
let stdinLifetime = false;
for (let i = 0; i < args.length; i++) {
  const a = args[i];
  if (a === '--fixtures') fixtures = args[++i];
  else if (a === '--port') opts.port = Number(args[++i]);
  else if (a === '--token') opts.token = args[++i];
  else if (a === '--disable-group') opts.disabledGroups.push(args[++i]);
  else if (a === '--no-gzip') opts.gzip = false;
  else if (a === '--stdin-lifetime') stdinLifetime = true;
  else if (a === '--help' || a === '-h') usage();
  else usage(`unknown argument ${a}`);
}
if (!fixtures) usage('--fixtures is required');
if (!Number.isInteger(opts.port) || opts.port < 0 || opts.port > 65535) usage('--port needs a port number');

// The server is TypeScript: bundle it once (a few ms) next to the other build output.
// One file per process: several servers may start at once.
const outFile = join(root, 'out', 'k8s-api-server', `server-${process.pid}.cjs`);
mkdirSync(dirname(outFile), { recursive: true });
await esbuild.build({
  entryPoints: [join(here, 'server.ts')],
  outfile: outFile,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  packages: 'external',
  logLevel: 'error',
});
const { startTestApiServer } = createRequire(import.meta.url)(outFile);
rmSync(outFile, { force: true });

const path = resolve(fixtures);
let source;
try {
  source = statSync(path).isDirectory() ? path : JSON.parse(readFileSync(path, 'utf8')).items;
} catch (err) {
  usage(`cannot read fixtures ${fixtures}: ${err.message}`);
}
const server = await startTestApiServer(source, opts);
process.stdout.write(
  `${JSON.stringify({ url: server.url, port: server.port, token: server.token, caFile: server.caFile, kubeconfigPath: server.kubeconfigPath })}\n`,
);
const stop = () => server.close().then(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
if (stdinLifetime) {
  process.stdin.on('end', stop);
  process.stdin.resume();
}
