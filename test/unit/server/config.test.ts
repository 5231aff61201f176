import { describe, expect, it } from 'vitest';
import { loadConfig } from '@outdial/server/config';

describe('server config', () => {
  it('fills defaults and freezes the result', () => {
    const config = loadConfig({});
    expect(config.port).toBe(8080);
    expect(config.db).toBe('sqlite:./data/outdial.db');
    expect(config.telephony).toBe('sim');
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('names every bad field in one error', () => {
    expect(() => loadConfig({ port: 70000, telephony: 'pigeon', extra: 1 })).toThrow(/\/port[\s\S]*\/telephony/);
    expect(() => loadConfig({ extra: 1 })).toThrow(/invalid configuration/);
  });
});
