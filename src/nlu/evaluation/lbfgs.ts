/**
 * Limited-memory BFGS with a backtracking (Armijo) line search: enough to minimise the smooth,
 * convex logistic-regression objective to the precision a baseline needs.
 */
export function minimizeLbfgs(
  objective: (x: Float64Array, gradient: Float64Array) => number,
  x0: Float64Array,
  options: { maxIterations?: number; memory?: number; tolerance?: number } = {},
): Float64Array {
  const maxIterations = options.maxIterations ?? 200;
  const memory = options.memory ?? 10;
  const tolerance = options.tolerance ?? 1e-5;
  const n = x0.length;
  let x = Float64Array.from(x0);
  let g = new Float64Array(n);
  let f = objective(x, g);
  const s: Float64Array[] = [];
  const y: Float64Array[] = [];
  const rho: number[] = [];
  for (let iter = 0; iter < maxIterations; iter++) {
    if (Math.sqrt(dot(g, g)) <= tolerance * Math.max(1, Math.abs(f))) break;
    // Two-loop recursion: direction = -H·g.
    const d = Float64Array.from(g);
    const a: number[] = [];
    for (let k = s.length - 1; k >= 0; k--) {
      a[k] = rho[k]! * dot(s[k]!, d);
      axpy(-a[k]!, y[k]!, d);
    }
    if (s.length > 0) {
      const last = s.length - 1;
      scale(d, dot(s[last]!, y[last]!) / dot(y[last]!, y[last]!));
    }
    for (let k = 0; k < s.length; k++) axpy(a[k]! - rho[k]! * dot(y[k]!, d), s[k]!, d);
    scale(d, -1);
    let slope = dot(g, d);
    if (slope >= 0) {
      // Not a descent direction (curvature lost): restart from steepest descent.
      d.set(g);
      scale(d, -1);
      slope = -dot(g, g);
      s.length = y.length = rho.length = 0;
    }
    let step = iter === 0 && s.length === 0 ? 1 / Math.sqrt(dot(g, g)) : 1;
    const xNew = new Float64Array(n);
    const gNew = new Float64Array(n);
    let fNew = Infinity;
    for (let tries = 0; tries < 40; tries++) {
      for (let i = 0; i < n; i++) xNew[i] = x[i]! + step * d[i]!;
      fNew = objective(xNew, gNew);
      if (fNew <= f + 1e-4 * step * slope) break;
      step *= 0.5;
    }
    if (!(fNew < f)) break;
    const sk = new Float64Array(n);
    const yk = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      sk[i] = xNew[i]! - x[i]!;
      yk[i] = gNew[i]! - g[i]!;
    }
    const sy = dot(sk, yk);
    if (sy > 1e-12) {
      s.push(sk);
      y.push(yk);
      rho.push(1 / sy);
      if (s.length > memory) {
        s.shift();
        y.shift();
        rho.shift();
      }
    }
    const converged = Math.abs(f - fNew) <= 1e-9 * Math.max(1, Math.abs(f));
    x = xNew;
    g = gNew;
    f = fNew;
    if (converged) break;
  }
  return x;
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

function axpy(alpha: number, x: Float64Array, y: Float64Array): void {
  for (let i = 0; i < y.length; i++) y[i]! += alpha * x[i]!;
}

function scale(x: Float64Array, alpha: number): void {
  for (let i = 0; i < x.length; i++) x[i]! *= alpha;
}
