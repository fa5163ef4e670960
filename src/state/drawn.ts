import { create } from 'zustand';

/** The frame actually on screen (playback waits for it, so every frame is shown) and its attributes. */
export const drawnStore = create<{
  index: number;
  at: number;
  attributes: Record<string, unknown>;
  /** colour limits of the drawn frame (playback holds them) */
  limits: [number, number] | null;
  /** why the frame on screen could not be read (null when it was) */
  error: string | null;
  /**
   * scrubbing: the frame on screen (`index`) is a nearby one shown until this wanted frame is
   * decoded (null when the frame on screen is the wanted one)
   */
  approximateFor: number | null;
  setDrawn(i: number, a: Record<string, unknown>, limits: [number, number] | null, error?: string | null, approximateFor?: number | null): void;
}>((set) => ({
  index: -1,
  at: 0,
  attributes: {},
  limits: null,
  error: null,
  approximateFor: null,
  setDrawn: (index, attributes, limits, error = null, approximateFor = null) =>
    set({ index, at: performance.now(), attributes, limits, error, approximateFor }),
}));
