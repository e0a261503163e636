// A rule as kube-proxy passes it to iptables-restore, printed as
// `iptables-save` prints it back: the source and destination first with their
// mask (/32, /128), then the protocol, then each match module in the order it
// was given with its options in the kernel's order (`recent` adds its default
// mask and --rsource), then the target (REJECT names its default
// --reject-with; a statistic probability is the u32 the kernel keeps).
import { iptablesSaveProbability } from './chains';

/** Splits a rule on spaces, keeping a double-quoted argument whole (quotes removed). */
export function splitRule(line: string): string[] {
  const out: string[] = [];
  const re = /"((?:[^"\\]|\\.)*)"|(\S+)/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(line))) out.push(m[1] !== undefined ? m[1].replace(/\\"/g, '"') : m[2]);
  return out;
}

/** An argument with spaces or quotes (a symbolic endpoint) stays one word, quoted. */
export function quoteArg(text: string): string {
  return text === '' || /[\s"]/.test(text) ? `"${text.replace(/"/g, '\\"')}"` : text;
}

/**
 * How iptables-save prints a comment (libxtables xtables_save_string): bare
 * when it is only letters, digits, "_" and "-", else double-quoted with `"`,
 * `\` and `'` escaped: `--comment "default/kubernetes:https"`.
 */
export function saveString(text: string): string {
  if (/^[A-Za-z0-9_-]+$/.test(text)) return text;
  return `"${text.replace(/["\\']/g, (c) => `\\${c}`)}"`;
}

/** A host address gets its mask; a CIDR, or a symbolic "<...>" with a space or slash in it, stays as it is. */
function withMask(address: string, family: 4 | 6): string {
  if (address.includes('/') || /\s/.test(address)) return address;
  return family === 6 || address.includes(':') ? `${address}/128` : `${address}/32`;
}

interface Module {
  name: string;
  opts: string[][];
}

/** `iptables-save`'s text for one rule written in kube-proxy's order. */
export function toIptablesSave(line: string, family: 4 | 6 = 4): string {
  const t = splitRule(line);
  let chain = '';
  let op = '-A';
  const base: Record<'-s' | '-d' | '-p', string | undefined> = { '-s': undefined, '-d': undefined, '-p': undefined };
  const modules: Module[] = [];
  let target: string[] = [];
  let current: Module | undefined;
  let negate = false;
  for (let i = 0; i < t.length; i++) {
    const tok = t[i];
    if (tok === '-A' || tok === '-I') {
      op = tok;
      chain = t[++i];
    } else if (tok === '!') negate = true;
    else if (tok === '-s' || tok === '-d' || tok === '-p') {
      const v = tok === '-p' ? t[++i] : withMask(t[++i], family);
      base[tok] = `${negate ? '! ' : ''}${tok} ${quoteArg(v)}`;
      negate = false;
    } else if (tok === '-m') {
      const name = t[++i];
      current = { name, opts: [] };
      modules.push(current);
    } else if (tok === '-j') {
      target = t.slice(i + 1);
      break;
    } else if (tok.startsWith('--') && current) {
      const opt = [negate ? '!' : '', tok].filter(Boolean);
      negate = false;
      while (i + 1 < t.length && !t[i + 1].startsWith('-') && t[i + 1] !== '!') opt.push(t[++i]);
      current.opts.push(opt);
    }
  }
  const v6 = family === 6;
  const parts = [`${op} ${chain}`];
  for (const k of ['-s', '-d', '-p'] as const) if (base[k]) parts.push(base[k]!);
  for (const m of modules) parts.push(`-m ${m.name}${formatModule(m, v6)}`);
  if (target.length > 0) parts.push(`-j ${formatTarget(target, v6)}`);
  return parts.join(' ');
}

function formatModule(m: Module, v6: boolean): string {
  const opts = m.opts.map((o) => o.map((x) => (x.startsWith('--') || x === '!' ? x : quoteArg(x))));
  switch (m.name) {
    case 'recent': {
      const get = (k: string) => opts.find((o) => o[0] === k);
      const name = get('--name')?.[1];
      const mode = ['--set', '--rcheck', '--update', '--remove'].find((k) => get(k));
      const seconds = get('--seconds')?.[1];
      const mask = v6 ? 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff' : '255.255.255.255';
      return ` ${[mode, seconds ? `--seconds ${seconds}` : '', get('--reap') ? '--reap' : '', `--name ${name}`, `--mask ${mask}`, '--rsource'].filter(Boolean).join(' ')}`;
    }
    case 'comment':
      return m.opts.map((o) => (o[0] === '--comment' && o.length === 2 ? ` --comment ${saveString(o[1])}` : ` ${o.join(' ')}`)).join('');
    case 'statistic':
      return opts.map((o) => (o[0] === '--probability' ? ` --probability ${iptablesSaveProbability(Number(o[1]))}` : ` ${o.join(' ')}`)).join('');
    default:
      return opts.map((o) => ` ${o.join(' ')}`).join('');
  }
}

function formatTarget(target: string[], v6: boolean): string {
  if (target[0] === 'REJECT' && target.length === 1) return `REJECT --reject-with ${v6 ? 'icmp6-port-unreachable' : 'icmp-port-unreachable'}`;
  return target.join(' ');
}
