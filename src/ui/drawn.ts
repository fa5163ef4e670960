import { create } from 'zustand';

/** The frame actually on screen (playback waits for it, so every frame is shown) and its attributes. */
export const drawnStore = create<{ index: number; at: number; attributes: Record<string, unknown>; setDrawn(i: number, a: Record<string, unknown>): void }>((set) => ({
  index: -1,
  at: 0,
  attributes: {},
  setDrawn: (index, attributes) => set({ index, at: performance.now(), attributes }),
}));
