// Preloaded (node -r) into a CLI run by bench/connectivity-cli.bench.mjs: samples
// the JS heap while the event loop turns and writes, at exit, the peak heap and
// the peak RSS (the kernel's VmHWM) and the CPU time to the file named by KNI_BENCH_PROBE.
const { readFileSync, writeFileSync } = require('node:fs');

const file = process.env.KNI_BENCH_PROBE;
if (file) {
  let peakHeap = 0;
  const sample = () => {
    const m = process.memoryUsage();
    peakHeap = Math.max(peakHeap, m.heapUsed + m.external + m.arrayBuffers);
  };
  setInterval(sample, 10).unref();
  process.on('exit', () => {
    sample();
    const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
    const usage = process.resourceUsage();
    writeFileSync(file, JSON.stringify({ peakHeap, peakRss: hwm ? Number(hwm[1]) * 1024 : undefined, cpuMs: Math.round((usage.userCPUTime + usage.systemCPUTime) / 1000) }));
  });
}
