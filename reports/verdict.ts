/** How a verdict reads and looks, the same on the report and the index. */
import type { Verdict } from '../harness/run-record.js';

export function verdictText(v: Verdict | undefined): string {
  return v === true ? 'valid' : v === false ? 'INVALID' : v === 'unknown' ? 'unknown' : 'incomplete';
}

/** CSS class: v-valid, v-invalid, v-unknown, v-incomplete. */
export function verdictClass(v: Verdict | undefined): string {
  return `v-${verdictText(v).toLowerCase()}`;
}
