import { runDriverConformance } from '@outdial/telephony/conformance/run-driver-conformance';
import { makeSimHarness } from '@outdial/telephony/sim/sim-conformance-harness';

runDriverConformance('sim', makeSimHarness);
