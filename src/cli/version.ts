// The package's version, read once from package.json: `mignet --version` prints it before any command loads.
import { createRequire } from 'node:module';

export const VERSION = (createRequire(import.meta.url)('../../package.json') as { version: string }).version;
