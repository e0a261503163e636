// Parsed files -> one NetworkModel. Objects are kept as read, duplicates too:
// manifest folders often hold alternative versions of the same objects (the
// rules decide what a duplicate means).
import { addObject, emptyModel } from '../../model/collect';
import type { NetworkModel } from '../../model/types';
import type { ParsedFile } from './parse';

export function buildModel(files: readonly ParsedFile[], defaultNamespace: string): NetworkModel {
  const model = emptyModel('manifests', defaultNamespace);
  for (const file of files) for (const o of file.objects) addObject(model, o);
  return model;
}
