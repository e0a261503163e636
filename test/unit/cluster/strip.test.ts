// Cutting managedFields out of list JSON text: the same objects as parsing and deleting.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { dropManagedFields } from '../../../src/core/source/cluster/strip';

function viaDelete(text: string): unknown {
  const o = JSON.parse(text) as { items: { metadata: Record<string, unknown> }[] };
  for (const it of o.items) delete it.metadata.managedFields;
  return o;
}

describe('cluster: dropManagedFields', function () {
  it('cuts the key wherever it sits in metadata, with its comma', function () {
    const text = JSON.stringify({
      metadata: { resourceVersion: '5' },
      items: [
        { metadata: { managedFields: [{ manager: 'a', fieldsV1: { 'f:x': {} } }], name: 'first' } },
        { metadata: { name: 'middle', managedFields: [], uid: 'u' } },
        { metadata: { name: 'last', managedFields: [{ time: 't', note: 'has ] and [ and \\" and }' }] } },
        { metadata: { name: 'none' } },
      ],
    });
    const out = dropManagedFields(text);
    assert.ok(!out.includes('managedFields'));
    assert.deepEqual(JSON.parse(out), viaDelete(text));
  });

  it('keeps look-alikes inside strings and other spacing', function () {
    const text = `{ "items": [ { "metadata" : { "annotations": { "note": "\\"managedFields\\": [1]", "k": "x\\",\\"managedFields\\":[" }, "managedFields" : [ {"a": "]"} ] , "name": "n" } } ] }`;
    assert.deepEqual(JSON.parse(dropManagedFields(text)), viaDelete(text));
  });

  it('leaves an unbalanced array to JSON.parse', function () {
    const text = '{"items":[{"metadata":{"managedFields":[{"a":1}';
    assert.equal(dropManagedFields(text), text);
  });

  it('equals parse-then-delete on arbitrary metadata (property)', function () {
    const json = fc.jsonValue({ maxDepth: 3 });
    const meta = fc.record({ name: fc.string(), labels: fc.dictionary(fc.string(), fc.string()), extra: json, managedFields: fc.array(json, { maxLength: 3 }) }, { requiredKeys: ['name'] });
    fc.assert(
      fc.property(fc.array(meta, { maxLength: 4 }), fc.boolean(), (metas, pretty) => {
        const text = JSON.stringify({ kind: 'PodList', items: metas.map((metadata) => ({ metadata, spec: { x: 1 } })) }, null, pretty ? 2 : undefined);
        assert.deepEqual(JSON.parse(dropManagedFields(text)), viaDelete(text));
      }),
      { numRuns: 300 },
    );
  });
});
