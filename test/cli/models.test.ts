// `mignet models`: every name a scenario accepts for a strategy, addressing scheme, storage mode, cipher or
// power preset is listed, from the registries that build the models, each with a description and a source.
import { describe, expect, it } from 'vitest';
import { modelCatalogue } from '../../src/cli/models-command.js';
import { HYPERVISOR_NAMES } from '../../src/migration/hypervisor.js';
import { POWER_PRESETS } from '../../src/config/power-schema.js';
import { ADDRESSING_SCHEMES, STORAGE_MODES } from '../../src/config/storage-schema.js';
import { STRATEGY_NAMES } from '../../src/migration/names.js';
import { CIPHER_NAMES } from '../../src/security/ciphers.js';
import { cli, shown } from '../support/cli.js';

describe('mignet models', () => {
  it('lists exactly the names the config accepts, each with a description and a citation', () => {
    const catalogue = modelCatalogue();
    const names = (kind: string): string[] => catalogue[kind]!.models.map((m) => m.name);
    expect(names('strategies')).toEqual([...STRATEGY_NAMES]);
    expect(names('addressing')).toEqual([...ADDRESSING_SCHEMES]);
    expect(names('storage')).toEqual([...STORAGE_MODES]);
    expect(names('ciphers')).toEqual([...CIPHER_NAMES]);
    expect(names('powerPresets')).toEqual(Object.keys(POWER_PRESETS));
    expect(names('hypervisors')).toEqual([...HYPERVISOR_NAMES]);
    for (const { models } of Object.values(catalogue)) {
      for (const model of models) {
        expect(model.description.length, model.name).toBeGreaterThan(10);
        expect(model.citation.length, model.name).toBeGreaterThan(3);
      }
    }
  });

  it('prints the list, or JSON with --json', async () => {
    const text = await cli(['models']);
    expect(text.status, shown(text)).toBe(0);
    expect(text.stdout).toMatch(/^strategies \(migrations\[\]\.strategy\)\n {2}stop-and-copy +suspend, send all memory/m);
    expect(text.stdout).toMatch(/^ +\(RFC 7348 §4\.2, §5\)$/m);
    const json = await cli(['models', '--json']);
    expect(JSON.parse(json.stdout)).toEqual(modelCatalogue());
  });
});
