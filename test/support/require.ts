/**
 * Tests that need an outside tool (PostgreSQL, Chromium, SIPp, kamailio) skip with a clear message on a laptop
 * without it, and fail in CI where OUTDIAL_REQUIRE_ALL=1 says every tool must be there.
 */
export const requireAll = process.env['OUTDIAL_REQUIRE_ALL'] === '1';

export function skipUnless(available: boolean, what: string): boolean {
  if (available) return false;
  if (requireAll) throw new Error(`OUTDIAL_REQUIRE_ALL=1 but ${what} is not available`);
  console.warn(`skipping: ${what} is not available (set it up, or ignore on a laptop)`);
  return true;
}
