import { allOffDocument, renderFlagsDocument } from '@glasshouse/kit';
import { renderFaultsDoc } from './docs.js';

/** Every file `npm run faults` writes, by path from the repository root. */
export function generatedFiles(): [path: string, text: string][] {
  return [
    ['deploy/flags/glasshouse.flagd.json', renderFlagsDocument(allOffDocument())],
    ['docs/faults.md', renderFaultsDoc()],
  ];
}
