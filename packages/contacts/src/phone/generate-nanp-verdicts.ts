/**
 * npx tsx packages/contacts/src/phone/generate-nanp-verdicts.ts
 * Rewrites nanp-verdicts.data.ts: the installed libphonenumber-js's verdict on every NANP area code and exchange
 * 200-999, asked with the normaliser's own probes (~720 000 parses, ~30 s). Run it after upgrading the library (the
 * table is ignored, and a unit test fails, while its version differs from the installed one).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { encodeVerdicts, libraryVersion, probeAreaCode, probeExchange } from './nanp-verdicts.ts';

const text = encodeVerdicts(probeAreaCode, probeExchange);
const lines = text.match(/.{1,116}(?:\s|$)/g) ?? [];
writeFileSync(join(import.meta.dirname, 'nanp-verdicts.data.ts'), `/** Made by generate-nanp-verdicts.ts from libphonenumber-js ${libraryVersion()}: see nanp-verdicts.ts. */
export const NANP_VERDICTS_LIBRARY_VERSION = '${libraryVersion()}';

export const NANP_VERDICTS = \`
${lines.map((line) => line.trim()).join('\n')}
\`;
`);
