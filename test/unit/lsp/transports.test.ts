// `kni lsp` as it ships, over its two transports: standard streams and Node's
// IPC channel. Each answers initialize, pushes the example's diagnostics and
// ends with exit code 0 after shutdown and exit. Without a transport: exit 2
// and what to do.
import assert from 'node:assert/strict';
import { fork, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as esbuild from 'esbuild';
import { createMessageConnection, IPCMessageReader, IPCMessageWriter, StreamMessageReader, StreamMessageWriter, type MessageConnection, type PublishDiagnosticsParams } from 'vscode-languageserver/node';

describe('kni lsp transports', function () {
  this.timeout(30_000);
  let dir: string;
  let cli: string;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'kni-lsp-cli-'));
    cli = join(dir, 'cli.js');
    await esbuild.build({ entryPoints: ['src/cli/main.ts'], outfile: cli, bundle: true, platform: 'node', format: 'cjs', target: 'node20', logLevel: 'error' });
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  async function session(child: ChildProcess, rpc: MessageConnection): Promise<void> {
    const cart = pathToFileURL(resolve('examples/shop/30-cart.yaml')).href;
    const diagnostics = new Promise<PublishDiagnosticsParams>((done) => rpc.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => {
      if (p.uri === cart) done(p);
    }));
    rpc.listen();
    const init = await rpc.sendRequest<{ serverInfo: { name: string } }>('initialize', { processId: process.pid, rootUri: pathToFileURL(resolve('examples/shop')).href, capabilities: {} });
    assert.equal(init.serverInfo.name, 'kni');
    await rpc.sendNotification('initialized', {});
    assert.deepEqual((await diagnostics).diagnostics.map((d) => d.code), ['service-no-matching-pods']);
    const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
    await rpc.sendRequest('shutdown');
    await rpc.sendNotification('exit');
    assert.equal(await exited, 0);
    rpc.dispose();
  }

  it('--stdio', async () => {
    const child = spawn(process.execPath, [cli, 'lsp', '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'] });
    await session(child, createMessageConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!)));
  });

  it('--node-ipc', async () => {
    const child = fork(cli, ['lsp', '--node-ipc'], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
    await session(child, createMessageConnection(new IPCMessageReader(child), new IPCMessageWriter(child)));
  });

  it('without a transport: exit 2 and what to pass', () => {
    const run = spawnSync(process.execPath, [cli, 'lsp'], { encoding: 'utf8' });
    assert.equal(run.status, 2);
    assert.match(run.stderr, /^kni lsp: name the transport: --stdio or --node-ipc/);
    const ipc = spawnSync(process.execPath, [cli, 'lsp', '--node-ipc'], { encoding: 'utf8' });
    assert.equal(ipc.status, 2);
    assert.match(ipc.stderr, /--node-ipc needs an IPC channel/);
  });
});
