/** Compliance window: US per campaign per 30 days, UK per calendar day. */
export type AbandonRegime = 'us30d' | 'uk24h';

export interface BudgetSettings {
  target: number;
  regime: AbandonRegime;
  /** Dialing hours per day, to forecast the rest of the window. */
  hoursPerDay: number;
  /** Starting marginal-risk threshold. */
  theta0: number;
  /** Safety quantile for the window's binomial noise (1.64 ≈ 5 % breach target). */
  z: number;
  /** Step of log θ per update, per unit of log(rate we may spend / measured rate). */
  integralGain: number;
  /** Extra step on the change of that log-ratio (damps overshoot). */
  proportionalGain: number;
}

const DAY_MS = 86_400_000;
const UPDATE_ANSWERS = 20;
/** Memory of the measured abandon rate, in live answers: long enough that its noise does not steer θ. */
const EWMA_ANSWERS = 500;
/** Below this the log-ratio is taken at this rate (no abandons yet is not an infinitely low rate). */
const RATE_FLOOR = 0.002;
/** Gaps longer than this between decisions are time off (nights, breaks): not counted as dialing time. */
const MAX_ACTIVE_GAP_MS = 60_000;

/**
 * Steers the marginal-risk threshold θ with an integral loop on the abandon budget left in the current compliance
 * window (reference §5.4): the rate we may still spend is the budget left over the forecast of the remaining live
 * answers, with a safety margin sized by binomial noise. Every 20 live answers log θ moves by a small multiple of
 * log(spendable rate / measured rate): the abandon rate grows roughly like θ^0.8, so this is a damped Newton step on
 * a long-memory measurement, slow enough that binomial noise does not make θ oscillate.
 */
export class BudgetController {
  private logTheta: number;
  private windowIndex: number | undefined;
  private firstDay: number | undefined;
  private abandonsInWindow = 0;
  private liveInWindow = 0;
  private activeMsInWindow = 0;
  private lastAt: number | undefined;
  private recentRate: number;
  private lastError = 0;
  private answersSinceUpdate = 0;
  private answersSeen = 0;

  constructor(private readonly settings: BudgetSettings) {
    this.logTheta = Math.log(settings.theta0);
    this.recentRate = settings.target * 0.9;
  }

  resetTheta(theta: number): void {
    this.logTheta = Math.log(theta);
  }

  theta(): number {
    return Math.exp(this.logTheta);
  }

  counts(): { abandons: number; liveAnswers: number } {
    return { abandons: this.abandonsInWindow, liveAnswers: this.liveInWindow };
  }

  onLiveAnswer(at: number): void {
    this.roll(at);
    this.liveInWindow++;
    this.answersSinceUpdate++;
    this.answersSeen++;
    // Connected and abandoned both count as live answers; the abandon's 1 is added in onAbandon.
    this.recentRate += (0 - this.recentRate) / EWMA_ANSWERS;
  }

  onAbandon(at: number): void {
    this.roll(at);
    this.abandonsInWindow++;
    this.recentRate += 1 / EWMA_ANSWERS;
  }

  /** Abandons still allowed in this window; below 3 the pacer falls back to progressive. */
  allowedRemaining(): number {
    const { allowed } = this.budget();
    return allowed;
  }

  /** Advances the window clock and steps θ every 30 s or 20 live answers. */
  tick(now: number): void {
    this.roll(now);
    if (this.lastAt !== undefined) {
      const gap = now - this.lastAt;
      if (gap > 0 && gap <= MAX_ACTIVE_GAP_MS) this.activeMsInWindow += gap;
    }
    this.lastAt = now;
    if (this.answersSinceUpdate < UPDATE_ANSWERS) return;
    this.answersSinceUpdate = 0;
    const { spendable } = this.budget();
    // Until the EWMA has seen enough answers it leans on its starting value (the target): early noise is damped.
    const measured = Math.max(this.recentRate, RATE_FLOOR);
    const error = Math.log(Math.max(spendable, RATE_FLOOR) / measured);
    const warm = Math.min(1, Math.max(0, this.answersSeen - 100) / EWMA_ANSWERS);
    this.logTheta += warm * (this.settings.integralGain * error + this.settings.proportionalGain * (error - this.lastError));
    this.lastError = error;
    this.logTheta = Math.min(Math.log(0.1), Math.max(Math.log(0.001), this.logTheta));
  }

  private budget(): { allowed: number; spendable: number } {
    const s = this.settings;
    const windowMs = (s.regime === 'us30d' ? 30 : 1) * s.hoursPerDay * 3_600_000;
    const elapsed = Math.min(this.activeMsInWindow, windowMs);
    const restMs = Math.max(windowMs - elapsed, 0);
    // Forecast of the rest of the window's live answers from this window's rate (needs 15 min of data).
    const rate = elapsed >= 900_000 ? this.liveInWindow / elapsed : undefined;
    if (rate === undefined) return { allowed: Number.POSITIVE_INFINITY, spendable: this.safeTarget(undefined) };
    const restLive = rate * restMs;
    const windowLive = this.liveInWindow + restLive;
    const allowed = this.safeTarget(windowLive) * windowLive - this.abandonsInWindow;
    const spendable = restLive > 1 ? Math.min(Math.max(allowed / restLive, 0), 2 * s.target) : s.target;
    return { allowed, spendable };
  }

  private safeTarget(windowLive: number | undefined): number {
    const a = this.settings.target;
    if (windowLive === undefined || windowLive <= 0) return a * 0.9;
    return Math.max(a * 0.5, a - this.settings.z * Math.sqrt((a * (1 - a)) / windowLive));
  }

  private roll(now: number): void {
    const day = Math.floor(now / DAY_MS);
    this.firstDay ??= day;
    const index = this.settings.regime === 'us30d' ? Math.floor((day - this.firstDay) / 30) : day;
    if (this.windowIndex === index) return;
    this.windowIndex = index;
    this.abandonsInWindow = 0;
    this.liveInWindow = 0;
    this.activeMsInWindow = 0;
  }
}
