// A compile folder of the test runners' own for each run: out/<tier>/run-<pid>/.
// Several people and tools run tiers in one working tree at once; a shared
// out/<tier>/ would let one run delete or rebuild another's compiled tests under
// it. The folder is removed when the run exits; folders of runs that no longer
// exist (killed, crashed) are removed by the next run of the tier.
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';

function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return err.code === 'EPERM';
  }
}

/** Creates out/<tier>/run-<pid>/ under `root` and returns it. */
export function runOutDir(root, tier) {
  const base = join(root, 'out', tier);
  mkdirSync(base, { recursive: true });
  for (const name of readdirSync(base)) {
    const m = /^run-(\d+)$/.exec(name);
    // Anything else here is from before runs had folders of their own.
    if (!m || !alive(Number(m[1]))) rmSync(join(base, name), { recursive: true, force: true });
  }
  const dir = join(base, `run-${process.pid}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  return dir;
}
