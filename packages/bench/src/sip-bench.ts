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
 *  3. relay (`--phase relay`, not part of `all`): the media worker alone, no SIP and no SIPp: N customer legs each
 *     connected to an agent leg, a blaster on the main thread sending one G.711 packet every 20 ms to every leg (as
 *     the customers and the agents' phones would), both legs' far ends sockets on the main thread that count what the
 *     relay delivered. Reports the worker thread's CPU per packet (user and kernel), repeatable enough to compare two
 *     versions of the relay path on a busy machine (CPU time, not wall time).
 *
 *  4. relay-inproc (`--phase relay-inproc --bridged N --rounds R`): the relay path alone in one thread, datagrams
 *     handed to the endpoints synchronously: repeatable CPU time and callgrind instruction counts (`relayInProcess`).
 *
 *   nice npm run bench:sip -- [--phase cps|bridge|relay|relay-inproc|all] [--cps 100] [--calls 1000] [--bridged 500] [--steady-s 15]
 *     [--record] [--json]
 */
import { execFileSync, spawn } from 'node:child_process';
import dgram from 'node:dgram';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { DriverEvent } from '@outdial/core/telephony/driver';
import { MediaEngine } from '@outdial/driver-sip/media/media-engine';
import { MediaPlane } from '@outdial/driver-sip/media/media-plane';
import { SipDriver } from '@outdial/driver-sip/sip-driver';
import { RealClock } from '@outdial/telephony/real-clock';
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

/** CPU time (ms) one thread of this process has used, from Linux's /proc/self/task/TID/schedstat (nanoseconds). */
function threadCpuMs(tid: number | undefined): number {
  if (tid === undefined) return NaN;
  try {
    return Number(readFileSync(`/proc/self/task/${tid}/schedstat`, 'utf8').split(' ')[0]) / 1e6;
  } catch {
    return NaN;
  }
}

/** User and system CPU time (ms) of one thread, from /proc/self/task/TID/stat (clock ticks, 100 per second). */
function threadUserSysMs(tid: number | undefined): { user: number; sys: number } {
  if (tid === undefined) return { user: NaN, sys: NaN };
  try {
    const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { user: Number(fields[11]) * 10, sys: Number(fields[12]) * 10 };
  } catch {
    return { user: NaN, sys: NaN };
  }
}

const round = (x: number, digits = 1): number => Number(x.toFixed(digits));

/**
 * Datagrams the kernel dropped because a socket's receive buffer was full, summed per local IPv4 address, from
 * /proc/net/udp: tells the driver's own drops (its media address) from the test tools' (SIPp's echo, the sink).
 */
function udpDrops(hosts: string[]): Record<string, number> {
  const hex = (h: string): string => h.split('.').map((b) => Number(b).toString(16).padStart(2, '0').toUpperCase()).reverse().join('');
  const wanted = new Map(hosts.map((h) => [hex(h), h]));
  const out: Record<string, number> = Object.fromEntries(hosts.map((h) => [h, 0]));
  try {
    for (const line of readFileSync('/proc/net/udp', 'utf8').split('\n').slice(1)) {
      const cols = line.trim().split(/\s+/);
      const host = wanted.get((cols[1] ?? '').split(':')[0] ?? '');
      if (host !== undefined) out[host] = (out[host] ?? 0) + Number(cols[12] ?? 0);
    }
  } catch {
    // not Linux: no figures
  }
  return out;
}

/**
 * Concurrent bridged calls: N nailed-up agent legs to a SIPp phone that echoes RTP, N customer calls to SIPp whose
 * audio is the generator's; AMD on every call (and recording with `record`), each verdict bridges the call to its
 * agent. Then a steady state in which the generator tags every packet (probe mode), so what comes back through both
 * relays gives loss, round-trip delay and jitter; the media worker's and the main thread's CPU come from
 * /proc/self/task/TID/schedstat, their loop delays from monitorEventLoopDelay.
 */
async function bridged(n: number, steadyS: number, dir: string, record: boolean): Promise<Record<string, unknown>> {
  const hello = synthesizeGreeting(dir, 'bench-hello', { encoding: 'ulaw', parts: [{ silenceS: 0.6 }, { say: 'Hello?' }, { silenceS: 1.4 }] });
  const portMin = 40000;
  // The agents' phones: one SIPp echo per 200 legs, each on its own address. A single SIPp process echoing 500 legs
  // (50 k datagrams/s) overflowed its own receive buffer: loss the driver did not cause.
  const echoHosts = Array.from({ length: Math.max(1, Math.ceil(n / 200)) }, (_, k) => (k === 0 ? ip(3) : ip(20 + k)));
  const legsOn = (k: number): number => Math.floor(n / echoHosts.length) + (k < n % echoHosts.length ? 1 : 0);
  const agentPhones = echoHosts.map((host, k) => sipp('agent', host, ['-m', String(legsOn(k)), '-mi', host, '-mp', '6000', '-rtp_echo', '-max_recv_loops', '10000'], steadyS + 150, dir));
  const customers = sipp('bench-customer', ip(2), ['-m', String(n), '-key', 'sink_host', ip(4), '-key', 'sink_port', '7000', '-max_recv_loops', '10000'], steadyS + 150, dir);
  await sleep(500);
  const recordingDir = path.join(dir, 'recordings');
  const driver = new SipDriver({
    sip: { host: ip(1), port: 5060 },
    trunk: { uri: `sip:${ip(2)}:5060` },
    media: { host: ip(1), portMin, portMax: portMin + 4 * n + 20 },
    ...(record ? { recordingDir } : {}),
  });
  const legs: string[] = [];
  const up = new Set<string>();
  const verdictAt = new Map<string, { at: number; bridgedBefore: number }>();
  const verdicts: Record<string, number> = {};
  const afterVerdict: number[] = [];
  const afterVerdictUnderLoad: number[] = [];
  const switchMs: number[] = [];
  const errors: string[] = [];
  let bridgedCount = 0;
  driver.onEvent((e: DriverEvent) => {
    if (e.type === 'agent-leg' && e.state === 'up') up.add(e.legId);
    if (e.type === 'amd') {
      verdicts[`${e.result}:${e.cause}`] = (verdicts[`${e.result}:${e.cause}`] ?? 0) + 1;
      verdictAt.set(e.callId, { at: e.at, bridgedBefore: bridgedCount });
      const i = Number(e.callId.slice(3));
      driver.bridge(e.callId, legs[i] ?? '');
    }
    if (e.type === 'bridged') {
      bridgedCount++;
      const v = verdictAt.get(e.callId);
      const ms = e.at - (v?.at ?? e.at);
      afterVerdict.push(ms);
      // Under load: at least half the calls were already bridged and relaying when this verdict came.
      if (v && v.bridgedBefore >= n / 2) afterVerdictUnderLoad.push(ms);
      switchMs.push(e.latencyMs);
    }
    if (e.type === 'error') errors.push(e.code);
  });
  await driver.start();
  for (let i = 0; i < n; i++) {
    legs.push(driver.openAgentLeg({ agentId: `a${i}`, target: `sip:agent${i}@${echoHosts[i % echoHosts.length] ?? ip(3)}:5060` }));
    if (i % 10 === 9) await sleep(100);
  }
  for (let waited = 0; up.size < n && waited < 30_000; waited += 100) await sleep(100);
  const agentsUp = up.size;
  // Customer legs take the next ports after the agents' (the pool hands them out in order).
  const generator = spawn(process.execPath, ['--import', 'tsx', path.join(HERE, 'rtp-generator.ts'), ip(4), '7000', ip(1), String(portMin + 2 * n), String(portMin + 4 * n - 2), hello], { stdio: ['ignore', 'pipe', 'inherit'] });
  let genOut = '';
  generator.stdout.on('data', (d: Buffer) => (genOut += d.toString()));
  const genKiller = setTimeout(() => generator.kill('SIGKILL'), (steadyS + 150) * 1000);
  await sleep(1500);
  for (let i = 0; i < n; i++) {
    driver.originate({ callId: `cus${i}`, to: `+1555${String(i).padStart(7, '0')}`, from: '+15550000000', ringTimeoutMs: 15_000, amd: { maxMs: 5000 }, record, contactId: `c${i}`, attemptNo: 1 });
    if (i % 10 === 9) await sleep(100);
  }
  for (let waited = 0; bridgedCount < n && waited < 30_000; waited += 200) await sleep(200);
  const genLine = async (signal: NodeJS.Signals, key: string, waitMs: number): Promise<Record<string, unknown>> => {
    const before = genOut.length;
    generator.kill(signal);
    for (let i = 0; i < waitMs / 20 && !genOut.slice(before).includes(key); i++) await sleep(20);
    const line = genOut.slice(before).trim().split('\n').find((l) => l.includes(key)) ?? '{}';
    return JSON.parse(line) as Record<string, unknown>;
  };
  await sleep(1000); // the last bridges settle
  const lag = monitorEventLoopDelay({ resolution: 10 });
  const dropHosts = [ip(1), ip(4), ...echoHosts];
  const drops0 = udpDrops(dropHosts);
  const m0 = await driver.mediaStats();
  const workerCpu0 = threadCpuMs(m0?.threadId);
  const workerSplit0 = threadUserSysMs(m0?.threadId);
  const mainCpu0 = threadCpuMs(process.pid);
  const cpu = process.cpuUsage();
  const t0 = Date.now();
  lag.enable();
  generator.kill('SIGUSR2'); // probe on
  await sleep(steadyS * 1000);
  const wall = Date.now() - t0;
  const m1 = await driver.mediaStats();
  const workerCpu = threadCpuMs(m1?.threadId) - workerCpu0;
  const workerSplit1 = threadUserSysMs(m1?.threadId);
  const mainCpu = threadCpuMs(process.pid) - mainCpu0;
  lag.disable();
  const processCpu = process.cpuUsage(cpu);
  const probeOut = await genLine('SIGUSR2', '"probe"', 3000);
  const drops1 = udpDrops(dropHosts);
  const dropped = (h: string): number => (drops1[h] ?? 0) - (drops0[h] ?? 0);
  const health = driver.health();
  await driver.stop();
  clearTimeout(genKiller);
  generator.kill('SIGTERM');
  const exits = await Promise.all([customers.done, ...agentPhones.map((a) => a.done)].map((p) => Promise.race([p, sleep(15_000).then(() => 'timeout')])));
  const [customerExit, ...agentExits] = exits;
  for (const a of agentPhones) a.kill();
  customers.kill();
  const probe = (probeOut['probe'] ?? {}) as { lossPercent?: number };
  const packetsIn = (m1?.packetsIn ?? 0) - (m0?.packetsIn ?? 0);
  const packetsOut = (m1?.packetsOut ?? 0) - (m0?.packetsOut ?? 0);
  const workerCpuPct = round((workerCpu / wall) * 100);
  return {
    agentLegsUp: agentsUp,
    bridgedCalls: bridgedCount,
    callsInFlight: health.inFlight,
    recording: record,
    amdVerdicts: verdicts,
    bridgeAfterVerdictMs: { p50: pct(afterVerdict, 0.5), p99: pct(afterVerdict, 0.99), max: pct(afterVerdict, 1), n: afterVerdict.length },
    bridgeAfterVerdictUnderLoadMs: { p50: pct(afterVerdictUnderLoad, 0.5), p99: pct(afterVerdictUnderLoad, 0.99), max: pct(afterVerdictUnderLoad, 1), n: afterVerdictUnderLoad.length },
    firstPacketAfterBridgeP50Ms: pct(switchMs, 0.5),
    steadySeconds: round(wall / 1000),
    // Offered: per bridged call 100 packets/s in (customer + echoed agent audio) and 100 out.
    offeredPacketsPerSecond: bridgedCount * 200,
    mediaPacketsInPerSecond: Math.round(packetsIn / (wall / 1000)),
    relayedPacketsPerSecond: Math.round(packetsOut / (wall / 1000)),
    workerLegs: { legs: m1?.legs, bridged: m1?.bridgedLegs, amdRunning: m1?.amdLegs },
    mediaWorkerCpuPercentOfOneCore: workerCpuPct,
    mediaWorkerLoopUtilization: round(m1?.utilization ?? NaN, 3),
    mediaWorkerLoopDelayMs: { p99: round(m1?.loopDelayP99Ms ?? NaN), max: round(m1?.loopDelayMaxMs ?? NaN) },
    mediaWorkerCpuMicrosecondsPerPacket: round((workerCpu * 1000) / Math.max(1, packetsIn + packetsOut), 2),
    // The same split into user space (JS, Node, libuv) and kernel (the UDP syscalls, loopback delivery included).
    mediaWorkerUserSysMicrosecondsPerPacket: {
      user: round(((workerSplit1.user - workerSplit0.user) * 1000) / Math.max(1, packetsIn + packetsOut), 2),
      sys: round(((workerSplit1.sys - workerSplit0.sys) * 1000) / Math.max(1, packetsIn + packetsOut), 2),
    },
    mainThreadCpuPercent: round((mainCpu / wall) * 100),
    mainEventLoopDelayMs: { p99: round(lag.percentile(99) / 1e6), max: round(lag.max / 1e6) },
    processCpuPercent: round(((processCpu.user + processCpu.system) / 1000 / wall) * 100),
    relayedAudio: probeOut['probe'] ?? null,
    // Where the loss happened: datagrams dropped by full receive buffers during the steady state.
    kernelDrops: { driverSockets: dropped(ip(1)), agentPhoneEcho: echoHosts.reduce((sum, h) => sum + dropped(h), 0), generatorSink: dropped(ip(4)) },
    agentPhoneEchoProcesses: echoHosts.length,
    // The driver's share alone: every call bridged, the worker within one core, bridge p99 ≤ 40 ms and no datagram
    // dropped on the driver's sockets; the probe loss below also counts what the test tools lost (SIPp's echo).
    driverSustained: bridgedCount === n && workerCpuPct <= 100 && pct(afterVerdict, 0.99) <= 40 && dropped(ip(1)) === 0,
    sustained: bridgedCount === n && workerCpuPct <= 100 && (probe.lossPercent ?? 100) <= 0.1,
    errors: errors.slice(0, 10),
    sippExit: { agent: agentExits.length === 1 ? agentExits[0] : agentExits, customers: customerExit },
  };
}

/** Binds a UDP socket (its receive buffer deep enough for a burst of every leg's packet). */
async function udpSocket(host: string, port: number, onMessage?: (data: Buffer) => void): Promise<dgram.Socket> {
  const socket = dgram.createSocket('udp4');
  socket.on('error', () => undefined);
  if (onMessage) socket.on('message', onMessage);
  await new Promise<void>((resolve) => socket.bind(port, host, () => resolve()));
  socket.setRecvBufferSize(4 << 20);
  socket.setSendBufferSize(4 << 20);
  return socket;
}

/**
 * The relay path alone (phase 3 above): N bridged leg pairs in the media worker, every leg offered 50 packets/s of
 * µ-law by a blaster on the main thread, what the relay forwards counted at the far ends. CPU is the worker thread's
 * own, from /proc/self/task/TID/{schedstat,stat}.
 */
async function relay(n: number, steadyS: number, record: boolean): Promise<Record<string, unknown>> {
  const plane = new MediaPlane((detail) => console.error(detail));
  await plane.start();
  const portMin = 40000;
  let toCustomers = 0;
  let toAgents = 0;
  // The customers' and the agents' far ends: one socket each, like the bench's sink and SIPp's echo port.
  const customerSide = await udpSocket(ip(4), 7000, () => toCustomers++);
  const agentSide = await udpSocket(ip(3), 6000, () => toAgents++);
  const customers: number[] = [];
  const agents: number[] = [];
  for (let i = 0; i < n; i++) {
    const agent = plane.leg('agent', ip(1), portMin + 4 * i, {});
    const customer = plane.leg('customer', ip(1), portMin + 4 * i + 2, {});
    await Promise.all([agent.open(), customer.open()]);
    agent.setRemote({ host: ip(3), port: 6000 }, 'PCMU', 101);
    customer.setRemote({ host: ip(4), port: 7000 }, 'PCMU', 101);
    customer.answered(record, undefined);
    customer.connect(agent, i, 60);
    agents.push(agent.port);
    customers.push(customer.port);
  }
  // Voice-like µ-law (a 440 Hz tone), one frame per packet, each stream its own SSRC, sequence and timestamp.
  const frame = Buffer.alloc(160);
  for (let i = 0; i < 160; i++) frame[i] = 0x80 | Math.round(40 * Math.sin((2 * Math.PI * 440 * i) / 8000));
  let tick = 0;
  let sent = 0;
  const blast = (): void => {
    for (let i = 0; i < n; i++) {
      for (const [socket, port] of [[customerSide, customers[i] ?? 0], [agentSide, agents[i] ?? 0]] as const) {
        const pkt = Buffer.allocUnsafe(172); // a fresh buffer: dgram may still hold the previous one
        pkt[0] = 0x80;
        pkt[1] = tick === 0 ? 0x80 : 0;
        pkt.writeUInt16BE(tick & 0xffff, 2);
        pkt.writeUInt32BE((tick * 160) >>> 0, 4);
        pkt.writeUInt32BE(0x2000 + 2 * i + (socket === agentSide ? 1 : 0), 8);
        frame.copy(pkt, 12);
        socket.send(pkt, port, ip(1));
        sent++;
      }
    }
    tick++;
  };
  const t0 = Date.now();
  let cancelled = false;
  const loop = (): void => {
    if (cancelled) return;
    const due = Math.floor((Date.now() - t0) / 20);
    while (tick <= due) blast();
    setTimeout(loop, 20 - ((Date.now() - t0) % 20));
  };
  loop();
  await sleep(2000); // warm-up: the JIT settles
  const m0 = await plane.stats();
  const cpu0 = threadCpuMs(m0?.threadId);
  const split0 = threadUserSysMs(m0?.threadId);
  const sent0 = sent;
  const delivered0 = toCustomers + toAgents;
  const w0 = Date.now();
  await sleep(steadyS * 1000);
  const wall = Date.now() - w0;
  const m1 = await plane.stats();
  const cpu = threadCpuMs(m1?.threadId) - cpu0;
  const split1 = threadUserSysMs(m1?.threadId);
  const offered = sent - sent0;
  const delivered = toCustomers + toAgents - delivered0;
  cancelled = true;
  await sleep(200);
  await plane.stop();
  customerSide.close();
  agentSide.close();
  const packets = (m1?.packetsIn ?? 0) - (m0?.packetsIn ?? 0) + (m1?.packetsOut ?? 0) - (m0?.packetsOut ?? 0);
  const perPacket = (ms: number): number => round((ms * 1000) / Math.max(1, packets), 2);
  return {
    streams: n,
    recording: record,
    steadySeconds: round(wall / 1000),
    offeredPacketsPerSecond: Math.round(offered / (wall / 1000)),
    workerPacketsPerSecond: Math.round(packets / (wall / 1000)),
    deliveredPercent: round((100 * delivered) / Math.max(1, offered), 2),
    mediaWorkerCpuPercentOfOneCore: round((cpu / wall) * 100),
    mediaWorkerCpuMicrosecondsPerPacket: perPacket(cpu),
    mediaWorkerUserSysMicrosecondsPerPacket: { user: perPacket(split1.user - split0.user), sys: perPacket(split1.sys - split0.sys) },
    mediaWorkerLoopUtilization: round(m1?.utilization ?? NaN, 3),
  };
}

/**
 * The relay path in this thread, for instruction counts and CPU time (`--phase relay-inproc`, not part of `all`): N
 * bridged pairs in one MediaEngine (no worker); `rounds` rounds in which every leg is handed one datagram (a fresh
 * Buffer each, as dgram gives them) straight to its RTP endpoint's receive path, synchronously, and relays it through
 * its real connected socket to a far end nobody reads. No receive syscall and no timing in the loop, so the count is
 * repeatable: run it under callgrind with two values of `rounds`; the difference in instructions over the difference
 * in relays is one relay's user-space cost (building the datagram included, the same in every version):
 *
 *   valgrind --tool=callgrind node --import tsx packages/bench/src/sip-bench.ts --phase relay-inproc --bridged 100 --rounds 500
 */
async function relayInProcess(n: number, rounds: number, record: boolean): Promise<Record<string, unknown>> {
  const engine = new MediaEngine(new RealClock(), () => undefined);
  const host = ip(1);
  const far = ip(2);
  const agentsFar = await udpSocket(far, 6000);
  const customersFar = await udpSocket(far, 7000);
  for (let i = 0; i < n; i++) {
    engine.handle({ t: 'open', req: 2 * i, id: `a${i}`, kind: 'agent', host, port: 30000 + 4 * i });
    engine.handle({ t: 'open', req: 2 * i + 1, id: `c${i}`, kind: 'customer', host, port: 30002 + 4 * i });
  }
  await sleep(300);
  for (let i = 0; i < n; i++) {
    engine.handle({ t: 'remote', id: `a${i}`, host: far, port: 6000, codec: 'PCMU', telephoneEventPt: 101 });
    engine.handle({ t: 'remote', id: `c${i}`, host: far, port: 7000, codec: 'PCMU', telephoneEventPt: 101 });
    engine.handle({ t: 'answered', id: `c${i}`, record, amd: undefined });
    engine.handle({ t: 'connect', id: `c${i}`, agentId: `a${i}`, token: i, fallbackMs: 60 });
  }
  await sleep(300); // the connected sending sockets are in place
  // The endpoints' receive path is private: reached here by a cast, as only this benchmark needs it.
  const legs = [...(engine as unknown as { legs: Map<string, { rtp: { receive(data: Buffer): void } }> }).legs.values()];
  const cpu = process.cpuUsage();
  for (let r = 0; r < rounds; r++) {
    for (const leg of legs) {
      const pkt = Buffer.allocUnsafe(172);
      pkt.fill(0xd5, 12);
      pkt[0] = 0x80;
      pkt[1] = 0;
      pkt.writeUInt16BE(r & 0xffff, 2);
      pkt.writeUInt32BE((r * 160) >>> 0, 4);
      pkt.writeUInt32BE(0x3000, 8);
      leg.rtp.receive(pkt);
    }
    if (r % 50 === 49) await sleep(1); // the loop breathes (the ticker)
  }
  const used = process.cpuUsage(cpu);
  const packets = engine.packets();
  engine.stop();
  agentsFar.close();
  customersFar.close();
  const relays = rounds * legs.length;
  return {
    streams: n,
    rounds,
    recording: record,
    relays,
    relayed: packets.out,
    userMicrosecondsPerRelay: round(used.user / relays, 3),
    systemMicrosecondsPerRelay: round(used.system / relays, 3),
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
      record: { type: 'boolean' },
      rounds: { type: 'string', default: '60' },
      json: { type: 'boolean' },
    },
  });
  if (values.phase === 'relay-inproc') {
    console.log(JSON.stringify({ relayInProcess: await relayInProcess(Number(values.bridged), Number(values.rounds), values.record === true) }));
    return 0;
  }
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
    if (values.phase === 'relay') {
      report['relay'] = await relay(Number(values.bridged), Number(values['steady-s']), values.record === true);
    }
    if (values.phase === 'bridge' || values.phase === 'all') {
      report['bridged'] = await bridged(Number(values.bridged), Number(values['steady-s']), dir, values.record === true);
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
