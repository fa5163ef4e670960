import { useEffect } from 'react';
import { useView } from '../state/view';

/** The playback rate box shared by the single and the compare timeline. */
export function FpsInput() {
  const fps = useView((s) => s.fps);
  const set = useView((s) => s.set);
  return (
    <label>
      fps{' '}
      <input
        data-testid="fps"
        className="num"
        type="number"
        min={0.5}
        max={120}
        step={0.5}
        value={fps}
        onChange={(e) => set({ fps: Math.max(0.5, Number(e.target.value) || 1) })}
      />
    </label>
  );
}

/** ←/→ step, Space plays or pauses, Home/End (where given) jump — ignored while typing in a field. */
export function useTimelineKeys(keys: { step(d: number): void; toggle(): void; first?(): void; last?(): void }): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const t = e.target as HTMLElement;
      if (t && ((t.tagName === 'INPUT' && (t as HTMLInputElement).type !== 'range') || t.tagName === 'SELECT' || t.tagName === 'TEXTAREA')) return;
      if (e.key === 'ArrowRight') keys.step(1);
      else if (e.key === 'ArrowLeft') keys.step(-1);
      else if (e.key === 'Home' && keys.first) keys.first();
      else if (e.key === 'End' && keys.last) keys.last();
      else if (e.key === ' ') keys.toggle();
      else return;
      e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [keys]);
}
