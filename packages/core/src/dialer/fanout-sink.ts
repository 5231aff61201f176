import type { EngineEvent } from './events.ts';
import type { EngineSink } from './ports.ts';

/** Hands every engine event to several sinks in order (hopper, store writer, metrics, simulated agents...). */
export class FanoutSink implements EngineSink {
  private readonly sinks: EngineSink[];

  constructor(sinks: EngineSink[] = []) {
    this.sinks = [...sinks];
  }

  add(sink: EngineSink): void {
    this.sinks.push(sink);
  }

  emit(event: EngineEvent): void {
    const s = this.sinks;
    for (let i = 0; i < s.length; i++) (s[i] as EngineSink).emit(event);
  }
}
