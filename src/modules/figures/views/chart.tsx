import type { Translator } from '../../../platform/i18n';
import { Table } from '../../../ui/components';
import { barLengths, scaleMax } from '../figures.rules';

/** One bar: what it is, its value (for the length) and how the value reads. */
export interface Bar {
  label: string;
  value: number;
  text: string;
}

// The drawing's own units (the SVG scales to its box): labels above their bars, so a long school
// name never squeezes the bar; the value at the end of the bar, in the margin kept for it.
const WIDTH = 640;
const VALUE_MARGIN = 110;
const BAR_LENGTH = WIDTH - VALUE_MARGIN;
const ROW = 52;
const LABEL_BASELINE = 18;
const BAR_TOP = 26;
const BAR_HEIGHT = 18;
const MAX_LABEL = 70;

const shortLabel = (label: string) => (label.length > MAX_LABEL ? `${label.slice(0, MAX_LABEL - 1)}…` : label);

/**
 * SVC-6: a horizontal bar chart drawn on the server (no script, no style attribute: the CSP
 * forbids inline styles, so lengths are attributes and colours classes of app.css), read as
 * one image (`role="img"`, its title and a description saying the highest and lowest values),
 * and followed by its data table (caption, header cells with their scope) for screen readers
 * and anyone who wants the exact figures. Each bar has a track to the end of the scale, so a
 * percentage reads against 100 % at a glance.
 */
export function BarChart(props: {
  t: Translator;
  id: string;
  title: string;
  bars: readonly Bar[];
  kind: 'count' | 'percent';
  /** The data table's head cells: what a bar is, and what its value is. */
  labelHeader: string;
  valueHeader: string;
  /** Extra columns of the data table (a count beside an amount, for instance). */
  extra?: { header: string; cell: (index: number) => string }[];
}) {
  const { t, id, title, bars } = props;
  const titleId = `${id}-title`;
  const descId = `${id}-desc`;
  if (bars.length === 0) {
    return (
      <figure class="chart" aria-labelledby={titleId}>
        <figcaption id={titleId} class="chart-caption">
          {title}
        </figcaption>
        <p>{t('fig.chart.empty')}</p>
      </figure>
    );
  }
  const max = scaleMax(
    bars.map((b) => b.value),
    props.kind,
  );
  const lengths = barLengths(
    bars.map((b) => b.value),
    max,
    BAR_LENGTH,
  );
  const ranked = bars.map((b, i) => ({ b, i })).sort((x, y) => y.b.value - x.b.value || x.i - y.i);
  const top = ranked[0].b;
  const bottom = ranked[ranked.length - 1].b;
  const desc =
    bars.length === 1
      ? t('fig.chart.descOne', { top: top.label, topValue: top.text })
      : t('fig.chart.desc', { top: top.label, topValue: top.text, bottom: bottom.label, bottomValue: bottom.text });
  const height = bars.length * ROW + 4;
  // The end of the track: 100 % on a percentage scale that goes beyond (a lowered capacity).
  const full = props.kind === 'percent' ? Math.round((100 / max) * BAR_LENGTH) : BAR_LENGTH;
  return (
    <figure class="chart" aria-labelledby={titleId}>
      <figcaption id={titleId} class="chart-caption">
        {title}
      </figcaption>
      <svg class="chart-svg" viewBox={`0 0 ${WIDTH} ${height}`} width={WIDTH} height={height} role="img" aria-labelledby={`${id}-svg-title ${descId}`} focusable="false">
        <title id={`${id}-svg-title`}>{title}</title>
        <desc id={descId}>{desc}</desc>
        {bars.map((bar, i) => {
          const y = i * ROW;
          return (
            <g class="chart-row">
              <text class="chart-label" x={0} y={y + LABEL_BASELINE}>
                {shortLabel(bar.label)}
              </text>
              <rect class="chart-track" x={0} y={y + BAR_TOP} width={full} height={BAR_HEIGHT} />
              <rect class="chart-bar" x={0} y={y + BAR_TOP} width={lengths[i]} height={BAR_HEIGHT} />
              <text class="chart-value" x={Math.max(lengths[i], full) + 8} y={y + BAR_TOP + BAR_HEIGHT - 4}>
                {bar.text}
              </text>
            </g>
          );
        })}
      </svg>
      <Table
        id={`${id}-data`}
        caption={t('fig.chart.table', { title })}
        rows={bars.map((bar, index) => ({ bar, index }))}
        columns={[
          { label: props.labelHeader, rowHeader: true, cell: ({ bar }) => bar.label },
          { label: props.valueHeader, cell: ({ bar }) => bar.text },
          ...(props.extra ?? []).map((e) => ({ label: e.header, cell: ({ index }: { index: number }) => e.cell(index) })),
        ]}
      />
    </figure>
  );
}
