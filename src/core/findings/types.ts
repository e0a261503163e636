// Problems are data: the core decides what is wrong and where; the editor
// adapter and the CLI only translate these into their own forms.
import type { Severity } from '../config/facts';
import type { Loc, ObjectRef } from '../model/types';
import type { RuleId } from '../rules/catalogue';

export type { Severity };

export interface TextEdit {
  loc: Loc;
  newText: string;
}

export interface Fix {
  title: string;
  edits: TextEdit[];
  /** The one clear fix for the finding (the editor marks it preferred). */
  preferred?: boolean;
}

export interface RelatedLocation {
  loc: Loc;
  message: string;
}

export interface Finding {
  rule: RuleId;
  severity: Severity;
  message: string;
  loc: Loc;
  object?: ObjectRef;
  related: RelatedLocation[];
  fixes: Fix[];
}
