/**
 * The engine's count of lines (the trunk cap) as the driver counts them. A call holds its line from the dial command
 * until the driver has finished reporting its end: a driver forgets a call only after its `ended` listeners return,
 * so a line freed inside that report and dialed again at once would be refused (503) — and the refusal's own end
 * would free a line the same way, asking the policy again at the same instant without end. Lines whose end is being
 * reported are therefore released only when no report is in progress.
 */
export class TrunkLines {
  private held = 0;
  /** Lines of calls whose end has been reported, not yet released. */
  private releasing = 0;
  /** Nesting depth of `ended` reports being handled. */
  private ending = 0;

  constructor(readonly max: number) {}

  /** A dial command takes a line. */
  seize(): void {
    this.held++;
  }

  /** The driver reports a call's end: its line stays held until the report is over (`endReported`). */
  endReporting(): void {
    this.ending++;
    this.releasing++;
  }

  endReported(): void {
    this.ending--;
  }

  /** True while ended calls still hold their lines (a decision short of lines should be asked again after). */
  get releasePending(): boolean {
    return this.releasing > 0;
  }

  /** Lines free for a dial now (releasing the lines of ended calls once no end report is in progress). */
  free(): number {
    if (this.ending === 0 && this.releasing > 0) {
      this.held -= this.releasing;
      this.releasing = 0;
    }
    return Math.max(0, this.max - this.held);
  }
}
