// Utilization over time at a resolution that follows the run's length, in bounded memory: every channel (a
// directed link, or an aggregate such as all core links) keeps, per bin of one shared width, the time
// integral of its utilization and the highest utilization it held for a positive time. When the clock
// passes the last bin the width doubles and neighbouring bins merge (the "doubling histogram" of streaming
// summaries, e.g. Ben-Haim & Tom-Tov, JMLR 2010, with fixed equal bins), so a channel holds at most MAX_BINS
// bins, and a run ends with between MAX_BINS/2 and MAX_BINS of them whatever its length.
// Assumptions: utilization is piecewise constant between the moments it is recorded (the fluid model's
// rates are); widths are powers of two seconds, so bin edges i·width are exact floats.

/** Bins per channel at most; a run ends with more than half of them in use. */
export const MAX_BINS = 128;
/** The first bin width: 2^-10 s ≈ 1 ms, below any migration's duration. */
const FIRST_WIDTH_S = 2 ** -10;

/** A channel's utilization in equal bins from time 0: bin i covers [i·interval, (i+1)·interval), the last
 * bin ending at the end of the run. */
export interface UtilizationSeries {
  /** bin width, s */
  interval: number;
  /** time-averaged utilization in each bin, 0..1 */
  mean: number[];
  /** highest utilization held for a positive time in each bin, 0..1 */
  peak: number[];
}

/** The series' time average from 0 to `endS` (the run's end, where its last bin is cut): ∫ utilization dt / endS. */
export function meanUtilization(series: UtilizationSeries, endS: number): number {
  if (!(endS > 0)) return 0;
  const { interval, mean } = series;
  let integralS = 0;
  mean.forEach((value, bin) => (integralS += value * (Math.min(endS, (bin + 1) * interval) - bin * interval)));
  return integralS / endS;
}

export class UtilizationBins {
  private widthS = FIRST_WIDTH_S;
  /** per channel, allocated when it is first busy: ∫ utilization dt per bin (s) */
  private readonly integralS: (Float64Array | undefined)[];
  private readonly peak: (Float64Array | undefined)[];
  private readonly busyChannels: number[] = [];

  constructor(channelCount: number) {
    this.integralS = new Array<Float64Array | undefined>(channelCount).fill(undefined);
    this.peak = new Array<Float64Array | undefined>(channelCount).fill(undefined);
  }

  /** Records that `channel` ran at `utilization` from `fromS` to `toS`. */
  add(channel: number, fromS: number, toS: number, utilization: number): void {
    if (!(toS > fromS) || !(utilization > 0)) return;
    this.cover(toS);
    let integral = this.integralS[channel];
    let peak = this.peak[channel];
    if (integral === undefined || peak === undefined) {
      integral = this.integralS[channel] = new Float64Array(MAX_BINS);
      peak = this.peak[channel] = new Float64Array(MAX_BINS);
      this.busyChannels.push(channel);
    }
    const width = this.widthS;
    const last = Math.min(MAX_BINS - 1, Math.ceil(toS / width) - 1);
    for (let bin = Math.floor(fromS / width); bin <= last; bin++) {
      const overlapS = Math.min(toS, (bin + 1) * width) - Math.max(fromS, bin * width);
      if (overlapS <= 0) continue;
      integral[bin]! += utilization * overlapS;
      if (utilization > peak[bin]!) peak[bin] = utilization;
    }
  }

  /** Widens the bins until they reach `endS`. */
  private cover(endS: number): void {
    while (endS > MAX_BINS * this.widthS) {
      for (const channel of this.busyChannels) {
        const integral = this.integralS[channel]!;
        const peak = this.peak[channel]!;
        for (let bin = 0; bin < MAX_BINS / 2; bin++) {
          integral[bin] = integral[2 * bin]! + integral[2 * bin + 1]!;
          peak[bin] = Math.max(peak[2 * bin]!, peak[2 * bin + 1]!);
        }
        integral.fill(0, MAX_BINS / 2);
        peak.fill(0, MAX_BINS / 2);
      }
      this.widthS *= 2;
    }
  }

  /** The channel's series from 0 to `endS`, the run's end: the last bin is cut there. */
  series(channel: number, endS: number): UtilizationSeries {
    this.cover(endS);
    const width = this.widthS;
    const count = Math.max(1, Math.ceil(endS / width));
    const integral = this.integralS[channel];
    const peak = this.peak[channel];
    const mean: number[] = [];
    const peaks: number[] = [];
    for (let bin = 0; bin < count; bin++) {
      const lengthS = Math.min(endS, (bin + 1) * width) - bin * width;
      mean.push(integral === undefined || !(lengthS > 0) ? 0 : integral[bin]! / lengthS);
      peaks.push(peak?.[bin] ?? 0);
    }
    return { interval: width, mean, peak: peaks };
  }
}

/** A step function as one binned series: each step's value holds from its time to the next step's (the last
 * to `endS`). For series the run records as change points (migrations in flight). */
export function binSteps(steps: readonly { timeS: number; value: number }[], endS: number): UtilizationSeries {
  const bins = new UtilizationBins(1);
  steps.forEach((step, i) => bins.add(0, step.timeS, Math.min(endS, steps[i + 1]?.timeS ?? endS), step.value));
  return bins.series(0, endS);
}
