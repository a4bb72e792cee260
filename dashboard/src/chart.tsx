// A uPlot time-series chart. uPlot draws on a canvas and styles its nodes
// through the CSSOM, which the page's Content-Security-Policy allows.
import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

export interface Series {
  label: string;
  values: (number | null)[];
  color: string;
}

export function Chart({ title, times, series }: { title: string; times: number[]; series: Series[] }) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const element = box.current;
    if (!element) return;
    // The card's full width (no cap: a cap left a quarter of a wide card empty).
    const width = Math.max(240, element.clientWidth || 600);
    const ink = getComputedStyle(element).color;
    const plot = new uPlot({
      width, height: 180,
      series: [{}, ...series.map((s) => ({ label: s.label, stroke: s.color, width: 2, spanGaps: true, points: { show: true, size: 5 } }))],
      // A canvas does not resolve currentColor: the text color of the page's theme.
      axes: [0, 1].map(() => ({ stroke: ink, grid: { stroke: 'rgba(128, 128, 128, 0.25)' }, ticks: { stroke: 'rgba(128, 128, 128, 0.4)' } })),
      legend: { show: true },
    }, [times, ...series.map((s) => s.values)] as uPlot.AlignedData, element);
    // Follows the page's width (a phone turned, a window resized).
    const resize = new ResizeObserver(() => {
      const fitted = Math.max(240, element.clientWidth);
      if (fitted !== plot.width) plot.setSize({ width: fitted, height: 180 });
    });
    resize.observe(element);
    return () => { resize.disconnect(); plot.destroy(); };
  }, [times, series]);
  return (
    <figure class="chart">
      <figcaption>{title}</figcaption>
      <div ref={box} role="img" aria-label={title} />
    </figure>
  );
}
