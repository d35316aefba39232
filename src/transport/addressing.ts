// What happens to a VM's traffic when it moves (DESIGN.md's addressing table): per-packet bytes on its
// traffic, the path its correspondents' packets take after the move, and the switchover delay until they
// find it there (added to the migration's downtime: src/migration/switchover.ts).
//   l2           one broadcast domain: the destination announces the VM with a gratuitous ARP at resume
//                (RFC 5227 §2.3; QEMU's qemu_announce_self sends the first at once). The switches learn the
//                new port when it reaches them: the farthest that must, the source's, is one path latency
//                away. That is the delay taken here (QEMU repeats the announcement 4 times, 50 ms then 100 ms
//                more apart, for frames lost; lost frames are not modelled). Cannot cross subnets (a config
//                error: src/config/storage-references.ts).
//   vxlan        RFC 7348: 50 B per packet (inner Ethernet 14, outer IPv4 20, UDP 8, VXLAN 8, §5), on the VM's traffic
//                all along (it lives in the overlay). The underlay's MTU is taken as raised by 50 B as §4.3
//                recommends, so the VM's packets keep their payload: wire = payload × (p + h + 50) / p
//                (wire.ts). Switchover: the flooded announcement teaches the remote VTEPs the new mapping
//                (flood and learn, §4.2): one path latency, as l2.
//   netlord      Mudigonda et al., SIGCOMM 2011: tenant frames encapsulated by the NetLord agent, 38 B per packet
//                (DESIGN.md: an Ethernet header 14 + its SPAIN VLAN tag 4 + IPv4 20); the new host's agent announces the
//                VM: one path latency.
//   vl2          Greenberg et al., SIGCOMM 2009: the VL2 agent on every server encapsulates to the location
//                address of the destination's ToR, 20 B (one IPv4 header). Its Valiant load balancing adds a
//                second 20 B header up to an intermediate switch; paths here are shortest paths with ECMP,
//                not bounced through intermediates, so that header is not counted. Every server's packets go
//                through the agent, the migration stream's too. Switchover: the directory is updated, one
//                round trip of the migration path.
//   mobile-ipv4  RFC 5944: after the move the correspondents' packets go to the home agent (the gateway of
//                the VM's home subnet, else its original host) and are tunnelled on to the care-of address,
//                IP-in-IP 20 B (RFC 2003); the VM's own packets go directly (no reverse tunnelling). The
//                triangle stays for the rest of the run. Switchover: the registration request and reply with
//                the home agent, one round trip. Approximation: the tunnel's 20 B are counted on the whole
//                correspondent → home agent → VM path (a flow has one wire factor), not only on the tunnel.
//   mobile-ipv6  RFC 6275: after the binding update (one round trip to the home agent, §11.7.1) packets go
//                directly, with a type 2 routing header toward the VM and a home address option from it, 24 B
//                each way. Return routability with correspondents is not modelled.
//   sdn          a central controller re-routes the VM: its round trip (network.sdn.controllerRtt, else the
//                migration path's) plus one rule update per switch of the path, one after another. No bytes.
import type { AddressingScheme, SdnSpec } from '../config/scenario.js';

export interface AddressingModel {
  /** per-packet bytes on the VM's traffic toward it, and from it */
  toVmBytes: number;
  fromVmBytes: number;
  /** the bytes are there from the start (an overlay the VM lives in), or only once it has moved */
  always: boolean;
  /** per-packet bytes on the migration stream (hypervisor to hypervisor) */
  streamBytes: number;
  /** the correspondents' path to the VM after the move */
  afterMove: 'direct' | 'via-home-agent';
  switchover: 'announcement' | 'directory' | 'home-agent' | 'controller';
  /** one line for `mignet models` and the README, and its source */
  description: string;
  citation: string;
}

export const ADDRESSING_MODELS: Record<AddressingScheme, AddressingModel> = {
  l2: {
    toVmBytes: 0, fromVmBytes: 0, always: true, streamBytes: 0, afterMove: 'direct', switchover: 'announcement',
    description: 'one broadcast domain: a gratuitous ARP from the destination, one path latency; not across subnets',
    citation: 'RFC 5227 §2.3; QEMU qemu_announce_self',
  },
  vxlan: {
    toVmBytes: 50, fromVmBytes: 50, always: true, streamBytes: 0, afterMove: 'direct', switchover: 'announcement',
    description: 'L2 overlay over UDP: 50 B per packet, flood-and-learn after the move',
    citation: 'RFC 7348 §4.2, §5',
  },
  netlord: {
    toVmBytes: 38, fromVmBytes: 38, always: true, streamBytes: 0, afterMove: 'direct', switchover: 'announcement',
    description: 'tenant frames encapsulated by the host agent: 38 B per packet, the new agent announces the VM',
    citation: 'Mudigonda et al., NetLord, SIGCOMM 2011',
  },
  vl2: {
    toVmBytes: 20, fromVmBytes: 20, always: true, streamBytes: 20, afterMove: 'direct', switchover: 'directory',
    description: 'location/application addresses: 20 B per packet (the stream too), a directory update of one RTT',
    citation: 'Greenberg et al., VL2, SIGCOMM 2009',
  },
  'mobile-ipv4': {
    toVmBytes: 20, fromVmBytes: 0, always: false, streamBytes: 0, afterMove: 'via-home-agent', switchover: 'home-agent',
    description: 'triangular routing through the home agent, 20 B IP-in-IP after the move; registration of one RTT',
    citation: 'RFC 5944; RFC 2003',
  },
  'mobile-ipv6': {
    toVmBytes: 24, fromVmBytes: 24, always: false, streamBytes: 0, afterMove: 'direct', switchover: 'home-agent',
    description: 'direct after a binding update of one RTT to the home agent, 24 B each way after the move',
    citation: 'RFC 6275 §6.3, §6.4, §11.7.1',
  },
  sdn: {
    toVmBytes: 0, fromVmBytes: 0, always: true, streamBytes: 0, afterMove: 'direct', switchover: 'controller',
    description: 'a central controller re-routes the VM: its RTT plus one rule update per switch of the path',
    citation: 'He et al., SOSR 2015: rule update times',
  },
};

/** The network figures a switchover delay is made of. */
export interface SwitchoverPath {
  /** one-way latency of the migration path (source host to destination host), s */
  pathLatencyS: number;
  /** round trip between the destination host and the VM's home agent, s */
  homeAgentRttS: number;
  /** switches (and gateways) on the migration path */
  switches: number;
}

/** The switchover delay of `scheme` on `path`: the time from the VM's resume until its traffic finds it, s. */
export function switchoverDelayS(scheme: AddressingScheme, path: SwitchoverPath, sdn: SdnSpec): number {
  switch (ADDRESSING_MODELS[scheme].switchover) {
    case 'announcement':
      return path.pathLatencyS;
    case 'directory':
      return 2 * path.pathLatencyS;
    case 'home-agent':
      return path.homeAgentRttS;
    case 'controller':
      return (sdn.controllerRttS ?? 2 * path.pathLatencyS) + path.switches * sdn.ruleUpdateS;
  }
}

/** Per-packet bytes of `scheme` on a flow toward (`toVm`) or from a VM that has, or has not, moved. */
export function trafficOverheadBytes(scheme: AddressingScheme, toVm: boolean, moved: boolean): number {
  const model = ADDRESSING_MODELS[scheme];
  if (!model.always && !moved) return 0;
  return toVm ? model.toVmBytes : model.fromVmBytes;
}
