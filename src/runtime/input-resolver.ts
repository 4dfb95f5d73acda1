import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { ArtifactStore } from '../artifacts/artifact-store';
import { ArtifactError, ConfigurationError, CouplerKeyMissingError, InputNotFoundError } from '../errors';
import type { StepDefinition } from '../metadata/compile-step';
import type { Artifact } from '../model';
import type { InputRef } from './run-step-options';

/** Where `@Input` keys not given explicitly are looked up (a scenario's coupler). */
export interface InputSource {
  get(key: string): Artifact | undefined;
  keys(): string[];
}

/** One input of a run, resolved to an artifact record. */
export interface ResolvedInput { key: string; artifact: Artifact }

/**
 * Resolves explicit inputs, coupler inputs and `dependsOn` files into artifacts. Every missing
 * file is an `InputNotFoundError` here, before anything is recorded or executed.
 */
export class InputResolver {
  constructor(private readonly artifacts: ArtifactStore) {}

  async resolve(def: StepDefinition, explicit: Record<string, InputRef>, source?: InputSource, dependsOn: readonly string[] = []): Promise<ResolvedInput[]> {
    const resolved = new Map<string, ResolvedInput>();
    for (const [key, ref] of Object.entries(explicit)) resolved.set(key, { key, artifact: await this.fromRef(key, ref) });
    for (const p of def.params) {
      if (p.kind !== 'input' || resolved.has(p.key)) continue;
      const found = source?.get(p.key);
      if (found) resolved.set(p.key, { key: p.key, artifact: found });
      else if (!p.optional) {
        if (source) throw new CouplerKeyMissingError(p.key, source.keys());
        throw ConfigurationError.invalidOption(`inputs.${p.key}`, undefined, `a path, URI or Artifact for @Input('${p.key}') of ${def.name}`);
      }
    }
    for (const [i, file] of dependsOn.entries()) {
      const key = dependsOnKey(file, i, resolved);
      resolved.set(key, { key, artifact: await this.fromRef(key, file) });
    }
    return [...resolved.values()];
  }

  private async fromRef(key: string, ref: InputRef): Promise<Artifact> {
    if (typeof ref !== 'string') return this.artifacts.withPath(ref);
    const abs = this.artifacts.uris.toPath(ref);
    try {
      await fs.access(abs);
    } catch {
      throw new InputNotFoundError(key, ref === abs ? abs : `${ref} (${abs})`);
    }
    try {
      return await this.artifacts.describe(ref, { key, direction: 'input' });
    } catch (err) {
      if (err instanceof ArtifactError && err.code === 'ARTIFACT_NOT_FOUND') throw new InputNotFoundError(key, abs);
      throw err;
    }
  }
}

function dependsOnKey(file: string, index: number, taken: Map<string, unknown>): string {
  const base = `dependsOn:${path.basename(file).replace(/[^A-Za-z0-9_.-]/g, '_').replace(/\.{2,}/g, '_')}`;
  return taken.has(base) ? `${base}:${index}` : base;
}
