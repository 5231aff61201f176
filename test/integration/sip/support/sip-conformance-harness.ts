import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ConformanceHarness } from '@outdial/telephony/conformance/harness';
import type { FarEndBehaviour } from '@outdial/telephony/conformance/far-end';
import { RealClock } from '@outdial/telephony/real-clock';
import { SipDriver } from '@outdial/driver-sip/sip-driver';
import { buildAudioFixtures } from './audio.ts';
import { loopback, startSipp } from './peers.ts';
import type { Peer } from './peers.ts';

/** Audio is synthesised once per test file (espeak-ng + sox), then shared by every harness. */
let fixtures: { dir: string; prompt: string } | undefined;
function audio(): { dir: string; prompt: string } {
  if (!fixtures) {
    const dir = mkdtempSync(path.join(tmpdir(), 'outdial-sip-conf-'));
    fixtures = { dir, ...buildAudioFixtures(dir) };
  }
  return fixtures;
}

export function removeConformanceAudio(): void {
  if (fixtures) rmSync(fixtures.dir, { recursive: true, force: true });
  fixtures = undefined;
}

let nextHost = 60;
/** A fresh loopback address per far end (60–99, then round again: earlier peers are gone by then). */
function freshHost(): string {
  const host = loopback(nextHost);
  nextHost = nextHost >= 99 ? 60 : nextHost + 1;
  return host;
}

/**
 * The conformance rig for the `sip` driver: each scripted far end is a SIPp instance on its own loopback address
 * (the driver dials it by SIP URI), the agent's phone is SIPp in auto-answer with RTP echo, time is real.
 */
export async function makeSipHarness(): Promise<ConformanceHarness> {
  const { dir, prompt } = audio();
  const peers: Peer[] = [];
  const driverHost = loopback(150);
  const driver = new SipDriver({
    sip: { host: driverHost, port: 5060 },
    trunk: { uri: `sip:${loopback(149)}:5060` },
    media: { host: driverHost, portMin: 33000, portMax: 33200 },
    prompts: { 'abandon-default': prompt },
    // Recorded calls are written here, so the suite's recording check sees real `recording` events.
    recordingDir: path.join(dir, 'recordings'),
  });
  const agentPhone = await startSipp({ scenario: 'agent', host: loopback(148), cwd: dir, calls: 5, timeoutS: 90, extraArgs: ['-rtp_echo'] });
  peers.push(agentPhone);

  async function farEnd(b: FarEndBehaviour): Promise<string> {
    const host = freshHost();
    const peerDir = path.join(dir, host);
    mkdirSync(peerDir, { recursive: true });
    let peer: Peer;
    if (b.kind === 'answer') {
      copyFileSync(path.join(dir, b.party === 'machine' ? 'machine.wav' : 'human.wav'), path.join(peerDir, 'greeting.wav'));
      const talk = b.talkMs !== undefined ? ['-set', 'talk_ms', String(b.talkMs)] : [];
      peer = await startSipp({ scenario: b.talkMs !== undefined ? 'conf-answer-bye' : 'conf-answer', host, cwd: peerDir, timeoutS: 60, extraArgs: ['-set', 'ring_ms', String(b.afterMs), ...talk] });
    } else if (b.kind === 'no-answer') {
      peer = await startSipp({ scenario: 'noanswer', host, cwd: peerDir, timeoutS: 60 });
    } else {
      // conf-busy (486, Q.850 17), conf-invalid (404), conf-congestion (503, Q.850 34), conf-decline (603).
      peer = await startSipp({ scenario: `conf-${b.kind}`, host, cwd: peerDir, timeoutS: 60, extraArgs: ['-set', 'ring_ms', String(b.afterMs)] });
    }
    peers.push(peer);
    return `sip:+15555550123@${host}:5060`;
  }

  return {
    driver,
    clock: new RealClock(),
    toleranceMs: 100,
    farEnd,
    agentTarget: (agentId) => `sip:${agentId}@${agentPhone.host}:5060`,
    advance: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    async until(predicate, timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      while (!predicate()) {
        if (Date.now() >= deadline) return false;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      return true;
    },
    async close() {
      for (const p of peers) p.stop();
    },
  };
}
