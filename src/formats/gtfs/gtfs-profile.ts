import * as nodePath from 'node:path';
import { FormatError } from '../../errors';
import type { GtfsFileInfo } from './gtfs-feed';
import { missingGtfsFiles } from './gtfs-spec';
import { inspectZip, type ZipLimits } from './zip-extract';

/**
 * The files of a GTFS zip with their row counts, read by streaming each entry (nothing is
 * extracted): what is recorded on the artifact when a feed is logged. Same guards and required-file
 * check as extraction. @throws FormatError. @internal
 */
export async function profileGtfsZip(zipPath: string, label: string, limits?: ZipLimits): Promise<GtfsFileInfo[]> {
  const { zf, files } = await inspectZip(zipPath, label, limits);
  try {
    const missing = missingGtfsFiles(files.map((e) => e.fileName));
    if (missing.length) throw FormatError.gtfsMissingFile(label, missing);
    const out: GtfsFileInfo[] = [];
    for (const e of files.filter((f) => f.fileName.endsWith('.txt')).sort((a, b) => (a.fileName < b.fileName ? -1 : 1))) {
      const stream = await new Promise<NodeJS.ReadableStream>((resolve, reject) =>
        zf.openReadStream(e, (err, s) => (err ? reject(FormatError.corrupt(label, e.fileName, err)) : resolve(s!))));
      let lines = 0;
      let last = 10;
      try {
        for await (const chunk of stream as AsyncIterable<Buffer>) {
          for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) lines++;
          if (chunk.length) last = chunk[chunk.length - 1];
        }
      } catch (err) {
        throw FormatError.corrupt(label, e.fileName, err);
      }
      if (last !== 10 && e.uncompressedSize > 0) lines++;
      out.push({ name: nodePath.posix.basename(e.fileName, '.txt'), file: e.fileName, rows: Math.max(0, lines - 1) });
    }
    return out;
  } finally {
    zf.close();
  }
}
