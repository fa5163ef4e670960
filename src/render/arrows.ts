/**
 * The arrow-length rule, shared by the viewer's quiver trace (src/ui/FrameView.tsx, Plotly
 * `lengthfactor` with `lengthmode: 'raw'`) and the rendered exports (compose-frame.ts): at arrow
 * scale 1 the longest arrow of a sample spans 0.9 of its sampling cell (stride cells of the coarser
 * axis step). Returns the factor from a vector's value to its drawn length in data units.
 */
export function arrowLengthFactor(q: { stride: number; maxMag: number }, xStep: number, yStep: number, arrowScale: number): number {
  const cell = Math.max(Math.abs(xStep), Math.abs(yStep)) * q.stride;
  return (arrowScale * 0.9 * cell) / (q.maxMag || 1);
}
