/**
 * The runner of each export target, imported lazily when a job runs (the dialog reads the target
 * table without loading any writer). Each line is type-checked against its row: the runner takes
 * exactly the options its schema produces. Adding a target: a row file in `targets/`, a line in
 * `targets.ts` and a line here.
 */
import { lazyRunner, type Runner } from './target';
import { hdf5, zarr } from './targets/cubes';
import { davisSet } from './targets/davis-set';
import { imgstore } from './targets/imgstore';
import { gif, mp4, webm } from './targets/movies';
import { npz } from './targets/npz';
import { phiflowScene } from './targets/phiflow-scene';
import { pngZip } from './targets/png-zip';
import { pypdeMovie } from './targets/pypde-movie';

const movie = async () => (await import('./rendered-movie')).exportRenderedMovie;

export const RUNNERS: Record<string, () => Promise<Runner<never>>> = {
  [pypdeMovie.id]: lazyRunner(pypdeMovie, async () => (await import('./pypde-movie')).exportPypdeMovie),
  [mp4.id]: lazyRunner(mp4, movie),
  [webm.id]: lazyRunner(webm, movie),
  [gif.id]: lazyRunner(gif, movie),
  [pngZip.id]: lazyRunner(pngZip, async () => (await import('./png-zip')).exportPngZip),
  [npz.id]: lazyRunner(npz, async () => (await import('./npz')).exportNpz),
  [imgstore.id]: lazyRunner(imgstore, async () => (await import('./imgstore')).exportImgstore),
  [davisSet.id]: lazyRunner(davisSet, async () => (await import('./davis-set')).exportDavisSet),
  [phiflowScene.id]: lazyRunner(phiflowScene, async () => (await import('./phiflow-scene')).exportPhiflowScene),
  // the cube writers take the checked options and parse them once more into their own typed form
  [hdf5.id]: lazyRunner(hdf5, async () => {
    const { run } = await import('./hdf5');
    return (source, job, ctl) => run(source, { target: job.target, frames: job.frames, fields: job.fields, options: { ...job.options } }, ctl);
  }),
  [zarr.id]: lazyRunner(zarr, async () => {
    const { run } = await import('./zarr');
    return (source, job, ctl) => run(source, { target: job.target, frames: job.frames, fields: job.fields, options: { ...job.options } }, ctl);
  }),
};
