// examples/egress as files for the analysis: the world outside's tests read it.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export function egressExample(): Record<string, string> {
  const dir = join('examples', 'egress');
  return Object.fromEntries(readdirSync(dir).sort().map((f) => [`examples/egress/${f}`, readFileSync(join(dir, f), 'utf8')]));
}
