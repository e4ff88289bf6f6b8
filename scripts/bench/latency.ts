export interface LatencySummary {
  count: number;
  p50Ms: number;
  p99Ms: number;
  meanMs: number;
  maxMs: number;
}

export class LatencyRecorder {
  private readonly samplesMs: number[] = [];

  record(ms: number): void {
    this.samplesMs.push(ms);
  }

  summary(): LatencySummary {
    const sorted = [...this.samplesMs].sort((a, b) => a - b);
    const sum = sorted.reduce((total, value) => total + value, 0);
    return {
      count: sorted.length,
      p50Ms: percentile(sorted, 50),
      p99Ms: percentile(sorted, 99),
      meanMs: sorted.length === 0 ? 0 : sum / sorted.length,
      maxMs: sorted.length === 0 ? 0 : sorted[sorted.length - 1],
    };
  }
}

/** Nearest-rank percentile of ascending samples. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

export function round(value: number, digits = 2): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}
