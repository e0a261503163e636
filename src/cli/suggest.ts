// "Did you mean …?" for what a user types: a command, a flag, a Service.

/**
 * The candidates closest to what was typed (at most 2 edits, and fewer than
 * half of the longer string), best first; a candidate that differs only in
 * case wins outright.
 */
export function closest(typed: string, candidates: Iterable<string>): string[] {
  const lower = typed.toLowerCase();
  const scored: { name: string; d: number }[] = [];
  for (const c of new Set(candidates)) {
    if (c === typed) continue;
    if (c.toLowerCase() === lower) return [c];
    const d = typoDistance(lower, c.toLowerCase());
    if (d <= 2 && d * 2 < Math.max(typed.length, c.length)) scored.push({ name: c, d });
  }
  scored.sort((a, b) => a.d - b.d || (a.name < b.name ? -1 : 1));
  return scored.filter((s) => s.d === scored[0].d).map((s) => s.name);
}

/**
 * Edits between two strings, counting a swap of two neighbouring characters
 * as one ("lnit" is one slip from "lint"): the optimal string alignment
 * distance. Command-line words are short, so the full table is cheap.
 */
export function typoDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[] = new Array(rows * cols);
  for (let i = 0; i < rows; i++) d[i * cols] = i;
  for (let j = 0; j < cols; j++) d[j] = j;
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[(i - 1) * cols + j] + 1, d[i * cols + j - 1] + 1, d[(i - 1) * cols + j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[(i - 2) * cols + j - 2] + 1);
      d[i * cols + j] = v;
    }
  }
  return d[rows * cols - 1];
}

/** " (did you mean a or b?)", or "" when nothing is close. */
export function didYouMean(typed: string, candidates: Iterable<string>): string {
  const best = closest(typed, candidates).slice(0, 3);
  if (best.length === 0) return '';
  const text = best.length === 1 ? best[0] : `${best.slice(0, -1).join(', ')} or ${best[best.length - 1]}`;
  return ` (did you mean ${text}?)`;
}

/** The flags a usage text documents ("--format", "-n"), so a suggestion never names a flag that does not exist. */
export function flagsOf(usage: string): string[] {
  return [...new Set(usage.match(/(?<![\w-])--?[a-zA-Z][\w-]*/g) ?? [])];
}

/** "unknown option --fromat (did you mean --format?)". */
export function unknownOption(flag: string, usage: string): string {
  const name = flag.includes('=') ? flag.slice(0, flag.indexOf('=')) : flag;
  return `unknown option ${name}${didYouMean(name, flagsOf(usage))}`;
}
