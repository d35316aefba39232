// The simulator's one queue of timed events, ordered by (time, sequence number) as htsim's EventList and
// ns-3's EventKey do: FastPriorityQueue is a binary heap with no stable ties, so the sequence number makes
// events at equal times run in the order they were scheduled, which keeps runs deterministic.
// Cancelled events stay in the heap and are skipped when they reach the top (lazy cancellation).
import FastPriorityQueue from 'fastpriorityqueue';

export interface ScheduledEvent {
  readonly timeS: number;
  readonly seq: number;
  cancelled: boolean;
  readonly run: () => void;
}

const earlier = (a: ScheduledEvent, b: ScheduledEvent): boolean =>
  a.timeS < b.timeS || (a.timeS === b.timeS && a.seq < b.seq);

export class EventQueue {
  private readonly heap = new FastPriorityQueue<ScheduledEvent>(earlier);
  private nextSeq = 0;

  push(timeS: number, run: () => void): ScheduledEvent {
    const event: ScheduledEvent = { timeS, seq: this.nextSeq++, cancelled: false, run };
    this.heap.add(event);
    return event;
  }

  /** the earliest event that is not cancelled, dropping cancelled ones on the way */
  peek(): ScheduledEvent | undefined {
    let top = this.heap.peek();
    while (top !== undefined && top.cancelled) {
      this.heap.poll();
      top = this.heap.peek();
    }
    return top;
  }

  pop(): ScheduledEvent | undefined {
    const top = this.peek();
    if (top !== undefined) this.heap.poll();
    return top;
  }

  get size(): number {
    return this.heap.size;
  }
}
