/** Gradient steps per second over a sliding window of recent (time, total steps) samples. */
export class StepsMeter {
  private samples: Array<[number, number]> = [];

  constructor(private readonly windowMs: number) {}

  reset(): void {
    this.samples = [];
  }

  record(time: number, steps: number): void {
    this.samples.push([time, steps]);
    while (this.samples.length > 2 && time - this.samples[1][0] > this.windowMs) this.samples.shift();
  }

  rate(): number {
    if (this.samples.length < 2) return 0;
    const [t0, s0] = this.samples[0];
    const [t1, s1] = this.samples[this.samples.length - 1];
    return t1 > t0 ? ((s1 - s0) * 1000) / (t1 - t0) : 0;
  }
}
