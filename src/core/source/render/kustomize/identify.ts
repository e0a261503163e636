// Which source document each rendered object is, from names alone: every
// document of the tree's resource files (and every generator entry) run
// through the namePrefix/nameSuffix/namespace of the kustomizations it passes,
// matched to the output by kind, name and namespace.
//
// Kustomize can say this itself (the origin annotation), but its origin
// tracking makes a build several times slower (6x to 10x on an overlay of 50
// objects and 25 patches, see BENCHMARKS.md), so it is asked for only when
// names cannot tell: an object renamed by a patch or a replacement, two
// candidates left after the namespace.
import type { ObjectOrigin, OutputObject } from './output';
import { objectNodes, type SourceFiles } from './sources';
import { generatedKey, type KustomizeTree, type Step } from './tree';
import { child, scalarText, seqItems } from './yaml-paths';

interface Candidate {
  kind: string;
  /** The name after every prefix and suffix on the way to the root. */
  name: string;
  /** The namespace it ends in, when a kustomization or the document sets one. */
  namespace?: string;
  /** A generated name gets a hash suffix unless the generator says not to. */
  hashed: boolean;
  origin: ObjectOrigin;
}

/** Sets each object's origin from the tree; false when some object could not be told apart (then ask Kustomize). */
export function identifyOrigins(objects: OutputObject[], tree: KustomizeTree, sources: SourceFiles): boolean {
  const candidates = new Map<string, Candidate[]>();
  const add = (c: Candidate) => {
    const key = `${c.kind}/${c.hashed ? '' : c.name}`;
    candidates.set(key, [...(candidates.get(key) ?? []), c]);
  };
  const keys = new Set<string>();
  for (const step of tree.steps) for (const k of step.affects) keys.add(k);
  for (const key of keys) {
    const chain = tree.steps.filter((s) => s.affects.has(key));
    if (key.startsWith('generated:')) {
      const k = tree.steps.find((s) => generatedKey(s.k.abs) === key)?.k;
      if (!k) continue;
      for (const [field, kind, by] of [
        ['configMapGenerator', 'ConfigMap', 'ConfigMapGenerator'],
        ['secretGenerator', 'Secret', 'SecretGenerator'],
      ] as const) {
        for (const item of seqItems(k.root, field)) {
          const name = scalarText(child(item, 'name'));
          if (name === undefined) continue;
          const hashed = !disablesHash(item) && !disablesHash(child(k.root, 'generatorOptions'));
          add({ kind, name: finalName(name, chain), namespace: scalarText(child(item, 'namespace')) ?? finalNamespace(undefined, chain), hashed, origin: { configuredIn: k.abs, configuredBy: by } });
        }
      }
      continue;
    }
    const parsed = sources.read(key);
    for (const root of parsed ? objectNodes(parsed) : []) {
      const kind = scalarText(child(root, 'kind'));
      const meta = child(root, 'metadata');
      const name = scalarText(child(meta, 'name'));
      if (kind === undefined || name === undefined) continue;
      add({ kind, name: finalName(name, chain), namespace: finalNamespace(scalarText(child(meta, 'namespace')), chain), hashed: false, origin: { path: key } });
    }
  }
  let all = true;
  for (const object of objects) {
    const exact = candidates.get(`${object.kind}/${object.name}`) ?? [];
    const generated = (candidates.get(`${object.kind}/`) ?? []).filter((c) => isHashedName(object.name, c.name));
    let found = [...exact, ...generated];
    if (found.length > 1) found = found.filter((c) => c.namespace === object.namespace);
    if (found.length === 1) object.origin = found[0].origin;
    else all = false;
  }
  return all;
}

/** A document's name after the namePrefix/nameSuffix of each kustomization on its way to the root. */
export function finalName(name: string, chain: Step[]): string {
  return chain.reduce((n, s) => `${scalarText(child(s.k.root, 'namePrefix')) ?? ''}${n}${scalarText(child(s.k.root, 'nameSuffix')) ?? ''}`, name);
}

function finalNamespace(own: string | undefined, chain: Step[]): string | undefined {
  return chain.reduce((ns, s) => scalarText(child(s.k.root, 'namespace')) ?? ns, own);
}

function disablesHash(options: unknown): boolean {
  const own = child(options, 'options') ?? options;
  return scalarText(child(own, 'disableNameSuffixHash')) === 'true';
}

/** `name-<10 characters of hash>` as Kustomize appends it, or the name itself when hashing is off. */
export function isHashedName(rendered: string, name: string): boolean {
  return rendered === name || (rendered.startsWith(`${name}-`) && /^[a-z0-9]{10}$/.test(rendered.slice(name.length + 1)));
}
