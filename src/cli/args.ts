// The argv walk every command shares: paths (anything not starting with "-",
// a lone "-", everything after "--") and flags, whose value is written as
// `--flag=value` or as the next argument. Each command decides what its flags
// mean; a problem is a UsageError (exit 2 with the command's usage).
import { DEFAULT_MAX_FILE_SIZE_TEXT, isNamespaceName, NAMESPACE_NAME_SYNTAX } from '../core/config/facts';
import { BYTE_SIZE_HINT, parseByteSize } from '../core/config/size';

export class UsageError extends Error {}

/** `--max-file-size`'s value in bytes: a number of bytes, or 512KB, 20MB, 1GB... */
export function parseMaxFileSize(v: string): number {
  const bytes = parseByteSize(/^\d+$/.test(v) ? Number(v) : v);
  if (bytes === undefined) throw new UsageError(`--max-file-size "${v}" is not a size; use ${BYTE_SIZE_HINT}`);
  return bytes;
}

/** A namespace flag's value, refused unless it can be a namespace name. */
export function parseNamespace(v: string): string {
  if (!isNamespaceName(v)) throw new UsageError(`"${v}" is not a namespace name (${NAMESPACE_NAME_SYNTAX})`);
  return v;
}

/** The usage line of --max-file-size, the same in every command that reads files. */
export const MAX_FILE_SIZE_USAGE = `  --max-file-size SIZE      larger files are not read (default ${DEFAULT_MAX_FILE_SIZE_TEXT}; e.g. 20MB, 512KB, bytes)`;

export interface ScanOptions {
  /** Whether a lone "-" may be a flag's value (a file name for stdin-like use). */
  loneDashIsValue?: boolean;
}

/** Calls `onFlag` for each flag in order; returns the paths. */
export function scanArgs(argv: string[], onFlag: (flag: string, value: () => string) => void, options: ScanOptions = {}): string[] {
  const paths: string[] = [];
  let onlyPaths = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (onlyPaths || !arg.startsWith('-') || arg === '-') {
      paths.push(arg);
      continue;
    }
    if (arg === '--') {
      onlyPaths = true;
      continue;
    }
    const eq = arg.indexOf('=');
    const flag = eq > 0 ? arg.slice(0, eq) : arg;
    const inline = eq > 0 ? arg.slice(eq + 1) : undefined;
    const value = (): string => {
      if (inline !== undefined) return inline;
      const next = argv[i + 1];
      if (next === undefined || (next.startsWith('-') && !(options.loneDashIsValue && next === '-'))) throw new UsageError(`${flag} needs a value`);
      i++;
      return next;
    };
    onFlag(flag, value);
  }
  return paths;
}
