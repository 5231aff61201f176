import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '@outdial/cli/main';
import { skipUnless } from '../../support/require.ts';
import { buildAudioFixtures } from './support/audio.ts';
import { hasTool, loopback, startSipp } from './support/peers.ts';
import type { Peer } from './support/peers.ts';

const missing = skipUnless(hasTool('sipp') && hasTool('espeak-ng') && hasTool('sox'), 'sipp, espeak-ng and sox');

let dir = '';
let prompt = '';
const peers: Peer[] = [];

async function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d: Buffer) => (out += d.toString()));
  stderr.on('data', (d: Buffer) => (err += d.toString()));
  const code = await main(['call', 'test', ...args], { stdin: new PassThrough(), stdout, stderr, env: {} });
  return { code, stdout: out, stderr: err };
}

describe.skipIf(missing)('outdial call test against SIPp', () => {
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'outdial-calltest-'));
    prompt = buildAudioFixtures(dir).prompt;
  });
  afterAll(() => {
    for (const p of peers) p.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('reports a human with its AMD verdict as one JSON document', async () => {
    const peer = await startSipp({ scenario: 'human', host: loopback(51), cwd: dir });
    peers.push(peer);
    const { code, stdout } = await run(['--trunk', `sip:${peer.host}:5060`, '--to', '+15555550100', '--from', '+15555550199', '--amd', '--local', loopback(151), '--json']);
    expect(code).toBe(0);
    const lines = stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    const result = JSON.parse(lines[0] ?? '{}') as Record<string, unknown>;
    expect(Object.keys(result).sort()).toEqual(['amd', 'answerMs', 'outcome', 'q850', 'setupMs', 'sipCode']);
    expect(result).toMatchObject({ outcome: 'human', sipCode: 200, q850: 16, amd: { verdict: 'human' } });
    expect(typeof result['setupMs']).toBe('number');
    expect(result['answerMs'] as number).toBeGreaterThanOrEqual(result['setupMs'] as number);
    expect(await peer.exited).toBe(0);
  });

  it('reports busy with the Q.850 cause, answerMs and amd null', async () => {
    const peer = await startSipp({ scenario: 'busy', host: loopback(52), cwd: dir });
    peers.push(peer);
    const { code, stdout } = await run(['--trunk', `sip:${peer.host}:5060`, '--to', '5550100', '--from', '+15555550199', '--local', loopback(152), '--json']);
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual({ outcome: 'busy', sipCode: 486, q850: 17, setupMs: expect.any(Number), answerMs: null, amd: null });
  });

  it('plays a file after the answer, then hangs up', async () => {
    const peer = await startSipp({ scenario: 'answer', host: loopback(53), cwd: dir });
    peers.push(peer);
    const { code, stdout, stderr } = await run(['--trunk', `sip:${peer.host}:5060`, '--to', '+15555550100', '--play', prompt, '--local', `${loopback(153)}:5090`, '--json']);
    expect(code, stderr).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ outcome: 'human', sipCode: 200, amd: null });
    expect(await peer.exited).toBe(0);
  });
});
