/**
 * SIP driver benchmark (`npm run bench:sip`), loopback only, every process bounded in time:
 *
 *  1. set-up rate: the driver dials SIPp (UAS) at a fixed rate; every call must be answered; reports the set-up time
 *     (INVITE → 200) and the driver's CPU.
 *  2. bridged calls: N agents' nailed-up legs to a SIPp phone that echoes RTP, then N customer calls to SIPp whose
 *     media is a generator process streaming "Hello?" to each leg; AMD runs on every call, each verdict bridges the
 *     call to its agent. In steady state every call carries G.711 both ways through the driver (100 packets/s in,
 *     100 out per call); reports the driver's CPU (one Node thread = one core), event-loop delay, the share of
 *     audio that made the full round trip, and the bridge delay after the verdict.
 *
 *   nice npm run bench:sip -- [--phase cps|bridge|all] [--cps 100] [--calls 1000] [--bridged 500] [--steady-s 15] [--json]
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { DriverEvent } from '@outdial/core/telephony/driver';
import { SipDriver } from '@outdial/driver-sip/sip-driver';
import { synthesizeGreeting, toolsAvailable } from './greeting-synth.ts';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const SCENARIOS = path.join(HERE, '..', '..', '..', 'test', 'integration', 'sip', 'scenarios');
const subnet = `127.88.${(process.pid % 200) + 20}`;
const ip = (n: number): string => `${subnet}.${n}`;
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function sipp(scenario: string, host: string, args: string[], timeoutS: number, cwd: string): { done: Promise<number | null>; kill(): void } {
  const child = spawn('sipp', ['-sf', path.join(SCENARIOS, `${scenario}.xml`), '-i', host, '-p', '5060', '-nostdin', '-timeout', `${timeoutS}s`, '-timeout_error', ...args], { cwd, stdio: 'ignore' });
  const killer = setTimeout(() => child.kill('SIGKILL'), (timeoutS + 10) * 1000);
  const done = new Promise<number | null>((resolve) => child.once('exit', (code) => {
    clearTimeout(killer);
    resolve(code);
  }));
  return { done, kill: () => child.kill('SIGKILL') };
}

function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? NaN : (s[Math.min(s.length - 1, Math.floor(p * s.length))] ?? NaN);
}

function cpuPercent(start: NodeJS.CpuUsage, wallMs: number): number {
  const d = process.cpuUsage(start);
  return Number((((d.user + d.system) / 1000 / wallMs) * 100).toFixed(1));
}

async function setupRate(cps: number, calls: number, holdMs: number, dir: string): Promise<Record<string, unknown>> {
  const uas = sipp('bench-customer', ip(2), ['-m', String(calls), '-key', 'sink_host', ip(9), '-key', 'sink_port', '7000', '-max_recv_loops', '10000'], Math.ceil(calls / cps) + 60, dir);
  await sleep(500);
  const driver = new SipDriver({
    sip: { host: ip(1), port: 5060 },
    trunk: { uri: `sip:${ip(2)}:5060` },
    media: { host: ip(1), portMin: 20000, portMax: 20000 + Math.ceil(((cps * (holdMs + 2000)) / 1000) * 2) + 200 },
  });
  const originatedAt = new Map<string, number>();
  const setup: number[] = [];
  const outcomes: Record<string, number> = {};
  let ended = 0;
  let allEnded: () => void = () => undefined;
  const finished = new Promise<void>((r) => (allEnded = r));
  driver.onEvent((e: DriverEvent) => {
    if (e.type === 'answered') {
      setup.push(e.at - (originatedAt.get(e.callId) ?? e.at));
      setTimeout(() => driver.hangup(e.callId), holdMs);
    }
    if (e.type === 'ended') {
      outcomes[e.outcome] = (outcomes[e.outcome] ?? 0) + 1;
      if (++ended === calls) allEnded();
    }
  });
  await driver.start();
  const cpu = process.cpuUsage();
  const t0 = Date.now();
  for (let i = 0; i < calls; i++) {
    const due = t0 + (i * 1000) / cps;
    if (due > Date.now()) await sleep(due - Date.now());
    const callId = `cps-${i}`;
    originatedAt.set(callId, Date.now());
    driver.originate({ callId, to: `+1555${String(i).padStart(7, '0')}`, from: '+15550000000', ringTimeoutMs: 15_000, amd: false, contactId: callId, attemptNo: 1 });
  }
  const dialSeconds = (Date.now() - t0) / 1000;
  await Promise.race([finished, sleep(60_000)]);
  const wall = Date.now() - t0;
  const cpuPct = cpuPercent(cpu, wall);
  await driver.stop();
  const sippExit = await Promise.race([uas.done, sleep(15_000).then(() => 'timeout')]);
  uas.kill();
  return {
    calls,
    targetCps: cps,
    achievedCps: Number((calls / dialSeconds).toFixed(1)),
    answered: outcomes['answered-human'] ?? 0,
    failed: calls - (outcomes['answered-human'] ?? 0),
    outcomes,
    setupP50Ms: pct(setup, 0.5),
    setupP99Ms: pct(setup, 0.99),
    driverCpuPercentOfOneCore: cpuPct,
    sippExit,
  };
}

async function bridged(n: number, steadyS: number, dir: string): Promise<Record<string, unknown>> {
  const hello = synthesizeGreeting(dir, 'bench-hello', { encoding: 'ulaw', parts: [{ silenceS: 0.6 }, { say: 'Hello?' }, { silenceS: 1.4 }] });
  const portMin = 40000;
  const agentPhone = sipp('agent', ip(3), ['-m', String(n), '-mi', ip(3), '-mp', '6000', '-rtp_echo', '-max_recv_loops', '10000'], steadyS + 120, dir);
  const customers = sipp('bench-customer', ip(2), ['-m', String(n), '-key', 'sink_host', ip(4), '-key', 'sink_port', '7000', '-max_recv_loops', '10000'], steadyS + 120, dir);
  await sleep(500);
  const driver = new SipDriver({
    sip: { host: ip(1), port: 5060 },
    trunk: { uri: `sip:${ip(2)}:5060` },
    media: { host: ip(1), portMin, portMax: portMin + 4 * n + 20 },
  });
  const legs: string[] = [];
  const up = new Set<string>();
  const verdictAt = new Map<string, number>();
  const verdicts: Record<string, number> = {};
  const afterVerdict: number[] = [];
  const switchMs: number[] = [];
  const errors: string[] = [];
  let bridgedCount = 0;
  driver.onEvent((e: DriverEvent) => {
    if (e.type === 'agent-leg' && e.state === 'up') up.add(e.legId);
    if (e.type === 'amd') {
      verdicts[`${e.result}:${e.cause}`] = (verdicts[`${e.result}:${e.cause}`] ?? 0) + 1;
      verdictAt.set(e.callId, e.at);
      const i = Number(e.callId.slice(3));
      driver.bridge(e.callId, legs[i] ?? '');
    }
    if (e.type === 'bridged') {
      bridgedCount++;
      afterVerdict.push(e.at - (verdictAt.get(e.callId) ?? e.at));
      switchMs.push(e.latencyMs);
    }
    if (e.type === 'error') errors.push(e.code);
  });
  await driver.start();
  for (let i = 0; i < n; i++) {
    legs.push(driver.openAgentLeg({ agentId: `a${i}`, target: `sip:agent${i}@${ip(3)}:5060` }));
    if (i % 10 === 9) await sleep(100);
  }
  for (let waited = 0; up.size < n && waited < 30_000; waited += 100) await sleep(100);
  const agentsUp = up.size;
  // Customer legs take the next ports after the agents' (the pool hands them out in order).
  const generator = spawn(process.execPath, ['--import', 'tsx', path.join(HERE, 'rtp-generator.ts'), ip(4), '7000', ip(1), String(portMin + 2 * n), String(portMin + 4 * n), hello], { stdio: ['ignore', 'pipe', 'inherit'] });
  let genOut = '';
  generator.stdout.on('data', (d: Buffer) => (genOut += d.toString()));
  const genKiller = setTimeout(() => generator.kill('SIGKILL'), (steadyS + 120) * 1000);
  await sleep(1500);
  for (let i = 0; i < n; i++) {
    driver.originate({ callId: `cus${i}`, to: `+1555${String(i).padStart(7, '0')}`, from: '+15550000000', ringTimeoutMs: 15_000, amd: { maxMs: 5000 }, contactId: `c${i}`, attemptNo: 1 });
    if (i % 10 === 9) await sleep(100);
  }
  for (let waited = 0; bridgedCount < n && waited < 30_000; waited += 200) await sleep(200);
  const counters = async (): Promise<{ sent: number; received: number }> => {
    const before = genOut.length;
    generator.kill('SIGUSR1');
    for (let i = 0; i < 50 && genOut.length === before; i++) await sleep(20);
    const line = genOut.slice(before).trim().split('\n').pop() ?? '{}';
    return JSON.parse(line) as { sent: number; received: number };
  };
  const lag = monitorEventLoopDelay({ resolution: 10 });
  const c0 = await counters();
  const m0 = driver.mediaStats();
  const cpu = process.cpuUsage();
  const t0 = Date.now();
  lag.enable();
  await sleep(steadyS * 1000);
  lag.disable();
  const wall = Date.now() - t0;
  const cpuUsed = process.cpuUsage(cpu);
  const cpuPct = cpuPercent(cpu, wall);
  const m1 = driver.mediaStats();
  const packets = m1.packetsIn - m0.packetsIn + (m1.packetsOut - m0.packetsOut);
  const cpuUsPerPacket = (cpuUsed.user + cpuUsed.system) / Math.max(1, packets);
  const c1 = await counters();
  const health = driver.health();
  const expected = bridgedCount * 50 * (wall / 1000);
  await driver.stop();
  clearTimeout(genKiller);
  generator.kill('SIGTERM');
  const [agentExit, customerExit] = await Promise.all([agentPhone.done, customers.done].map((p) => Promise.race([p, sleep(15_000).then(() => 'timeout')])));
  agentPhone.kill();
  customers.kill();
  return {
    agentLegsUp: agentsUp,
    bridgedCalls: bridgedCount,
    callsInFlight: health.inFlight,
    amdVerdicts: verdicts,
    bridgeAfterVerdictP50Ms: pct(afterVerdict, 0.5),
    bridgeAfterVerdictP99Ms: pct(afterVerdict, 0.99),
    bridgeAfterVerdictMaxMs: pct(afterVerdict, 1),
    firstPacketAfterBridgeP50Ms: pct(switchMs, 0.5),
    steadySeconds: Number((wall / 1000).toFixed(1)),
    driverCpuPercentOfOneCore: cpuPct,
    eventLoopDelayP99Ms: Number((lag.percentile(99) / 1e6).toFixed(1)),
    eventLoopDelayMaxMs: Number((lag.max / 1e6).toFixed(1)),
    // Generator → customer leg → bridge → agent phone (echo) → agent leg → bridge → customer leg → sink.
    roundTripAudioDelivered: Number(((c1.received - c0.received) / Math.max(1, expected)).toFixed(3)),
    // What the calls offer the driver: per bridged call 100 packets/s in and 100 out.
    offeredPacketsPerSecond: bridgedCount * 200,
    handledPacketsPerSecond: Math.round(packets / (wall / 1000)),
    // CPU the driver spent per RTP packet in or out, and what one fully available core would carry at that cost.
    cpuMicrosecondsPerPacket: Number(cpuUsPerPacket.toFixed(2)),
    projectedBridgedCallsPerCore: Math.floor(1e6 / cpuUsPerPacket / 200),
    errors: errors.slice(0, 10),
    sippExit: { agent: agentExit, customers: customerExit },
  };
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    args: process.argv.slice(2).filter((a) => a !== '--'),
    options: {
      phase: { type: 'string', default: 'all' },
      cps: { type: 'string', default: '100' },
      calls: { type: 'string', default: '1000' },
      'hold-ms': { type: 'string', default: '1000' },
      bridged: { type: 'string', default: '500' },
      'steady-s': { type: 'string', default: '15' },
      json: { type: 'boolean' },
    },
  });
  try {
    execFileSync('which', ['sipp'], { stdio: 'ignore' });
  } catch {
    console.error('bench:sip needs SIPp (Debian package sip-tester)');
    return 1;
  }
  if (!toolsAvailable()) {
    console.error('bench:sip needs espeak-ng and sox');
    return 1;
  }
  const dir = mkdtempSync(path.join(tmpdir(), 'outdial-sipbench-'));
  const report: Record<string, unknown> = { loadAverageAtStart: (await import('node:os')).loadavg().map((l) => Number(l.toFixed(2))) };
  try {
    if (values.phase === 'cps' || values.phase === 'all') {
      report['setupRate'] = await setupRate(Number(values.cps), Number(values.calls), Number(values['hold-ms']), dir);
      if (!values.json) console.error(JSON.stringify(report['setupRate']));
    }
    if (values.phase === 'bridge' || values.phase === 'all') {
      report['bridged'] = await bridged(Number(values.bridged), Number(values['steady-s']), dir);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  report['loadAverageAtEnd'] = (await import('node:os')).loadavg().map((l) => Number(l.toFixed(2)));
  console.log(values.json ? JSON.stringify(report) : JSON.stringify(report, null, 2));
  return 0;
}

process.exitCode = await main();
process.exit();
