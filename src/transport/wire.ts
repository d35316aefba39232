// Bytes on the wire per byte of payload. A TCP stream is cut into packets of p = MTU − 40 B of payload
// (IPv4 20 B, RFC 791 + TCP 20 B without options, RFC 9293, both inside the MTU); every packet carries
// `headerBytes` of overhead on the wire (by default Ethernet's 38 B of header, FCS, preamble and
// inter-frame gap, IEEE 802.3, plus those 40 B) and any extra per-packet bytes (encapsulation, ESP/TLS).
// Assumes full-sized packets: a bulk transfer's last partial packet is negligible.
import type { NetworkSpec } from '../config/scenario.js';

export const IP_TCP_HEADER_BYTES = 40;

/** wire bytes / payload bytes, > 1 */
export function wireFactor(network: NetworkSpec, extraPerPacketBytes = 0): number {
  const payloadPerPacket = network.mtuBytes - IP_TCP_HEADER_BYTES;
  return (payloadPerPacket + network.headerBytes + extraPerPacketBytes) / payloadPerPacket;
}
