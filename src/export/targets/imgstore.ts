/** `imgstore`: a loopbio imgstore of one image field. */
import { choice, jsonObject, nameOpt, num, str, type OptionsOf } from '../options';
import { defineTarget } from '../target';

const schema = {
  format: choice('Chunk format', ['npy', 'png', 'mjpeg/avi', 'avc1/mp4'], 'npy', { group: 'file' }),
  field: str('Field (image)', '', { picker: 'field', group: 'file', help: 'empty = the first 2D image field' }),
  chunksize: num('Frames per chunk (0 = imgstore default: 200 directory, 10000 video)', 0, { min: 0, integer: true, group: 'file' }),
  metadata: jsonObject('User metadata (JSON object)', { group: 'file' }),
  fps: num('Frame rate for frames without a time', 25, { min: 0.001, group: 'timing' }),
  quality: num('mjpeg quantiser -q:v (2 best … 31)', 3, { min: 1, max: 31, integer: true, group: 'file', applies: (o) => o.format === 'mjpeg/avi' }),
  name: nameOpt('Store folder name'),
} as const;
export type ImgstoreOptions = OptionsOf<typeof schema>;

export const imgstore = defineTarget({
  id: 'imgstore',
  label: 'imgstore recording',
  needsBrowser: 'depends',
  produces: 'folder: metadata.yaml + chunks',
  help: 'npy and png directory stores run anywhere; mjpeg/avi and avc1/mp4 video stores need the browser',
  rendered: () => false,
  schema,
});
