/** @jsxRuntime automatic @jsxImportSource preact */
// Charts drawn on the server as SVG with Observable Plot over linkedom's DOM,
// kept inline in the page. Plot writes a <style> element and style attributes;
// the Content-Security-Policy allows neither inline, so both are taken out and
// what they did lives in brygga.css (.chart svg …). The marks are aria-hidden:
// each chart is a <figure> with a caption, a text summary and a table of the
// same figures beside it, which is what assistive technology reads.
import * as Plot from '@observablehq/plot';
import { parseHTML } from 'linkedom';
import type { ComponentChildren } from 'preact';

/** The colours of the series, in order; brygga.css gives the legend's swatches the same (.chart-swatch--N). */
export const CHART_COLOURS = ['#1d6a31', '#5b6f8a', '#b7b7b7', '#8a4b00'];

export type ChartSeries = { label: string };

/** A fresh document per chart: Plot appends nothing to it, but needs one to create elements in. */
const newDocument = () => parseHTML('<!doctype html><html><head></head><body></body></html>').document;

/** Plot's SVG without any <style> element or style attribute (the CSP forbids inline styles). */
export function withoutStyles(svg: string): string {
  return svg
    .replace(/<style\b[^>]*>[\s\S]*?<\/style>/gi, '')
    .replace(/\sstyle="[^"]*"/gi, '')
    .replace(/\sstyle='[^']*'/gi, '');
}

type PlotOptions = Parameters<typeof Plot.plot>[0];

/** Renders Plot's options to an SVG string without inline styles; the whole image is labelled by `label`. */
export function plotSvg(options: PlotOptions, label: string): string {
  const node = Plot.plot({ ...options, document: newDocument() as unknown as Document, style: null as unknown as string, ariaLabel: label }) as unknown as Element;
  const svg = withoutStyles(node.outerHTML);
  // One image with a name; what it shows is in the summary and the table beside it.
  return svg.replace(/^<svg\b/, '<svg role="img" focusable="false"');
}

/** Horizontal bars, one per row; `previous` adds a tick for the period before. */
export function barsSvg({ rows, label, xLabel, previousLabel }: {
  rows: { y: string; x: number; previous?: number | null }[]; label: string; xLabel: string; previousLabel?: string;
}): string {
  const order = rows.map((r) => r.y);
  const max = Math.max(1, ...rows.map((r) => Math.max(r.x, r.previous ?? 0)));
  return plotSvg({
    width: 640, height: 40 + rows.length * 34, marginLeft: 170, marginRight: 40,
    x: { label: xLabel, domain: [0, max], grid: true },
    y: { label: null, domain: order },
    marks: [
      Plot.barX(rows, { x: 'x', y: 'y', fill: CHART_COLOURS[0], ariaHidden: 'true' }),
      ...(previousLabel ? [Plot.tickX(rows.filter((r) => r.previous !== null && r.previous !== undefined), { x: 'previous', y: 'y', stroke: '#1b1e23', strokeWidth: 3, ariaHidden: 'true' })] : []),
      Plot.text(rows, { x: 'x', y: 'y', text: (d: { x: number }) => String(d.x), dx: 4, textAnchor: 'start', fill: '#1b1e23', ariaHidden: 'true' }),
      Plot.ruleX([0], { stroke: '#1b1e23', ariaHidden: 'true' }),
    ],
  }, label);
}

/** Horizontal stacked bars: per row, the series' values side by side. */
export function stackedBarsSvg({ rows, series, label, xLabel }: {
  rows: { y: string; values: number[] }[]; series: string[]; label: string; xLabel: string;
}): string {
  const data = rows.flatMap((r) => series.map((s, i) => ({ y: r.y, series: s, x: r.values[i] ?? 0 })));
  return plotSvg({
    width: 640, height: 40 + rows.length * 34, marginLeft: 170, marginRight: 20,
    x: { label: xLabel, grid: true },
    y: { label: null, domain: rows.map((r) => r.y) },
    color: { domain: series, range: CHART_COLOURS.slice(0, series.length) },
    marks: [
      Plot.barX(data, Plot.stackX({ x: 'x', y: 'y', fill: 'series', order: series, ariaHidden: 'true' })),
      Plot.ruleX([0], { stroke: '#1b1e23', ariaHidden: 'true' }),
    ],
  }, label);
}

/** Lines over years, one per series, values as percentages (null: no point). */
export function linesSvg({ xs, series, label, yLabel }: {
  xs: string[]; series: { label: string; values: (number | null)[] }[]; label: string; yLabel: string;
}): string {
  const data = series.flatMap((s) => xs.map((x, i) => ({ x, series: s.label, y: s.values[i] === null ? null : s.values[i]! * 100 }))).filter((d) => d.y !== null);
  return plotSvg({
    width: 640, height: 300, marginLeft: 50, marginRight: 20,
    x: { type: 'point', domain: xs, label: null },
    y: { label: yLabel, domain: [0, 100], grid: true },
    color: { domain: series.map((s) => s.label), range: CHART_COLOURS.slice(0, series.length) },
    marks: [
      Plot.line(data, { x: 'x', y: 'y', stroke: 'series', strokeWidth: 2, ariaHidden: 'true' }),
      Plot.dot(data, { x: 'x', y: 'y', fill: 'series', r: 4, ariaHidden: 'true' }),
    ],
  }, label);
}

/**
 * A chart as a figure: caption, the SVG, a legend (when there are series),
 * the summary in words and the figures as a table (`children`).
 */
export function Chart({ id, caption, svg, legend, summary, summaryLabel, children }: {
  id: string; caption: string; svg: string; legend?: { label: string; kind?: 'bar' | 'tick' }[]; summary: string; summaryLabel: string; children: ComponentChildren;
}) {
  return (
    <figure class="chart" id={id} aria-labelledby={`${id}-caption`}>
      <figcaption id={`${id}-caption`} class="chart__caption">{caption}</figcaption>
      <div class="chart__image" dangerouslySetInnerHTML={{ __html: svg }} />
      {legend?.length ? (
        <ul class="chart__legend" aria-hidden="true">
          {legend.map((l, i) => (
            <li key={l.label}><span class={`chart-swatch ${l.kind === 'tick' ? 'chart-swatch--tick' : `chart-swatch--${i + 1}`}`} />{l.label}</li>
          ))}
        </ul>
      ) : null}
      <p class="chart__summary"><strong>{summaryLabel}:</strong> {summary}</p>
      {children}
    </figure>
  );
}
