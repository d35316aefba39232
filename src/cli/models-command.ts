// `mignet models [--json]`: the models a scenario can name — strategies, addressing schemes, storage modes,
// ciphers, host power presets — each with its one-line description and its source, read from the registries
// that build them (SimGrid's --help-models prints from the table that builds the models), so the list cannot
// drift from what runs.
import { POWER_PRESETS } from '../config/power-schema.js';
import { HYPERVISOR_PROFILES } from '../migration/hypervisor.js';
import { STRATEGIES } from '../migration/registry.js';
import { SHARED_STORAGE, STORAGE_MODES } from '../migration/storage-strategies.js';
import { CIPHERS } from '../security/ciphers.js';
import { ADDRESSING_MODELS } from '../transport/addressing.js';

export interface ModelEntry {
  name: string;
  description: string;
  citation: string;
}

export interface ModelKind {
  /** the scenario field that names one */
  field: string;
  models: ModelEntry[];
}

function entries(table: Readonly<Record<string, { description: string; citation: string }>>): ModelEntry[] {
  return Object.entries(table).map(([name, { description, citation }]) => ({ name, description, citation }));
}

export function modelCatalogue(): Record<string, ModelKind> {
  return {
    strategies: { field: 'migrations[].strategy', models: entries(STRATEGIES) },
    addressing: { field: 'migrations[].addressing', models: entries(ADDRESSING_MODELS) },
    storage: { field: 'migrations[].storage', models: entries({ shared: SHARED_STORAGE, ...STORAGE_MODES }) },
    ciphers: {
      field: 'migrations[].encryption',
      models: Object.values(CIPHERS).map(({ name, description, source }) => ({ name, description, citation: source })),
    },
    powerPresets: { field: 'hosts.power', models: entries(POWER_PRESETS) },
    hypervisors: { field: 'hypervisor, migrations[].hypervisor', models: entries(HYPERVISOR_PROFILES) },
  };
}

export function formatCatalogue(catalogue: Record<string, ModelKind>): string {
  return Object.entries(catalogue)
    .map(([kind, { field, models }]) => {
      const width = Math.max(...models.map((m) => m.name.length));
      const lines = models.map((m) => `  ${m.name.padEnd(width)}  ${m.description}\n  ${' '.repeat(width)}  (${m.citation})`);
      return [`${kind} (${field})`, ...lines].join('\n');
    })
    .join('\n\n');
}

export function modelsCommand(options: { json?: boolean }): void {
  const catalogue = modelCatalogue();
  process.stdout.write(options.json ? `${JSON.stringify(catalogue, null, 2)}\n` : `${formatCatalogue(catalogue)}\n`);
}
