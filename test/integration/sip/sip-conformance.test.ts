import { afterAll, describe } from 'vitest';
import { runDriverConformance } from '@outdial/telephony/conformance/run-driver-conformance';
import { skipUnless } from '../../support/require.ts';
import { makeSipHarness, removeConformanceAudio } from './support/sip-conformance-harness.ts';
import { hasTool } from './support/peers.ts';

const missing = skipUnless(hasTool('sipp') && hasTool('espeak-ng') && hasTool('sox'), 'sipp, espeak-ng and sox');

describe.skipIf(missing)('sip driver against SIPp far ends', () => {
  afterAll(() => removeConformanceAudio());
  runDriverConformance('sip', makeSipHarness);
});
