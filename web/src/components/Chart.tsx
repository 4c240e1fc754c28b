import { useEffect, useRef } from "react";
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";

export interface ChartSeries {
  label: string;
  /** A design-token name, e.g. --color-chart-srs: the chart takes its colours from the one token file. */
  colorToken: string;
  dashed?: boolean;
  points?: boolean;
  /** Drawn only as one edge of a band (no line, no legend). */
  bandEdge?: boolean;
}

interface ChartProps {
  /** uPlot's aligned data: x first, then one array per series. */
  data: (number | null)[][];
  series: ChartSeries[];
  /** Fills between two series (their indexes in `series`, counted from 1 as uPlot counts). */
  bands?: { between: [number, number]; colorToken: string }[];
  yRange: [number, number];
  xLabel: string;
  yLabel: string;
  time?: boolean;
  height?: number;
  /** What the chart shows, for people who do not see it; the page also lists the numbers in a table. */
  description: string;
  testId?: string;
}

function token(name: string): string {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim() || "#000";
}

/** A uPlot chart that follows its container's width (desktop and tablet). */
export default function Chart({ data, series, bands, yRange, xLabel, yLabel, time = false, height = 260, description, testId }: ChartProps) {
  const host = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const element = host.current;
    if (!element) return;
    const options: uPlot.Options = {
      width: Math.max(280, element.clientWidth),
      height,
      scales: { x: { time }, y: { range: yRange } },
      legend: { show: false },
      cursor: { drag: { x: false, y: false } },
      axes: [
        { label: xLabel, stroke: token("--color-text"), grid: { stroke: token("--color-border") }, ...(time ? {} : { incrs: [1, 2, 5, 10] }) },
        { label: yLabel, stroke: token("--color-text"), grid: { stroke: token("--color-border") } },
      ],
      series: [
        {},
        ...series.map((s) => ({
          label: s.label,
          stroke: s.bandEdge ? "transparent" : token(s.colorToken),
          width: s.bandEdge ? 0 : 2,
          dash: s.dashed ? [6, 4] : undefined,
          spanGaps: !s.dashed,
          points: { show: !!s.points, size: 8, fill: token(s.colorToken) },
        })),
      ],
      bands: bands?.map((b) => ({ series: b.between, fill: token(b.colorToken) })),
    };
    const plot = new uPlot(options, data as uPlot.AlignedData, element);
    const resize = new ResizeObserver(() => plot.setSize({ width: Math.max(280, element.clientWidth), height }));
    resize.observe(element);
    return () => {
      resize.disconnect();
      plot.destroy();
    };
  }, [data, series, bands, yRange, xLabel, yLabel, time, height]);

  return (
    <figure className="chart-figure">
      <div ref={host} className="chart" role="img" aria-label={description} data-testid={testId} />
      <ul className="chart-legend" aria-hidden="true">
        {series
          .filter((s) => !s.bandEdge)
          .map((s) => (
            <li key={s.label} className={legendClass(s.colorToken)}>
              {s.label}
            </li>
          ))}
        {bands?.map((b) => (
          <li key={b.colorToken} className="legend-band">
            Intake ± reliable change
          </li>
        ))}
      </ul>
    </figure>
  );
}

function legendClass(colorToken: string): string {
  if (colorToken.includes("srs")) return "legend-srs";
  if (colorToken.includes("ors")) return "legend-ors";
  if (colorToken.includes("cutoff")) return "legend-cutoff";
  if (colorToken.includes("alerts")) return "legend-alerts";
  return "";
}
