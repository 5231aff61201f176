/** Standard normal CDF (Abramowitz–Stegun 7.1.26 on erf; absolute error < 1.5e-7), cheap enough for every epoch. */
export function normalCdf(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  const erf = 1 - poly * Math.exp(-x * x);
  return z >= 0 ? 0.5 * (1 + erf) : 0.5 * (1 - erf);
}

/** Lognormal parameters (μ, σ of log) from a mean and a coefficient of variation. */
export function lognormalFromMeanCv(mean: number, cv: number): { mu: number; sigma: number } {
  const sigma2 = Math.log(1 + cv * cv);
  return { mu: Math.log(Math.max(mean, 1e-9)) - sigma2 / 2, sigma: Math.sqrt(sigma2) };
}

/** P(X > x) for a lognormal. */
export function lognormalSurvival(x: number, mu: number, sigma: number): number {
  if (x <= 0) return 1;
  return 1 - normalCdf((Math.log(x) - mu) / Math.max(sigma, 1e-6));
}

export function normalPdf(z: number): number {
  return Math.exp(-0.5 * z * z) / Math.sqrt(2 * Math.PI);
}
