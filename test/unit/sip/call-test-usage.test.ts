import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { main } from '@outdial/cli/main';
import { outcomeForCli } from '@outdial/driver-sip/test-call';

async function run(args: string[]): Promise<{ code: number; stderr: string; stdout: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let err = '';
  let out = '';
  stderr.on('data', (d: Buffer) => (err += d.toString()));
  stdout.on('data', (d: Buffer) => (out += d.toString()));
  const code = await main(['call', 'test', ...args], { stdin: new PassThrough(), stdout, stderr, env: {} });
  return { code, stderr: err, stdout: out };
}

describe('outdial call test arguments', () => {
  it('says in --help that it is a diagnostic without compliance checks', async () => {
    const { code, stdout } = await run(['--help']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/diagnostic/);
    expect(stdout).toMatch(/NO compliance checks/);
  });

  it.each([
    [['--to', '+15555550100'], /--trunk/],
    [['--trunk', 'http://x', '--to', '1'], /--trunk/],
    [['--trunk', 'sip:127.0.0.1', '--to', 'abc'], /--to/],
    [['--trunk', 'sip:127.0.0.1', '--to', '1', '--play', '/nonexistent.wav'], /--play/],
    [['--trunk', 'sip:127.0.0.1', '--to', '1', '--ring-timeout', 'x'], /--ring-timeout/],
    [['--trunk', 'sip:127.0.0.1', '--to', '1', '--bogus'], /bogus/],
  ])('rejects %j with exit 2 naming the flag', async (args, message) => {
    const { code, stderr } = await run(args);
    expect(code).toBe(2);
    expect(stderr).toMatch(message);
  });

  it('maps driver outcomes onto the contract vocabulary', () => {
    expect(outcomeForCli('answered-unknown', undefined)).toBe('human');
    expect(outcomeForCli('answered-unknown', 'machine')).toBe('machine');
    expect(outcomeForCli('no-answer', undefined)).toBe('no_answer');
    expect(outcomeForCli('unavailable', undefined)).toBe('no_answer');
    expect(outcomeForCli('blocked', undefined)).toBe('rejected');
    expect(outcomeForCli('invalid-number', undefined)).toBe('invalid');
    expect(outcomeForCli('carrier-error', undefined)).toBe('congestion');
    expect(outcomeForCli('config-error', undefined)).toBe('failed');
  });
});

describe('sip driver configuration from the environment', () => {
  it('builds a config from OUTDIAL_SIP_* and reports every problem at once', async () => {
    const { sipDriverConfigFromEnv } = await import('@outdial/driver-sip/sip-driver-from-env');
    const ok = sipDriverConfigFromEnv({ OUTDIAL_SIP_TRUNK: 'sip:10.0.0.9:5080;transport=tcp', OUTDIAL_SIP_LOCAL: '10.0.0.5', OUTDIAL_SIP_USER: 'u', OUTDIAL_SIP_PASSWORD: 'p' });
    expect(ok).toMatchObject({ config: { sip: { host: '10.0.0.5', port: 5060, transports: ['tcp'] }, trunk: { username: 'u', password: 'p' }, media: { portMin: 20000, portMax: 29999 } } });
    const bad = sipDriverConfigFromEnv({ OUTDIAL_SIP_TRUNK: 'nope', OUTDIAL_SIP_MEDIA: 'x:9-1' });
    expect('errors' in bad && bad.errors.map((e) => e.split(':')[0])).toEqual(['OUTDIAL_SIP_TRUNK', 'OUTDIAL_SIP_LOCAL', 'OUTDIAL_SIP_MEDIA']);
  });
});
