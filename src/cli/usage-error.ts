/** A wrong command line (not a wrong file): printed as one line, exit code 2. */
export class UsageError extends Error {}
