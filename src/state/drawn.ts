import { create } from 'zustand';

/** The frame actually on screen (playback waits for it, so every frame is shown) and its attributes. */
export const drawnStore = create<{
  index: number;
  at: number;
  attributes: Record<string, unknown>;
  /** colour limits of the drawn frame (playback holds them) */
  limits: [number, number] | null;
  setDrawn(i: number, a: Record<string, unknown>, limits: [number, number] | null): void;
}>((set) => ({
  index: -1,
  at: 0,
  attributes: {},
  limits: null,
  setDrawn: (index, attributes, limits) => set({ index, at: performance.now(), attributes, limits }),
}));
