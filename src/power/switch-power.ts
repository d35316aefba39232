// Switch power (DESIGN.md, Power: "switch ports may have static and per-byte power"). A switch draws a
// chassis power and a power per port whatever the load: Mahadevan et al., "A Power Benchmarking Framework for
// Network Devices", IFIP Networking 2009, P = P_chassis + Σ_ports P_port: in their measurements the traffic
// load changed a switch's power little next to its chassis and active ports. Studies that charge traffic add an energy per byte forwarded, the
// load-proportional term of Vishwanath et al., "Modeling Energy Consumption in High-Capacity Routers and
// Switches", IEEE JSAC 32(8), 2014 (E = P_idle·t + E_bit·bits). No figures are built in: chassis, port and
// per-byte figures differ by an order of magnitude between devices, so a scenario gives its own.
// Assumptions: every port of a switch is one directed link leaving it (one full-duplex cable), powered for the
// whole accounting period whatever its state (link-down and switched-off hosts do not power ports down); a
// byte is forwarded once by each switch it leaves.

export interface SwitchPowerModel {
  chassisW: number;
  /** per port (per cable attached), W */
  portW: number;
  /** per byte forwarded, J */
  perByteJ: number;
}

/** A switch's energy over `durationS`: static power for the duration, and the per-byte term on what it forwarded. */
export function switchEnergyJ(model: SwitchPowerModel, ports: number, forwardedBytes: number, durationS: number): number {
  return (model.chassisW + ports * model.portW) * durationS + model.perByteJ * forwardedBytes;
}
