// Benchmark: the `kni connectivity` command end to end at scale, its output
// piped to a fast and to a slow reader.
//
//   node bench/connectivity-cli.bench.mjs [--sizes 5000,20000] [--policies N] [--apps N]
//        [--slow-mbps N] [--read-limit-mb N] [--cli CLI.js] [--baseline OLD_CLI.js] [--only NAME]
//
// Writes a synthetic, deterministic set of manifests (seeded PRNG; Deployments in
// 40 namespaces, one file per namespace, NetworkPolicies as in
// connectivity.bench.mjs) to a temporary folder, then runs dist/cli.js (built
// by `node esbuild.mjs`) in its own process per scenario:
//   - default listing (allowed connections by group), JSON and text;
//   - --from one workload, JSON;
//   - --all, JSON: every ordered pair (the largest output);
// each read by a fast reader (takes everything at once) and a slow one
// (--slow-mbps, 10 MB/s by default). A slow reader of --all stops after
// --read-limit-mb (200 MB) and closes the pipe, as `| head -c` would.
// With --baseline, an older build of the CLI (e.g. the previous release's
// dist/cli.js) runs the same set in the same run (sizes up to 5,000), JSON to
// the fast reader.
// Reports per run: wall and CPU time (the CPU time is the steadier figure on a
// shared machine; none for a run that aborted), bytes read, peak RSS (the kernel's VmHWM, polled
// from outside and read at exit), the JS heap sampled inside by
// bench/probe.cjs (only while the event loop turns: a lower bound, none for a
// run that aborted), and how it ended.
// Writes bench/results/connectivity-cli.json.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { writeConnectivitySet } from './connectivity-set.mjs';

