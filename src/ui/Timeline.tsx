import { useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { useActiveDataset } from '../state/datasets';
import { drawnStore } from '../state/drawn';
import { timeline } from '../state/player';
import { useView } from '../state/view';
import { fmtTime } from './format';
import { FpsInput, useTimelineKeys } from './timeline-parts';

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

/** True when a format's frame numbers are something other than the position (DaVis B-numbers, imgstore frame_number, …). */
function hasOwnNumbers(frames: { index: number; number: number }[]): boolean {
  return frames.some((f) => f.number !== f.index);
}

/**
 * Slider, frame / number / time readouts, step buttons, keyboard (←/→, Space, Home/End), play at an
 * fps that shows every frame, jump to a time (the reader's nearest frame) or a number. Everything
 * is dispatched to the frame controller (`state/player.ts`); this component only renders.
 */
export function Timeline() {
  const active = useActiveDataset();
  const { frame, playing } = useView(useShallow((s) => ({ frame: s.frame, playing: s.playing })));
  const attrs = drawnStore((s) => s.attributes);
  const approx = drawnStore(useShallow((s) => ({ shown: s.index, wanted: s.approximateFor })));
  const [timeInput, setTimeInput] = useState('');
  const [numberInput, setNumberInput] = useState('');
  const frames = active?.summary.frames ?? [];
  const n = frames.length;
  const cur = frames[Math.min(frame, n - 1)];

  useTimelineKeys(timeline);

  if (!active) return null;
  const timeUnit = active.summary.timeUnit;
  const datetime = typeof attrs.datetime === 'string' ? attrs.datetime : null;
  const shownIndex = n ? Math.min(frame, n - 1) : -1;
  return (
    <div className="timeline">
      <div className="row">
        <button onClick={() => timeline.first()} title="first frame (Home)">
          |◀
        </button>
        <button onClick={() => timeline.step(-1)} title="previous frame (←)">
          ◀
        </button>
        <button data-testid="play" onClick={() => timeline.toggle()} title="play / pause (Space)">
          {playing ? '❚❚ Pause' : '▶ Play'}
        </button>
        <button onClick={() => timeline.step(1)} title="next frame (→)">
          ▶
        </button>
        <button onClick={() => timeline.last()} title="last frame (End)">
          ▶|
        </button>
        <input
          data-testid="timeline"
          className="slider"
          type="range"
          min={0}
          max={Math.max(0, n - 1)}
          step={1}
          value={Math.max(0, shownIndex)}
          onChange={(e) => timeline.seek(Number(e.target.value))}
          aria-label="frame"
        />
        <FpsInput />
      </div>
      <div className="row readouts">
        <span className="counter">
          frame <b data-testid="frame-position">{n ? shownIndex + 1 : '—'}</b> of <b data-testid="frame-count">{n}</b>
          <span className="muted">
            {' '}
            (index <span data-testid="frame-index">{n ? shownIndex : '—'}</span>)
          </span>
          {approx.wanted !== null && approx.wanted === shownIndex && (
            <span
              className="approx-mark"
              data-testid="timeline-approx"
              title="The picture is a nearby frame already decoded (or the keyframe before this one); the exact frame follows as soon as it is decoded."
            >
              {' '}
              ≈ picture of frame {approx.shown + 1}
            </span>
          )}
        </span>
        <span className={hasOwnNumbers(frames) ? '' : 'muted'}>
          number <b data-testid="frame-number">{cur?.number ?? '—'}</b>
        </span>
        <span>
          time <b data-testid="frame-time">{fmtTime(cur?.time ?? null, timeUnit)}</b>
          {datetime && <span className="muted"> ({datetime})</span>}
        </span>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            const t = Number(timeInput);
            if (Number.isFinite(t) && timeInput.trim() !== '') void timeline.seekTime(t);
          }}
        >
          <input
            data-testid="jump-time"
            className="num wide"
            placeholder={`time${timeUnit ? ' [' + timeUnit + ']' : ''}`}
            value={timeInput}
            onChange={(e) => setTimeInput(e.target.value)}
          />
          <button type="submit">Go to time</button>
        </form>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            const k = Number(numberInput);
            if (Number.isFinite(k) && numberInput.trim() !== '')
              timeline.seek(
                indexOfNumber(
                  frames.map((f) => f.number),
                  k,
                ),
              );
          }}
        >
          <input
            data-testid="jump-number"
            className="num wide"
            placeholder="frame number"
            value={numberInput}
            onChange={(e) => setNumberInput(e.target.value)}
          />
          <button type="submit">Go to number</button>
        </form>
      </div>
    </div>
  );
}
