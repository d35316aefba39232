/** A broken invariant inside the simulator: the message starts with where it broke (STYLE.md, Errors). */
export class SimulationError extends Error {
  constructor(where: string, what: string) {
    super(`${where}: ${what}`);
    this.name = 'SimulationError';
  }
}
