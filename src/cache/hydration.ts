import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { ArtifactStore } from '../artifacts/artifact-store';
import type { Artifact } from '../model';
import type { ArtifactRepository } from '../provenance/artifact-repository';
import type { Logger } from '../util/logger';
import { copyOutputs } from './output-layout';

const exists = (p: string) => fs.access(p).then(() => true, () => false);

/** Copies a file or folder to `dest`, creating parents; never touches anything else. */
async function copyTo(src: string, dest: string): Promise<void> {
  await fs.mkdir(path.dirname(dest), { recursive: true });
  await fs.cp(src, dest, { recursive: true, force: true });
}

/** Materializes cached bytes where a caller asked for them. Writes only to the given targets. */
export class Hydrator {
  constructor(
    private readonly artifactRows: ArtifactRepository,
    private readonly artifacts: ArtifactStore,
    private readonly logger: Logger,
  ) {}

  /** `outputs-requested`: copies each chosen output to its destination path. Returns key → path. */
  async outputsRequested(outputs: Record<string, Artifact>, hydrateTo: Record<string, string>): Promise<Record<string, string>> {
    const done: Record<string, string> = {};
    for (const [key, dest] of Object.entries(hydrateTo)) {
      const a = outputs[key];
      if (!a) continue;
      await copyTo(a.path, path.resolve(dest));
      done[key] = path.resolve(dest);
    }
    return done;
  }

  /** `outputs-all`: copies every output into `dir`, keeping its layout (see {@link outputLayout}), hashes verified. Returns key → path. */
  outputsAll(outputs: Record<string, Artifact>, dir: string): Promise<Record<string, string>> {
    return copyOutputs(outputs, dir);
  }

  /**
   * `inputs-missing`: before a miss executes, restores each input file that is gone from another
   * recorded copy with the same content hash. An existing file is never overwritten.
   */
  async restoreMissingInputs(inputs: readonly Artifact[]): Promise<string[]> {
    const restored: string[] = [];
    for (const input of inputs) {
      if (!input.hash || (await exists(input.path))) continue;
      for (const copy of await this.artifactRows.byHash(input.hash)) {
        const src = this.artifacts.withPath(copy).path;
        if (src !== input.path && (await exists(src))) {
          await copyTo(src, input.path);
          restored.push(input.key);
          break;
        }
      }
      if (!restored.includes(input.key)) this.logger.warn(`Input '${input.key}' is missing and no copy with hash ${input.hash} was found.`);
    }
    return restored;
  }
}
