import { readFileSync } from 'node:fs';
import type { Codec } from './g711.ts';
import { encode } from './g711.ts';
import { readWav } from './wav.ts';

/** Prompts (the abandon message, voicemail drops) loaded once and pre-encoded as 20 ms G.711 frames per codec. */
export class PromptStore {
  private readonly pcm = new Map<string, Int16Array>();
  private readonly encoded = new Map<string, Uint8Array[]>();

  constructor(private readonly files: Readonly<Record<string, string>>) {}

  /** The prompt's frames in a codec, or an error saying why it cannot be played. */
  frames(promptId: string, codec: Codec): Uint8Array[] | { error: string } {
    const key = `${promptId}|${codec}`;
    const cached = this.encoded.get(key);
    if (cached) return cached;
    let samples = this.pcm.get(promptId);
    if (!samples) {
      const file = this.files[promptId];
      if (!file) return { error: `no prompt "${promptId}" is configured` };
      let data: Buffer;
      try {
        data = readFileSync(file);
      } catch (error) {
        return { error: `prompt "${promptId}": ${error instanceof Error ? error.message : String(error)}` };
      }
      const wav = readWav(data);
      if ('error' in wav) return { error: `prompt "${promptId}" (${file}): ${wav.error}` };
      samples = wav.samples;
      this.pcm.set(promptId, samples);
    }
    const frames: Uint8Array[] = [];
    for (let i = 0; i < samples.length; i += 160) {
      const chunk = new Int16Array(160);
      chunk.set(samples.subarray(i, Math.min(samples.length, i + 160)));
      frames.push(encode(codec, chunk));
    }
    this.encoded.set(key, frames);
    return frames;
  }

  /** Registers a prompt from samples (tests and `outdial call test --play`). */
  add(promptId: string, samples: Int16Array): void {
    this.pcm.set(promptId, samples);
    for (const key of [...this.encoded.keys()]) if (key.startsWith(`${promptId}|`)) this.encoded.delete(key);
  }
}
