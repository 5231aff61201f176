import dgram from 'node:dgram';
import type { CallOutcome, DriverEvent } from '@outdial/core/telephony/driver';
import { readFileSync } from 'node:fs';
import { parseUri } from './sip/message.ts';
import { readWav } from './media/wav.ts';
import { SipDriver } from './sip-driver.ts';

/** The result `outdial call test --json` prints (contract cli.md). */
export interface TestCallResult {
  outcome: 'human' | 'machine' | 'busy' | 'no_answer' | 'rejected' | 'invalid' | 'congestion' | 'failed';
  sipCode: number | null;
  q850: number | null;
  /** INVITE → first response from the far end (post-dial delay). */
  setupMs: number | null;
  /** INVITE → 200 OK. */
  answerMs: number | null;
  amd: { verdict: 'human' | 'machine' | 'fax' | 'unknown'; ms: number } | null;
}

export interface TestCallOptions {
  trunk: string;
  to: string;
  from: string;
  amd: boolean;
  playFile?: string;
  username?: string;
  password?: string;
  /** Our SIP address; default: the address the OS would use toward the trunk, on a free port. */
  localHost?: string;
  localPort?: number;
  ringTimeoutMs: number;
  maxCallMs: number;
  log(line: string): void;
}

export function outcomeForCli(outcome: CallOutcome, verdict: string | undefined): TestCallResult['outcome'] {
  switch (outcome) {
    case 'answered-machine':
      return 'machine';
    case 'answered-human':
    case 'answered-unknown':
      // Without a machine verdict, an answered call is reported as a person: the contract has no "answered".
      return verdict === 'machine' || verdict === 'fax' ? 'machine' : 'human';
    case 'busy':
      return 'busy';
    case 'no-answer':
    case 'unavailable':
      return 'no_answer';
    case 'rejected':
    case 'blocked':
      return 'rejected';
    case 'invalid-number':
      return 'invalid';
    case 'congestion':
    case 'carrier-error':
      return 'congestion';
    case 'config-error':
    case 'local-error':
    case 'cancelled':
      return 'failed';
  }
}

/** The source address the OS picks toward `host` (connect() on UDP sends nothing). */
async function localAddressToward(host: string, port: number): Promise<string> {
  const s = dgram.createSocket('udp4');
  try {
    await new Promise<void>((resolve, reject) => {
      s.once('error', reject);
      s.connect(port, host, () => resolve());
    });
    return s.address().address;
  } finally {
    s.close();
  }
}

async function freeUdpPort(host: string): Promise<number> {
  const s = dgram.createSocket('udp4');
  await new Promise<void>((resolve) => s.bind(0, host, () => resolve()));
  const { port } = s.address();
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}

/** Places one call and reports what happened; never throws for telephony outcomes. */
export async function placeTestCall(o: TestCallOptions): Promise<TestCallResult> {
  const trunk = parseUri(o.trunk);
  if (!trunk) throw new Error(`not a SIP URI: ${o.trunk}`);
  const host = o.localHost ?? (await localAddressToward(trunk.host, trunk.port ?? 5060));
  const port = o.localPort ?? (await freeUdpPort(host));
  const transport = trunk.params['transport']?.toLowerCase() === 'tcp' ? 'tcp' : 'udp';
  const prompts: Record<string, string> = {};
  if (o.playFile) {
    const wav = readWav(readFileSync(o.playFile));
    if ('error' in wav) throw new Error(`${o.playFile}: ${wav.error}`);
    prompts['test-play'] = o.playFile;
  }
  const mediaPort = await freeUdpPort(host);
  const driver = new SipDriver({
    sip: { host, port, transports: [transport] },
    trunk: { uri: o.trunk, ...(o.username ? { username: o.username, password: o.password ?? '' } : {}) },
    media: { host, portMin: mediaPort - (mediaPort % 2), portMax: mediaPort - (mediaPort % 2) + 40 },
    prompts,
  });
  const callId = `call-test-${process.pid}`;
  const startedAt = Date.now();
  let setupMs: number | null = null;
  let answerMs: number | null = null;
  let amd: TestCallResult['amd'] = null;
  let farEndCause: number | undefined;
  const result = new Promise<Extract<DriverEvent, { type: 'ended' }>>((resolve) => {
    driver.onEvent((e) => {
      if ('callId' in e && e.callId !== callId) return;
      switch (e.type) {
        case 'progress':
          setupMs ??= e.at - startedAt;
          o.log(`${e.code} after ${e.at - startedAt} ms${e.earlyMedia ? ' (early media)' : ''}`);
          break;
        case 'answered':
          setupMs ??= e.at - startedAt;
          answerMs = e.at - startedAt;
          o.log(`answered after ${answerMs} ms`);
          if (!o.amd) afterDecision();
          break;
        case 'amd':
          amd = { verdict: e.result, ms: e.decisionMs };
          o.log(`AMD: ${e.result} (${e.cause}) after ${e.decisionMs} ms`);
          afterDecision();
          break;
        case 'beep':
        case 'sit':
          o.log(`${e.type}${e.detail ? `: ${e.detail}` : ''}`);
          break;
        case 'play-ended':
          driver.hangup(callId);
          break;
        case 'error':
          o.log(`error ${e.code}: ${e.detail}`);
          break;
        case 'ended':
          setupMs ??= e.sipCode !== undefined ? e.at - startedAt : null;
          if (e.by === 'remote') farEndCause = e.q850;
          resolve(e);
          break;
        default:
          break;
      }
    });
  });
  function afterDecision(): void {
    if (o.playFile) driver.play(callId, 'test-play');
    else setTimeout(() => driver.hangup(callId), 500);
  }
  await driver.start();
  const guard = setTimeout(() => driver.hangup(callId, 'timeout'), o.maxCallMs);
  try {
    driver.originate({
      callId,
      to: o.to,
      from: o.from,
      ringTimeoutMs: o.ringTimeoutMs,
      amd: o.amd ? { maxMs: 5000 } : false,
      contactId: 'call-test',
      attemptNo: 1,
    });
    const ended = await result;
    const answered = ended.answeredAt !== undefined;
    return {
      outcome: outcomeForCli(ended.outcome, (amd as TestCallResult['amd'])?.verdict),
      sipCode: ended.sipCode ?? null,
      // An answered call we cleared ends with cause 16 (normal clearing), as our BYE says.
      q850: ended.q850 ?? farEndCause ?? (answered ? 16 : null),
      setupMs,
      answerMs,
      amd,
    };
  } finally {
    clearTimeout(guard);
    await driver.stop();
  }
}
