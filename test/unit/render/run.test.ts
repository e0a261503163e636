// Running a render tool: no shell, a time limit, an output bound, cancel;
// the reason in words. Real child processes (node itself).
import assert from 'node:assert/strict';
import { describeFailure, runTool } from '../../../src/core/source/render/run';

const node = process.execPath;
const env = { PATH: process.env.PATH };

describe('runTool', function () {
  this.timeout(20_000);

  it('passes arguments as they are, without a shell', async () => {
    const r = await runTool(node, ['-e', 'process.stdout.write(process.argv.slice(1).join("|"))', '$(echo no)', 'a b', ';rm'], { cwd: process.cwd(), env });
    assert.equal(r.code, 0);
    assert.equal(r.stdout, '$(echo no)|a b|;rm');
  });

  it('gives the child only the environment it is given', async () => {
    const r = await runTool(node, ['-e', 'process.stdout.write(String(process.env.SECRET_FOR_TEST))'], { cwd: process.cwd(), env });
    assert.equal(r.stdout, 'undefined');
  });

  it('stops a run past its time limit, and says so', async () => {
    const started = Date.now();
    const r = await runTool(node, ['-e', 'setTimeout(() => {}, 60000)'], { cwd: process.cwd(), env, timeoutMs: 300 });
    assert.equal(r.failure, 'timeout');
    assert.equal(r.code, null);
    assert.ok(Date.now() - started < 10_000);
    assert.match(describeFailure('helm', r, 300) ?? '', /helm did not finish within/);
  });

  it('stops a run that prints more than the bound', async () => {
    const r = await runTool(node, ['-e', 'const s = "x".repeat(65536); for (;;) require("fs").writeSync(1, s)'], { cwd: process.cwd(), env, maxOutputBytes: 1 << 20 });
    assert.equal(r.failure, 'output-too-large');
    assert.ok(r.stdout.length <= 1 << 20);
  });

  it('is cancelled by its signal', async () => {
    const abort = new AbortController();
    const p = runTool(node, ['-e', 'setTimeout(() => {}, 60000)'], { cwd: process.cwd(), env, signal: abort.signal });
    setTimeout(() => abort.abort(), 100);
    const r = await p;
    assert.equal(r.failure, 'cancelled');
  });

  it('says when the program does not exist', async () => {
    const r = await runTool('/no/such/render-tool', [], { cwd: process.cwd(), env });
    assert.equal(r.failure, 'not-found');
    assert.equal(describeFailure('kustomize', r), 'kustomize was not found');
  });
});
