import { describe, expect, it } from 'vitest';
import { open, type ImgstoreSource } from '../../src/formats/imgstore/open';
import { formatEpochInZone } from '../../src/formats/imgstore/metadata';
import type { ExtraTable } from '../../src/formats/imgstore/extra-data';
import { sniff } from '../../src/formats/imgstore/sniff';
import { describeFixtures, treeOf } from '../fixtures';
import { barcodeOf, expectedOf, extraRecords, imgstoreMd5, meanOf, STORES } from './oracle';

describeFixtures('imgstore fixture stores: frame table, metadata, lookups (Node)', () => {
  for (const name of STORES) {
    describe(name, () => {
      const ex = expectedOf(name);
      let src: ImgstoreSource;
      const get = async () => (src ??= (await open(await treeOf('imgstore', name))) as ImgstoreSource);

      it('sniffs as imgstore and opens through openDataset', async () => {
        const tree = await treeOf('imgstore', name);
        expect(await sniff(tree)).toBeGreaterThan(0.9);
        const { openDataset } = await import('../../src/formats/index');
        const s = await openDataset(tree);
        expect(s.format).toBe('imgstore');
        expect(s.frames.length).toBe(ex.frame_metadata.frame_number.length);
        s.close();
      });

      it('frame table: count, every frame_number and frame_time, index = position', async () => {
        const s = await get();
        const fm = ex.frame_metadata;
        expect(s.frames.length).toBe(fm.frame_number.length);
        if (ex.frame_count !== undefined) expect(s.frames.length).toBe(ex.frame_count);
        expect(s.frames.map((f) => f.number)).toEqual(fm.frame_number);
        expect(s.frames.map((f) => f.time)).toEqual(fm.frame_time);
        expect(s.frames.every((f, i) => f.index === i)).toBe(true);
        expect(s.timeUnit).toBe('s');
        expect(s.warnings).toEqual([]);
      });

      it('summary values (frame_min/max as imgstore gives them, times, chunks)', async () => {
        const s = await get();
        const m = s.metadata;
        if (ex.frame_min !== undefined) {
          expect(m.frame_min).toBe(ex.frame_min);
          expect(m.frame_max).toBe(ex.frame_max);
        }
        if (ex.frame_time_min !== undefined) {
          expect(m.frame_time_min).toBe(ex.frame_time_min);
          expect(m.frame_time_max).toBe(ex.frame_time_max);
          expect(m.duration).toBe(ex.duration);
        }
        if (ex.chunks) expect(m.chunks).toEqual(ex.chunks);
        if (ex.image_shape) expect(m.image_shape).toEqual(ex.image_shape);
        if (ex.lossless !== undefined) expect(m.lossless).toBe(ex.lossless);
        if (ex.store_metadata) expect(m.store).toEqual(ex.store_metadata);
        if (ex.user_metadata) expect(m.user).toEqual(ex.user_metadata);
        if (ex.class) expect(m.class).toBe(ex.class);
        const field = s.fields[0];
        expect(field.name).toBe('image');
        if (ex.image_shape) {
          expect(field.kind).toBe(ex.image_shape.length === 3 ? 'rgb' : 'scalar');
          expect(field.shape).toEqual(ex.image_shape);
        }
      });

      it('lookups: frame_index, exact and nearest frame_number, nearest time', async () => {
        const s = await get();
        for (const g of ex.get_image_by_frame_index ?? []) {
          expect(s.frames[g.frame_index].number).toBe(g.frame_number);
          expect(s.frames[g.frame_index].time).toBe(g.frame_time);
        }
        for (const g of ex.get_image_by_frame_number ?? []) {
          const i = s.indexOfNumber(g.request, 'exact');
          expect(s.frames[i].number).toBe(g.frame_number);
          expect(s.frames[i].time).toBe(g.frame_time);
        }
        for (const g of ex.get_image_missing_frame_number ?? []) {
          expect(s.indexOfNumber(g.request, 'exact')).toBe(-1);
          expect(s.frames[s.indexOfNumber(g.request, 'nearest')].number).toBe(g.exact_only_false_frame_number);
        }
        for (const g of ex.get_nearest_image ?? []) {
          const i = s.nearestIndex(g.time);
          expect(s.frames[i].number, g.probe).toBe(g.frame_number);
          expect(s.frames[i].time).toBe(g.frame_time);
        }
        if (ex.get_image_frame_index_out_of_range) await expect(s.readFrame(s.frames.length)).rejects.toThrow(RangeError);
      });

      it('date-times in the recording timezone', async () => {
        const s = await get();
        for (const [t, v] of Object.entries((ex.convert_frame_time_to_datetime ?? {}) as Record<string, Record<string, string>>)) {
          expect(formatEpochInZone(Number(t), s.metadata.timezone as string)).toBe(v['recording_tz(user timezone)']);
        }
        if (ex.timezone_local) expect(s.metadata.timezone).toBe(ex.user_metadata?.timezone ?? ex.timezone_local);
        if (ex.created_utc_raw) expect(s.metadata.created_utc).toBe(ex.created_utc_raw + 'Z');
      });

      it('extra data as imgstore get_extra_data() returns it', async () => {
        const s = await get();
        const t = s.metadata.extra_data as ExtraTable | null;
        if (!ex.get_extra_data) {
          expect(t).toBeNull();
          return;
        }
        expect(t).not.toBeNull();
        expect(t!.columns).toEqual(ex.get_extra_data.columns);
        expect(t!.rowCount).toBe(ex.get_extra_data.records.length);
        expect(extraRecords(t!)).toEqual(ex.get_extra_data.records);
        expect(t!.files).toEqual(ex.extra_data_files);
        if (ex.get_extra_data_samplerate !== undefined) expect(s.metadata.extra_data_samplerate).toBe(ex.get_extra_data_samplerate);
        // numeric columns become series against frame_time
        const series = s.series ?? [];
        expect(series.length).toBeGreaterThan(0);
        for (const sr of series) {
          expect(sr.xKind).toBe('time');
          expect(sr.y[0].length).toBe(sr.x.length);
          const col = sr.columns![0];
          const recs = ex.get_extra_data.records.filter((r: Record<string, unknown>) => typeof r[col] === 'number' && typeof r.frame_time === 'number');
          expect(sr.x).toEqual(recs.map((r: Record<string, number>) => r.frame_time));
          expect(sr.y[0]).toEqual(recs.map((r: Record<string, number>) => r[col]));
        }
      });
    });
  }
});

