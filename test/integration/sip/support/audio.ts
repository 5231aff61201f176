import { synthesizeGreeting } from '@outdial/bench/greeting-synth';

/** The called parties' audio for SIPp (µ-law WAV for rtp_stream) and a prompt for us to play, built in `dir`. */
export function buildAudioFixtures(dir: string): { prompt: string } {
  synthesizeGreeting(dir, 'human', {
    encoding: 'ulaw',
    parts: [{ silenceS: 0.3 }, { say: 'Hello?' }, { silenceS: 2.2 }, { say: 'Yes, who is calling please?' }, { silenceS: 1.5 }],
  });
  synthesizeGreeting(dir, 'machine', {
    encoding: 'ulaw',
    parts: [
      { silenceS: 0.3 },
      { say: "Hi, you've reached the Smith family. We can't come to the phone right now. Please leave a message after the tone." },
      { silenceS: 0.3 },
      { beepHz: 1000, beepS: 0.5 },
      { silenceS: 4 },
    ],
  });
  synthesizeGreeting(dir, 'sit', {
    encoding: 'ulaw',
    parts: [{ silenceS: 0.2 }, { beepHz: 913.8, beepS: 0.274 }, { beepHz: 1370.6, beepS: 0.274 }, { beepHz: 1776.7, beepS: 0.38 }, { silenceS: 1 }],
  });
  const prompt = synthesizeGreeting(dir, 'vm-drop', { encoding: 'pcm16', parts: [{ say: 'This is Acme calling about your order. Please call us back.' }] });
  return { prompt };
}
