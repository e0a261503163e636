// The argv walk the lint, trace and connectivity commands share.
import assert from 'node:assert/strict';
import { scanArgs, UsageError } from '../../../src/cli/args';

describe('cli: scanArgs', () => {
  function scan(argv: string[], loneDashIsValue = false) {
    const flags: [string, string | undefined][] = [];
    const paths = scanArgs(argv, (flag, value) => flags.push([flag, flag === '--help' ? undefined : value()]), { loneDashIsValue });
    return { paths, flags };
  }

  it('takes values inline or from the next argument, and paths anywhere', () => {
    assert.deepEqual(scan(['a.yaml', '--format=json', '-n', 'shop', 'dir', '--help']), {
      paths: ['a.yaml', 'dir'],
      flags: [['--format', 'json'], ['-n', 'shop'], ['--help', undefined]],
    });
  });

  it('treats everything after -- and a lone - as paths', () => {
    assert.deepEqual(scan(['-', '--', '--format', '-x']).paths, ['-', '--format', '-x']);
  });

  it('refuses a missing value or a flag in its place; a lone - only where allowed', () => {
    assert.throws(() => scan(['--format']), new UsageError('--format needs a value'));
    assert.throws(() => scan(['--format', '--help']), new UsageError('--format needs a value'));
    assert.throws(() => scan(['--config', '-']), new UsageError('--config needs a value'));
    assert.deepEqual(scan(['--config', '-'], true).flags, [['--config', '-']]);
  });
});
