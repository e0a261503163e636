// The rule ids the manifest source reports itself (the rule catalogue lists them).
import type { Severity } from '../../findings/types';

export interface ParseRule {
  id: string;
  severity: Severity;
  description: string;
}

export const PARSE_RULES = [
  {
    id: 'yaml-syntax',
    severity: 'error',
    description: 'A YAML document does not parse; it is skipped (the file\'s other documents are still read).',
  },
  {
    id: 'manifest-template',
    severity: 'info',
    description:
      "The file is a Helm/Go template ({{ … }} outside string values, any {{ … }} in a chart's templates/ folder, or one naming .Values, .Release, .Chart or include inside a string), not plain YAML; it is skipped. Render it (helm template) and lint the output.",
  },
  {
    id: 'manifest-too-large',
    severity: 'error',
    description: 'The file is larger than the size limit (10 MB by default: maxFileSize in .kni.yaml, --max-file-size, kni.maxFileSize); it is not read.',
  },
  {
    id: 'manifest-encoding',
    severity: 'error',
    description:
      'Bytes that are not valid UTF-8 (or UTF-16), reported at their line: kubectl rejects the file. UTF-16 without a byte order mark is read, with an information finding (kubectl cannot read it).',
  },
  {
    id: 'manifest-invalid-value',
    severity: 'error',
    description:
      'A field holds a value the API server rejects (a port protocol other than TCP/UDP/SCTP, an unknown Service type or selector operator, a selector or labels that are not a mapping, no metadata.name, a number the field cannot hold, a NetworkPolicy port range or ipBlock CIDR out of bounds, a document that is a list of objects); the value is left out of the model or read as its default, or the object is left out when the API server could not create it.',
  },
  {
    id: 'yaml-alias-limit',
    severity: 'error',
    description:
      'Reading a document through its YAML aliases / merge keys would expand far more nodes than it has (a "billion laughs"); the document is skipped.',
  },
] as const satisfies readonly ParseRule[];

export type ParseRuleId = (typeof PARSE_RULES)[number]['id'];
