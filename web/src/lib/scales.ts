// The numbers behind the episode charts: both scales run 0 to 40 (four items of 0 to 10).

export const ScaleMax = 40;

export interface Point {
  sessionNumber: number;
  total: number;
}

/** Session numbers on x: from 1 to the last rated session, at least two sessions wide so one point is not an edge. */
export function sessionRange(points: readonly Point[]): [number, number] {
  const last = points.reduce((max, p) => Math.max(max, p.sessionNumber), 1);
  return [1, Math.max(2, last)];
}

/** Totals on y: the whole scale, so a drop looks as large as it is. */
export function totalRange(): [number, number] {
  return [0, ScaleMax];
}

/** Whether an SRS total is under the cutoff as the rules read it (strictly, unless the organization made it inclusive). */
export function underCutoff(total: number, cutoff: number, inclusive: boolean): boolean {
  return inclusive ? total <= cutoff : total < cutoff;
}

/** The intake ± reliable change band, clipped to the scale: inside it, a change is not reliable. */
export function reliableChangeBand(intake: number | null | undefined, rci: number): [number, number] | null {
  if (intake === null || intake === undefined) return null;
  return [Math.max(0, intake - rci), Math.min(ScaleMax, intake + rci)];
}

/** The ORS cutoff of the episode's population. */
export function populationCutoff(
  population: "ADULT" | "ADOLESCENT" | "CHILD",
  rules: { orsCutoffAdult: number; orsCutoffAdolescent: number; orsCutoffChild: number },
): number {
  return population === "CHILD" ? rules.orsCutoffChild : population === "ADOLESCENT" ? rules.orsCutoffAdolescent : rules.orsCutoffAdult;
}

/**
 * uPlot's aligned data: x = every session number from 1 to the last, y = the total at that session or null
 * (a gap), plus constant lines. Points arrive ordered by session; a second rating of a session replaces the first.
 */
export function alignedSeries(points: readonly Point[], constants: readonly (number | null)[]): (number | null)[][] {
  const [first, last] = sessionRange(points);
  const xs: number[] = [];
  for (let n = first; n <= last; n++) xs.push(n);
  const bySession = new Map(points.map((p) => [p.sessionNumber, p.total]));
  const ys = xs.map((n) => bySession.get(n) ?? null);
  return [xs, ys, ...constants.map((c) => xs.map(() => c))];
}

/** Weekly series for the overview: x in seconds since the epoch (uPlot's time axis) of each week's Monday. */
export function weekSeconds(weekStart: string): number {
  const [y, m, d] = weekStart.split("-").map(Number);
  return Date.UTC(y ?? 1970, (m ?? 1) - 1, d ?? 1) / 1000;
}
