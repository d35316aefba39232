// The write stream of IO mirroring (Mashtizadeh et al., USENIX ATC 2011, §5: ESX's mirror driver): each
// guest write to a region the bulk pass has already copied also goes, synchronously, to the destination.
// On the network it is one flow capped at the mirrored write rate (payload; the wire carries its packet
// overhead), sharing the path with the bulk copy and the memory stream. When the network cannot carry the
// writes as fast as the guest issues them, the flow gets less than its cap: the guest's writes wait for it.
// Writes are spread over the disk (the hot set is not one region): during the bulk pass the copied fraction
// grows from 0 to 1, so on average half the writes are mirrored (rate W/2 for the pass), then all of them.
import type { FlowId, FlowNetwork } from '../transport/flow-network.js';

/** One stretch of the open-ended flow: 2^40 B, then the next (as application-traffic.ts's long-lived flows). */
const OPEN_FLOW_WIRE_BYTES = 2 ** 40;

/** The size of one mirrored write: a 4 KiB block, the page size guests write back in (an assumption of ours). */
export const DISK_IO_BYTES = 4096;

export class MirrorStream {
  private flow: FlowId | undefined;
  private rateBytesPerS = 0;
  /** wire bytes carried so far */
  wireBytes = 0;

  constructor(
    private readonly network: FlowNetwork,
    private readonly path: Int32Array,
    private readonly wireFactor: number,
  ) {}

  /** payload bytes mirrored so far */
  get payloadBytes(): number {
    return this.wireBytes / this.wireFactor;
  }

  /** Mirrors writes at `payloadBytesPerS` from now on (0: none). */
  setRate(payloadBytesPerS: number): void {
    this.stopFlow();
    this.rateBytesPerS = payloadBytesPerS;
    this.startFlow();
  }

  stop(): void {
    this.setRate(0);
  }

  private startFlow(): void {
    if (!(this.rateBytesPerS > 0)) return;
    const flow = this.network.start({
      path: this.path,
      wireBytes: OPEN_FLOW_WIRE_BYTES,
      capBytesPerS: this.rateBytesPerS * this.wireFactor,
      onDelivered: () => {
        if (this.flow !== flow) return;
        this.flow = undefined;
        this.wireBytes += OPEN_FLOW_WIRE_BYTES;
        this.startFlow();
      },
    });
    this.flow = flow;
  }

  private stopFlow(): void {
    if (this.flow === undefined) return;
    this.wireBytes += this.network.cancel(this.flow);
    this.flow = undefined;
  }
}
