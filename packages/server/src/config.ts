import { Type } from '@sinclair/typebox';
import type { Static } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { hostname } from 'node:os';

/** Process configuration: validated once at start, then frozen. Campaign settings live in the store instead. */
export const ConfigSchema = Type.Object(
  {
    port: Type.Integer({ minimum: 0, maximum: 65535, default: 8080 }),
    host: Type.String({ default: '0.0.0.0' }),
    /** sqlite:PATH or postgres://... */
    db: Type.String({ default: 'sqlite:./data/outdial.db' }),
    telephony: Type.Union([Type.Literal('sim'), Type.Literal('sip')], { default: 'sim' }),
    demo: Type.Boolean({ default: false }),
    /** This dialer node's name; several nodes sharing one PostgreSQL need distinct names (default: the host name). */
    nodeId: Type.String({ minLength: 1, default: hostname() }),
    /** How long a campaign lease lasts before another node may take the campaign over (ms). */
    leaseMs: Type.Integer({ minimum: 1000, default: 15_000 }),
    /** Session lifetime (ms): 12 hours, one shift. */
    sessionMs: Type.Integer({ minimum: 60_000, default: 12 * 3_600_000 }),
    /** Sign-in attempts allowed per client address per minute. */
    signInPerMinute: Type.Integer({ minimum: 1, default: 10 }),
    /** Session cookies only over HTTPS: set when the server (or its proxy) serves HTTPS. */
    secureCookies: Type.Boolean({ default: false }),
    /** Behind a reverse proxy: take the client address from X-Forwarded-For (sign-in rate limits per client). */
    trustProxy: Type.Boolean({ default: false }),
    /** Where the built web app is (packages/web/dist). */
    webRoot: Type.String({ default: '' }),
    /** Directory for binary data (DNC registry bitsets, recordings); empty = beside the SQLite file, else ./data. */
    dataDir: Type.String({ default: '' }),
    /** Seed of the simulated carrier (demo reproducibility). */
    simSeed: Type.Integer({ default: 1 }),
    /** A scenario file (pacing-bench format) for the simulated carrier; empty = the demo's human-paced scenario. */
    simScenario: Type.String({ default: '' }),
    /** The SIP driver (`telephony: sip`): our address, the trunk, the media ports, where agents' phones are. */
    sip: Type.Object(
      {
        /** Our SIP listening address and port (UDP and TCP). */
        host: Type.String({ default: '127.0.0.1' }),
        port: Type.Integer({ minimum: 1, maximum: 65535, default: 5060 }),
        /** The trunk: sip:host[:port][;transport=tcp]. */
        trunk: Type.String({ default: '' }),
        outboundProxy: Type.String({ default: '' }),
        username: Type.String({ default: '' }),
        password: Type.String({ default: '' }),
        /** Register at the trunk (seconds between refreshes); 0 = IP authentication, no REGISTER. */
        registerExpiresS: Type.Integer({ minimum: 0, default: 0 }),
        mediaHost: Type.String({ default: '127.0.0.1' }),
        mediaPortMin: Type.Integer({ minimum: 1024, maximum: 65535, default: 20000 }),
        mediaPortMax: Type.Integer({ minimum: 1024, maximum: 65535, default: 29999 }),
        /**
         * Each agent's phone, called when they sign in and kept up: `{username}` is replaced. `agent:{username}` means
         * the phone registers with Outdial (it is then called there) or calls in: see agentExtensions.
         */
        agentUri: Type.String({ default: 'sip:{username}@127.0.0.1:5070' }),
        /** Phones that may register or call in, by extension (the agent's username with `agent:{username}`): password. */
        agentExtensions: Type.Record(Type.String({ pattern: '^[A-Za-z0-9._-]+$' }), Type.String({ minLength: 1 }), { default: {} }),
        /** The number agents' phones dial to reach Outdial; empty = any number. */
        agentCallInNumber: Type.String({ default: '' }),
        /** Where recordings are written (stereo WAV); empty = <dataDir>/recordings. */
        recordingDir: Type.String({ default: '' }),
        /** Record every answered call (stereo WAV, stored with its attempt); off by default: consent rules vary. */
        recordCalls: Type.Boolean({ default: false }),
      },
      { additionalProperties: false, default: {} },
    ),
    logLevel: Type.Union(
      [Type.Literal('fatal'), Type.Literal('error'), Type.Literal('warn'), Type.Literal('info'), Type.Literal('debug'), Type.Literal('silent')],
      { default: 'info' },
    ),
  },
  { additionalProperties: false },
);

export type ServerConfig = Readonly<Static<typeof ConfigSchema>>;

/** The configuration is wrong (a missing or invalid setting): the message names it. */
export class ConfigError extends Error {}

/** Fills defaults, validates, freezes. Throws one error that names every bad field. */
export function loadConfig(input: Record<string, unknown>): ServerConfig {
  const withDefaults = Value.Default(ConfigSchema, structuredClone(input)) as Record<string, unknown>;
  const errors = [...Value.Errors(ConfigSchema, withDefaults)];
  if (errors.length > 0) {
    const lines = errors.map((e) => `  ${e.path || '/'}: ${e.message} (got ${JSON.stringify(e.value)})`);
    throw new ConfigError(`invalid configuration:\n${lines.join('\n')}`);
  }
  return Object.freeze(withDefaults as ServerConfig);
}
