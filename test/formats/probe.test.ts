import { h5lib, openH5, walkDatasets, readAttrs } from '../../src/formats/h5/h5-lib';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
test('probe', async () => {
  const h5 = await h5lib();
  const p = join(mkdtempSync(join(tmpdir(), 'h5-')), 'a.omx');
  const f = new h5.File(p, 'w');
  f.create_attribute('OMX_VERSION', '0.2');
  f.create_attribute('SHAPE', new Int32Array([3, 3]));
  const d = f.create_group('data');
  const ds = d.create_dataset({ name: 'time', data: new Float64Array([1,2,3,4,5,6,7,8,9]), shape: [3, 3] });
  ds.create_attribute('units', 'min');
  f.create_group('lookup').create_dataset({ name: 'zone', data: new Int32Array([10, 20, 30]) });
  f.close();
  const r = await openH5(p);
  console.log(walkDatasets(r), readAttrs(r as any), (r.get('data/time') as any).dtype, (r.get('data/time') as any).metadata, (r.get('data/time') as any).slice([[1, 2]]));
  r.close();
});