describeFixtures('imgstore lossless stores decode exactly in Node (npy, png)', () => {
  for (const name of ['dir_npy_color', 'dir_png_gray']) {
    it(`${name}: every frame's md5, mean and barcode match imgstore`, async () => {
      const ex = expectedOf(name);
      const s = await open(await treeOf('imgstore', name));
      for (const want of ex.all_frames_sequential) {
        const f = await s.readFrame(want.frame_index);
        const im = f.fields.image;
        expect(im.shape).toEqual(want.shape);
        expect(im.kind).toBe(want.shape.length === 3 ? 'rgb' : 'scalar');
        expect(im.values).toBeInstanceOf(Uint8Array);
        expect(imgstoreMd5(im)).toBe(want.md5);
        expect(meanOf(im)).toBeCloseTo(want.mean, 3);
        expect(barcodeOf(im)).toBe(want.barcode);
        expect(barcodeOf(im)).toBe(f.info.number);
        expect(f.info).toEqual({ index: want.frame_index, number: want.frame_number, time: want.frame_time });
        expect(f.attributes.frame_number).toBe(want.frame_number);
        expect(typeof f.attributes.datetime).toBe('string');
      }
      // colour order: top-left block is pure red, top-right pure green, x=28..35 pure blue (RGB order)
      const f0 = (await s.readFrame(0)).fields.image;
      if (f0.kind === 'rgb') {
        const px = (x: number, y: number) => Array.from(f0.values!.subarray((y * 64 + x) * 3, (y * 64 + x) * 3 + 3));
        expect(px(2, 2)).toEqual([255, 0, 0]);
        expect(px(60, 2)).toEqual([0, 255, 0]);
        expect(px(30, 2)).toEqual([0, 0, 255]);
      }
      const last = await s.readFrame(ex.all_frames_sequential.length - 1);
      expect(last.attributes.datetime).toBe(ex.convert_frame_time_to_datetime[String(ex.frame_time_max)]['recording_tz(user timezone)']);
      s.close();
    });
  }

  it('video stores open in Node (frame table from the npz alone) and say clearly that decoding needs a browser', async () => {
    const s = await open(await treeOf('imgstore', 'video_mjpeg_avi_color'));
    expect(s.frames.length).toBe(50);
    await expect(s.readFrame(0)).rejects.toThrow();
    s.close();
  });
});
