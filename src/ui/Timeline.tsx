import { useEffect, useState } from 'react';
import { useActiveDataset } from '../state/datasets';
import { datasetClient } from '../state/client';
import { useView, viewRequestOf } from '../state/view';
import { drawnStore } from '../state/drawn';
import { fmtTime } from './format';

/** Index of the frame whose number is `n`, or the nearest number. */
export function indexOfNumber(numbers: number[], n: number): number {
  let best = 0;
  let bestD = Infinity;
  for (let i = 0; i < numbers.length; i++) {
    const d = Math.abs(numbers[i] - n);
    if (d < bestD) {
      best = i;
      bestD = d;
      if (d === 0) break;
    }
  }
  return best;
}

/**
 * Slider, index / number / time readouts, step buttons, keyboard (←/→, Space, Home/End), play with
 * an fps that shows every frame (the next frame is requested only after the current one is drawn,
 * and decoding runs ahead through prefetch), jump to a time (the reader's nearest frame) or number.
 */
export function Timeline() {
  const active = useActiveDataset();
  const { frame, playing, fps, set } = useView();
  const attrs = drawnStore((s) => s.attributes);
  const [timeInput, setTimeInput] = useState('');
  const [numberInput, setNumberInput] = useState('');
  const frames = active?.summary.frames ?? [];
  const n = frames.length;
  const cur = frames[Math.min(frame, n - 1)];
  const go = (i: number) => set({ frame: Math.max(0, Math.min(n - 1, i)) });

  // keyboard
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const t = e.target as HTMLElement;
      if (t && (t.tagName === 'INPUT' && (t as HTMLInputElement).type !== 'range' || t.tagName === 'SELECT' || t.tagName === 'TEXTAREA')) return;
      const v = useView.getState();
      if (e.key === 'ArrowRight') v.set({ frame: Math.min(n - 1, v.frame + 1), playing: false });
      else if (e.key === 'ArrowLeft') v.set({ frame: Math.max(0, v.frame - 1), playing: false });
      else if (e.key === 'Home') v.set({ frame: 0, playing: false });
      else if (e.key === 'End') v.set({ frame: n - 1, playing: false });
      else if (e.key === ' ') v.set({ playing: !v.playing });
      else return;
      e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [n]);

  // playback: advance only after the current frame is on screen, at most at `fps`
  useEffect(() => {
    if (!playing || !active || n < 2) return;
    let timer = 0;
    const unsub = drawnStore.subscribe((s) => {
      const v = useView.getState();
      if (!v.playing || s.index !== v.frame) return;
      const next = v.frame + 1 >= n ? 0 : v.frame + 1;
      const wait = Math.max(0, 1000 / v.fps - (performance.now() - lastShown));
      lastShown = performance.now() + wait;
      timer = window.setTimeout(() => useView.getState().set({ frame: next }), wait);
    });
    let lastShown = performance.now();
    const d = drawnStore.getState();
    if (d.index === useView.getState().frame) timer = window.setTimeout(() => go(frame + 1 >= n ? 0 : frame + 1), 1000 / fps);
    return () => {
      unsub();
      clearTimeout(timer);
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [playing, active?.id, n]);

  // decode ahead while playing; when paused, the neighbours of the shown frame once it is drawn
  // (so stepping is instant without competing with the frame being asked for)
  const drawnIndex = drawnStore((s) => s.index);
  useEffect(() => {
    if (!active || !n) return;
    if (playing) {
      const idx: number[] = [];
      for (let k = 1; k <= Math.max(4, Math.round(fps)); k++) idx.push((frame + k) % n);
      datasetClient().prefetch(active.id, idx, viewRequestOf(useView.getState()));
      return;
    }
    if (drawnIndex !== frame) return;
    const t = setTimeout(() => datasetClient().prefetch(active.id, [frame + 1, frame - 1].filter((i) => i >= 0 && i < n), viewRequestOf(useView.getState())), 120);
    return () => clearTimeout(t);
  }, [active, frame, playing, fps, n, drawnIndex]);

  if (!active) return null;
  const timeUnit = active.summary.timeUnit;
  const datetime = typeof attrs.datetime === 'string' ? attrs.datetime : null;
  return (
    <div className="timeline">
      <div className="row">
        <button onClick={() => go(0)} title="first frame (Home)">|◀</button>
        <button onClick={() => go(frame - 1)} title="previous frame (←)">◀</button>
        <button data-testid="play" onClick={() => set({ playing: !playing })} title="play / pause (Space)">
          {playing ? '❚❚ Pause' : '▶ Play'}
        </button>
        <button onClick={() => go(frame + 1)} title="next frame (→)">▶</button>
        <button onClick={() => go(n - 1)} title="last frame (End)">▶|</button>
        <input
          data-testid="timeline"
          className="slider"
          type="range"
          min={0}
          max={Math.max(0, n - 1)}
          step={1}
          value={Math.min(frame, n - 1)}
          onChange={(e) => set({ frame: Number(e.target.value) })}
          aria-label="frame"
        />
        <label>
          fps <input data-testid="fps" className="num" type="number" min={0.5} max={120} step={0.5} value={fps} onChange={(e) => set({ fps: Math.max(0.5, Number(e.target.value) || 1) })} />
        </label>
      </div>
      <div className="row readouts">
        <span>
          index <b data-testid="frame-index">{n ? Math.min(frame, n - 1) : '—'}</b> / <span data-testid="frame-count">{n}</span>
        </span>
        <span>
          number <b data-testid="frame-number">{cur?.number ?? '—'}</b>
        </span>
        <span>
          time <b data-testid="frame-time">{fmtTime(cur?.time ?? null, timeUnit)}</b>
          {datetime && <span className="muted"> ({datetime})</span>}
        </span>
        <form
          onSubmit={async (e) => {
            e.preventDefault();
            const t = Number(timeInput);
            if (!Number.isFinite(t)) return;
            go(await datasetClient().nearest(active.id, t));
          }}
        >
          <input data-testid="jump-time" className="num wide" placeholder={`time${timeUnit ? ' [' + timeUnit + ']' : ''}`} value={timeInput} onChange={(e) => setTimeInput(e.target.value)} />
          <button type="submit">Go to time</button>
        </form>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            const k = Number(numberInput);
            if (Number.isFinite(k)) go(indexOfNumber(frames.map((f) => f.number), k));
          }}
        >
          <input data-testid="jump-number" className="num wide" placeholder="frame number" value={numberInput} onChange={(e) => setNumberInput(e.target.value)} />
          <button type="submit">Go to number</button>
        </form>
      </div>
    </div>
  );
}
