/**
 * Closed-form eigenvalue pieces for the vortex criteria, per cell (no allocation):
 * - swirling strength λ_ci: the imaginary part of the complex eigenvalue pair of the velocity
 *   gradient tensor A = ∂u_i/∂x_j (0 when all eigenvalues are real);
 * - λ₂: the middle eigenvalue of the symmetric S² + Ω² (S, Ω the symmetric and antisymmetric parts of A).
 */

/** λ_ci of the 2×2 tensor [[a, b], [c, d]] (a = ∂u/∂x, b = ∂u/∂y, c = ∂v/∂x, d = ∂v/∂y). */
export function swirl2(a: number, b: number, c: number, d: number): number {
  const half = (a - d) / 2;
  const disc = half * half + b * c; // ((tr/2)² − det) written without cancellation of (a+d)²
  return disc < 0 ? Math.sqrt(-disc) : 0;
}

/**
 * λ_ci of the 3×3 tensor (row-major a00..a22): the characteristic polynomial
 * λ³ − Pλ² + Qλ − R (P = tr A, Q = sum of principal 2×2 minors, R = det A) has one real root and a
 * complex pair exactly when its discriminant is positive; Cardano gives the pair's imaginary part
 * (√3/2)·|u − v|.
 */
export function swirl3(a00: number, a01: number, a02: number, a10: number, a11: number, a12: number, a20: number, a21: number, a22: number): number {
  const P = a00 + a11 + a22;
  const Q = a00 * a11 - a01 * a10 + a00 * a22 - a02 * a20 + a11 * a22 - a12 * a21;
  const R = a00 * (a11 * a22 - a12 * a21) - a01 * (a10 * a22 - a12 * a20) + a02 * (a10 * a21 - a11 * a20);
  // depressed cubic t³ + p t + q = 0 with λ = t + P/3
  const p = Q - (P * P) / 3;
  const q = (-2 * P * P * P) / 27 + (P * Q) / 3 - R;
  const disc = (q / 2) * (q / 2) + (p / 3) * (p / 3) * (p / 3);
  if (!(disc > 0)) return 0;
  const s = Math.sqrt(disc);
  const u = Math.cbrt(-q / 2 + s);
  const v = Math.cbrt(-q / 2 - s);
  return (Math.sqrt(3) / 2) * Math.abs(u - v);
}

/** Middle eigenvalue of the symmetric 3×3 matrix [[m00, m01, m02], [m01, m11, m12], [m02, m12, m22]]. */
export function middleEigenSym3(m00: number, m01: number, m02: number, m11: number, m12: number, m22: number): number {
  const p1 = m01 * m01 + m02 * m02 + m12 * m12;
  const q = (m00 + m11 + m22) / 3;
  const d0 = m00 - q;
  const d1 = m11 - q;
  const d2 = m22 - q;
  const p2 = d0 * d0 + d1 * d1 + d2 * d2 + 2 * p1;
  if (p2 === 0) return q;
  if (p1 === 0) {
    // diagonal: the median of the diagonal
    return Math.max(Math.min(m00, m11), Math.min(Math.max(m00, m11), m22));
  }
  const p = Math.sqrt(p2 / 6);
  // B = (M − qI)/p; r = det(B)/2
  const b00 = d0 / p;
  const b11 = d1 / p;
  const b22 = d2 / p;
  const b01 = m01 / p;
  const b02 = m02 / p;
  const b12 = m12 / p;
  const detB = b00 * (b11 * b22 - b12 * b12) - b01 * (b01 * b22 - b12 * b02) + b02 * (b01 * b12 - b11 * b02);
  const r = Math.max(-1, Math.min(1, detB / 2));
  const phi = Math.acos(r) / 3;
  const e1 = q + 2 * p * Math.cos(phi);
  const e3 = q + 2 * p * Math.cos(phi + (2 * Math.PI) / 3);
  return 3 * q - e1 - e3;
}

/**
 * λ₂ of the velocity gradient tensor A (row-major): the middle eigenvalue of S² + Ω², which equals
 * (A² + (A²)ᵀ)/2.
 */
export function lambda2Of(a00: number, a01: number, a02: number, a10: number, a11: number, a12: number, a20: number, a21: number, a22: number): number {
  // A² entries
  const s00 = a00 * a00 + a01 * a10 + a02 * a20;
  const s01 = a00 * a01 + a01 * a11 + a02 * a21;
  const s02 = a00 * a02 + a01 * a12 + a02 * a22;
  const s10 = a10 * a00 + a11 * a10 + a12 * a20;
  const s11 = a10 * a01 + a11 * a11 + a12 * a21;
  const s12 = a10 * a02 + a11 * a12 + a12 * a22;
  const s20 = a20 * a00 + a21 * a10 + a22 * a20;
  const s21 = a20 * a01 + a21 * a11 + a22 * a21;
  const s22 = a20 * a02 + a21 * a12 + a22 * a22;
  return middleEigenSym3(s00, (s01 + s10) / 2, (s02 + s20) / 2, s11, (s12 + s21) / 2, s22);
}
