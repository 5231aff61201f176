import type { Clock } from '@outdial/core/clock';
import type { CampaignSettings } from '@outdial/core/campaign/types';
import type { CommandResult, DispositionInput } from '@outdial/core/dialer/commands';
import type { EngineEvent } from '@outdial/core/dialer/events';
import type { EngineSink } from '@outdial/core/dialer/ports';
import { agentsAt, type Scenario } from './scenario.ts';
import { SimClock, type SimTask } from './sim-clock.ts';
import type { SimDriver } from './sim-driver.ts';

/** The engine commands a simulated agent uses (DialerEngine has them). */
export interface BotEngine {
  agentSignIn(agentId: string, campaignIds: readonly string[], legTarget: string): CommandResult<{ legId: string }>;
  agentReady(agentId: string): CommandResult;
  agentPause(agentId: string, reason: string): CommandResult<{ pending: boolean }>;
  agentDisposition(agentId: string, input: DispositionInput): CommandResult<unknown>;
}

export interface AgentBotPoolOptions {
  engine: BotEngine;
  clock: Clock;
  /** The sim driver: bots read the far end's wrap draw and whether a machine reached them. */
  driver: SimDriver;
  campaign: Pick<CampaignSettings, 'id' | 'dispositions'>;
  /** Agent ids, in the order they come on shift. */
  agentIds: readonly string[];
  /** Disposition codes: default the campaign's first `final` code for people and a code named like "machine". */
  liveCode?: string;
  machineCode?: string;
  /** Pause reason used for schedule dips. Default `break`. */
  breakReason?: string;
}

/** One simulated agent; also its own clock task (the next ready or disposition), so a step allocates nothing. */
class Bot implements SimTask {
  active = false;
  signedIn = false;
  wrapMs = 0;
  machine = false;
  at = 0;
  seq = 0;
  heapIndex = -1;
  what: BotAction = 'ready';
  constructor(
    readonly id: string,
    private readonly pool: AgentBotPool,
  ) {}
  run(): void {
    this.pool.act(this, this.what);
  }
}

type BotAction = 'ready' | 'disposition';

/**
 * Simulated agents: they sign in, go ready, take calls, wrap up for the lead's drawn wrap time, disposition, and
 * follow the scenario's agent schedule by pausing and resuming. They act through engine commands on clock timers,
 * never re-entrantly from inside an event.
 */
export class AgentBotPool implements EngineSink {
  private readonly bots = new Map<string, Bot>();
  private readonly order: Bot[] = [];
  private readonly liveCode: string;
  private readonly machineCode: string;
  private readonly breakReason: string;
  private cancelSchedule: Array<() => void> = [];
  /** Commands the engine refused (a healthy run has none). */
  readonly refusals: Array<{ agentId: string; command: string; error: string }> = [];

  constructor(private readonly o: AgentBotPoolOptions) {
    for (const id of o.agentIds) {
      const bot = new Bot(id, this);
      this.bots.set(id, bot);
      this.order.push(bot);
    }
    const ds = o.campaign.dispositions;
    this.liveCode = o.liveCode ?? ds.find((d) => d.action === 'final')?.code ?? ds[0]?.code ?? 'done';
    this.machineCode =
      o.machineCode ?? ds.find((d) => /machine/i.test(d.code))?.code ?? ds.find((d) => d.action === 'retry')?.code ?? this.liveCode;
    this.breakReason = o.breakReason ?? 'break';
  }

  /** Makes the first `n` agents active (signed in and ready) and pauses the others (after their call if busy). */
  setActive(n: number): void {
    for (let i = 0; i < this.order.length; i++) {
      const bot = this.order[i] as Bot;
      const want = i < n;
      if (want === bot.active) continue;
      bot.active = want;
      if (want) {
        if (!bot.signedIn) {
          const r = this.o.engine.agentSignIn(bot.id, [this.o.campaign.id], `sim:${bot.id}`);
          if (r.ok) bot.signedIn = true;
          else this.refused(bot.id, 'signIn', r.error);
          // Ready follows on the `paused/signed_in` event.
        } else {
          this.check(bot.id, 'ready', this.o.engine.agentReady(bot.id));
        }
      } else if (bot.signedIn) {
        this.check(bot.id, 'pause', this.o.engine.agentPause(bot.id, this.breakReason));
      }
    }
  }

  /** Follows the scenario's agent count over one day starting at `dayStart`; all pause at the end of the day. */
  followDay(scenario: Scenario, dayStart: number): void {
    const now = this.o.clock.now();
    const steps = scenario.file.agentSchedule?.map((s) => s.atHour) ?? [0];
    for (const hour of steps) {
      const at = dayStart + hour * 3_600_000;
      const n = agentsAt(scenario, hour);
      if (at <= now) this.setActive(n);
      else this.cancelSchedule.push(this.o.clock.setTimer(at - now, () => this.setActive(n)));
    }
    const end = dayStart + scenario.hoursPerDay * 3_600_000;
    this.cancelSchedule.push(this.o.clock.setTimer(Math.max(0, end - now), () => this.setActive(0)));
  }

  stop(): void {
    for (const c of this.cancelSchedule) c();
    this.cancelSchedule = [];
  }

  wants(type: EngineEvent['type']): boolean {
    return type === 'agent.state';
  }

  emit(e: EngineEvent): void {
    if (e.type !== 'agent.state') return;
    const bot = this.bots.get(e.agentId);
    if (bot === undefined) return;
    switch (e.to) {
      case 'paused':
        if (e.reason === 'signed_in' && bot.active) this.later(0, bot, 'ready');
        return;
      case 'on_call': {
        const truth = e.callId === null ? undefined : this.o.driver.truth(e.callId);
        bot.machine = truth?.kind === 'machine';
        bot.wrapMs = bot.machine ? 0 : (truth?.wrapMs ?? 0);
        return;
      }
      case 'wrap_up':
        this.later(bot.wrapMs, bot, 'disposition');
        return;
      default:
        return;
    }
  }

  private later(ms: number, bot: Bot, what: BotAction): void {
    const clock = this.o.clock;
    if (clock instanceof SimClock && bot.heapIndex < 0) {
      bot.what = what;
      clock.schedule(bot, ms);
    } else clock.setTimer(ms, () => this.act(bot, what));
  }

  /** Runs a bot's scheduled action (its clock task). */
  act(bot: Bot, what: BotAction): void {
    if (what === 'ready') {
      if (bot.active) this.check(bot.id, 'ready', this.o.engine.agentReady(bot.id));
      return;
    }
    const code = bot.machine ? this.machineCode : this.liveCode;
    this.check(bot.id, 'disposition', this.o.engine.agentDisposition(bot.id, { code }));
  }

  private check(agentId: string, command: string, r: CommandResult<unknown>): void {
    if (!r.ok) this.refused(agentId, command, r.error);
  }

  private refused(agentId: string, command: string, error: string): void {
    this.refusals.push({ agentId, command, error });
  }
}
