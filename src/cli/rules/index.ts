// `kni rules [--format text|json]`: the rule catalogue (id, default severity,
// what it finds, a link to its documentation), as kube-linter's `checks list`.
import { CONFIG_FILE_NAME, RULE_SEVERITIES } from '../../core/config/facts';
import type { CliIO } from '../io';
import { README_URL, RULES, ruleDocsUrl } from '../../core/rules/catalogue';
import { scanArgs, UsageError } from '../args';
import { didYouMean } from '../suggest';

export const RULES_USAGE = `Usage: kni rules [--format text|json]

List the rules kni lint applies: id, default severity, group, what each finds,
and a link to its documentation. Change a rule's severity in ${CONFIG_FILE_NAME}
(rules: {ID: ${RULE_SEVERITIES.join('|')}}).

Options:
  --format text|json   output format (default: text)
  --help, -h           show this help
`;

const FLAGS = ['--format', '-f', '--help', '-h'];

export async function runRules(argv: string[], io: CliIO): Promise<number> {
  let format = 'text' as 'text' | 'json';
  let help = false as boolean;
  try {
    const paths = scanArgs(argv, (flag, value) => {
      switch (flag) {
        case '--format':
        case '-f': {
          const v = value();
          if (v !== 'text' && v !== 'json') throw new UsageError(`--format "${v}": use text or json`);
          format = v;
          break;
        }
        case '--help':
        case '-h':
          help = true;
          break;
        default:
          throw new UsageError(`unknown option ${flag}${didYouMean(flag, FLAGS)}`);
      }
    });
    if (paths.length > 0) throw new UsageError(`kni rules takes no paths (got ${paths.join(' ')})`);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    io.stderr(`kni rules: ${e.message}\n\n${RULES_USAGE}`);
    return 2;
  }
  if (help) {
    io.stdout(RULES_USAGE);
    return 0;
  }
  if (format === 'json') {
    const rules = RULES.map((r) => ({ id: r.id, severity: r.severity, group: r.group, title: r.title, description: r.description, helpUri: ruleDocsUrl(r.id) }));
    io.stdout(`${JSON.stringify({ rules }, null, 2)}\n`);
    return 0;
  }
  const idWidth = Math.max(...RULES.map((r) => r.id.length));
  const sevWidth = Math.max(...RULES.map((r) => r.severity.length));
  const out: string[] = [];
  let group = '';
  for (const r of RULES) {
    if (r.group !== group) {
      if (group !== '') out.push('');
      group = r.group;
      out.push(`${group}:`);
    }
    out.push(`  ${r.id.padEnd(idWidth)}  ${r.severity.padEnd(sevWidth)}  ${r.title}`);
  }
  out.push('', `${RULES.length} rules. Each is documented at ${README_URL}#rule-<id>.`, '');
  io.stdout(out.join('\n'));
  return 0;
}