const args = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : fallback;
};
const SIZES = String(opt('sizes', '5000,20000')).split(',').map(Number);
const POLICIES = Number(opt('policies', 500));
const APPS = Number(opt('apps', 300));
const SLOW_MBPS = Number(opt('slow-mbps', 10));
const READ_LIMIT = Number(opt('read-limit-mb', 200)) * 1e6;
const BASELINE = opt('baseline', undefined);
const ONLY = opt('only', undefined);
const CLI = resolve(opt('cli', 'dist/cli.js'));
const PROBE = resolve('bench/probe.cjs');
const RUN_LIMIT_MS = 15 * 60_000;
if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run node esbuild.mjs first`);
mkdirSync('bench/results', { recursive: true });

// ---------------------------------------------------------------- one run

function vmHwm(pid) {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

function runCli(cli, argv, reader) {
  return new Promise((done) => {
    const probeFile = join(tmpdir(), `kni-probe-${process.pid}-${Date.now()}.json`);
    const t0 = process.hrtime.bigint();
    const child = spawn(process.execPath, ['-r', PROBE, cli, 'connectivity', ...argv], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, KNI_BENCH_PROBE: probeFile },
    });
    let bytes = 0;
    const kept = [];
    let stderr = '';
    let closedEarly = false;
    let peakRss = 0;
    const poll = setInterval(() => (peakRss = Math.max(peakRss, vmHwm(child.pid))), 50);
    const limit = setTimeout(() => child.kill('SIGKILL'), RUN_LIMIT_MS);
    child.stderr.on('data', (d) => (stderr += d).length > 4000 && (stderr = stderr.slice(-4000)));
    child.stdout.on('data', (chunk) => {
      bytes += chunk.length;
      if (reader.keep) kept.push(chunk);
      if (reader.limit && bytes >= reader.limit && !closedEarly) {
        closedEarly = true;
        child.stdout.destroy();
        return;
      }
      if (reader.bytesPerSecond) {
        // Hold the pipe for as long as this chunk takes at the reader's rate.
        child.stdout.pause();
        setTimeout(() => child.stdout.resume(), (chunk.length / reader.bytesPerSecond) * 1000);
      }
    });
    child.stdout.on('error', () => {});
    child.on('close', (code, signal) => {
      clearInterval(poll);
      clearTimeout(limit);
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      let probe = {};
      try {
        probe = JSON.parse(readFileSync(probeFile, 'utf8'));
        rmSync(probeFile);
      } catch {
        // Aborted (out of memory) or killed: no exit hook ran.
      }
      const oom = /heap out of memory|Allocation failed/.test(stderr);
      // The grouped listing's shape: how many groups and allowed group pairs.
      let shape = {};
      if (reader.keep && code === 0) {
        const j = JSON.parse(Buffer.concat(kept).toString('utf8'));
        shape = { groups: j.groups.length, groupsOfSeveral: j.groups.filter((g) => g.members.length > 1).length, connections: j.connections.length };
      }
      done({
        ms: Math.round(ms),
        cpuMs: probe.cpuMs ?? null,
        bytes,
        peakRssMB: Math.round(Math.max(peakRss, probe.peakRss ?? 0) / 1e6),
        peakHeapMB: probe.peakHeap !== undefined ? Math.round(probe.peakHeap / 1e6) : null,
        ...shape,
        ended: oom ? 'out of memory' : signal ? `signal ${signal}` : closedEarly ? `reader closed after ${Math.round(reader.limit / 1e6)} MB (exit ${code})` : `exit ${code}`,
      });
    });
  });
}

// ---------------------------------------------------------------- scenarios

const FAST = { name: 'fast reader' };
const FAST_KEEPING = { ...FAST, keep: true };
const SLOW = { name: `slow reader (${SLOW_MBPS} MB/s)`, bytesPerSecond: SLOW_MBPS * 1e6 };
const SLOW_CLOSING = { ...SLOW, name: `slow reader (${SLOW_MBPS} MB/s), closes after ${READ_LIMIT / 1e6} MB`, limit: READ_LIMIT };

const results = [];
for (const size of SIZES) {
  const dir = mkdtempSync(join(tmpdir(), 'kni-conn-bench-'));
  writeConnectivitySet(dir, size, { policies: POLICIES, apps: APPS });
  const scenarios = [
    ['after', 'default, JSON', CLI, [dir, '--format', 'json'], FAST_KEEPING],
    ['after', 'default, JSON', CLI, [dir, '--format', 'json'], SLOW],
    ['after', 'default, text', CLI, [dir], FAST],
    ['after', '--from team-0/Deployment/w-0, JSON', CLI, [dir, '--from', 'team-0/Deployment/w-0', '--format', 'json'], FAST],
    ['after', '--to team-0/Deployment/w-0, JSON', CLI, [dir, '--to', 'team-0/Deployment/w-0', '--format', 'json'], FAST],
    // Every pair of 20,000 workloads is 400 million lines (about 30 GB): read in part only.
    ...(size <= 5000 ? [['after', '--all, JSON', CLI, [dir, '--all', '--format', 'json'], FAST]] : []),
    ['after', '--all, JSON', CLI, [dir, '--all', '--format', 'json'], SLOW_CLOSING],
    ...(BASELINE && size <= 5000
      ? [
          // A slow reader changes nothing here: the old loop never yields, so even a fast one gets nothing until the end.
          ['before', 'JSON (every pair)', resolve(BASELINE), [dir, '--format', 'json'], FAST],
        ]
      : []),
  ];
  for (const [build, listing, cli, argv, reader] of scenarios) {
    const name = `${size} workloads, ${build}, ${listing}, ${reader.name}`;
    if (ONLY && !name.includes(ONLY)) continue;
    const r = await runCli(cli, argv, reader);
    const row = { workloads: size, policies: POLICIES, apps: APPS, build, listing, reader: reader.name, ...r };
    results.push(row);
    const shape = r.groups !== undefined ? `, ${r.groups} groups (${r.groupsOfSeveral} of several workloads), ${r.connections} allowed group pairs` : '';
    console.log(`${name}: ${r.ms} ms wall, ${r.cpuMs ?? '?'} ms CPU, ${(r.bytes / 1e6).toFixed(r.bytes < 1e6 ? 3 : 0)} MB, peak RSS ${r.peakRssMB} MB, heap sampled ≥ ${r.peakHeapMB ?? '?'} MB${shape}, ${r.ended}`);
  }
  rmSync(dir, { recursive: true, force: true });
}
writeFileSync('bench/results/connectivity-cli.json', `${JSON.stringify({ node: process.version, results }, null, 2)}\n`);
