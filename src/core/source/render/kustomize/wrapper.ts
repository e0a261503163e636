// The wrapper kustomization that turns origin tracking on without touching
// the user's files: a temporary folder whose kustomization lists the root as
// its only resource (Kustomize takes folders by relative path only) and asks
// for the origin annotation. The folder is removed whatever happens.
//
// Only `originAnnotations` is asked for: the transformations annotation names
// every transformer of every kustomization on the way, whether it changed the
// object or not, so it cannot tell which patch set a field.
import { mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, isAbsolute, join, relative, sep } from 'node:path';

export const WRAPPER_PREFIX = 'kni-kustomize-';

/** This process's wrapper folders start so (several editors and CLIs may render at once). */
export function wrapperPrefix(): string {
  return `${WRAPPER_PREFIX}${process.pid}-`;
}

export async function withWrapper<T>(rootAbs: string, build: (wrapperDir: string) => Promise<T>): Promise<T> {
  let dir = mkdtempSync(join(realpathSync(tmpdir()), wrapperPrefix()));
  let rel = relative(dir, rootAbs);
  if (isAbsolute(rel)) {
    // Another drive (Windows): no relative path leads there, so the wrapper sits beside the root for the build.
    rmSync(dir, { recursive: true, force: true });
    dir = mkdtempSync(join(dirname(rootAbs), `.${wrapperPrefix()}`));
    rel = relative(dir, rootAbs);
  }
  try {
    const entry = sep === '/' ? rel : rel.split(sep).join('/');
    writeFileSync(join(dir, 'kustomization.yaml'), `resources:\n  - ${JSON.stringify(entry)}\nbuildMetadata: [originAnnotations]\n`);
    return await build(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
