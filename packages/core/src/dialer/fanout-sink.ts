import type { EngineEvent } from './events.ts';
import type { EngineSink } from './ports.ts';

type EventType = EngineEvent['type'];

/** Hands every engine event to several sinks in order (hopper, store writer, metrics, simulated agents...). */
export class FanoutSink implements EngineSink {
  private readonly sinks: EngineSink[];
  /** Whether any sink wants a type, remembered until a sink is added. */
  private readonly wanted = new Map<EventType, boolean>();

  constructor(sinks: EngineSink[] = []) {
    this.sinks = [...sinks];
  }

  add(sink: EngineSink): void {
    this.sinks.push(sink);
    this.wanted.clear();
  }

  emit(event: EngineEvent): void {
    const s = this.sinks;
    for (let i = 0; i < s.length; i++) (s[i] as EngineSink).emit(event);
  }

  wants(type: EventType): boolean {
    let w = this.wanted.get(type);
    if (w === undefined) {
      w = this.sinks.some((s) => s.wants === undefined || s.wants(type));
      this.wanted.set(type, w);
    }
    return w;
  }
}
