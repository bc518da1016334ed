// Hourly bars in plain SVG: human and machine (mail scanners, privacy proxies) stacked, so a
// spike of machine opens right after sending is visible for what it is.
import type { HourlyActivity } from '../types.ts';

export function HourlyChart(props: { title: string; data: HourlyActivity[]; total: 'opens' | 'clicks'; human: 'human_opens' | 'human_clicks' }) {
  const { data, title } = props;
  const w = 560;
  const h = 180;
  const pad = { l: 36, r: 8, t: 10, b: 28 };
  const rows = data.map((d) => ({ hour: d.hour, human: d[props.human], machine: Math.max(0, d[props.total] - d[props.human]) }));
  // A round top for the scale, so every grid line is a whole number of events.
  const peak = Math.max(1, ...rows.map((r) => r.human + r.machine));
  const max = peak <= 4 ? Math.max(2, Math.ceil(peak / 2) * 2) : niceCeil(peak);
  const innerW = w - pad.l - pad.r;
  const innerH = h - pad.t - pad.b;
  const bw = rows.length ? innerW / rows.length : innerW;
  const y = (v: number) => pad.t + innerH - (v / max) * innerH;
  const totals = rows.reduce((a, r) => ({ human: a.human + r.human, machine: a.machine + r.machine }), { human: 0, machine: 0 });
  const label = (iso: string) => `${iso.slice(11, 13)}:00`;
  const step = Math.max(1, Math.ceil(rows.length / 8));
  return (
    <figure className="chart">
      <figcaption>
        <strong>{title}</strong>{' '}
        <span className="legend">
          <span className="swatch swatch-human" /> human {totals.human} <span className="swatch swatch-machine" /> machine {totals.machine}
        </span>
      </figcaption>
      {rows.length === 0 ? (
        <p className="muted small">Nothing yet.</p>
      ) : (
        <svg viewBox={`0 0 ${w} ${h}`} role="img" aria-label={`${title} per hour: ${totals.human} human, ${totals.machine} machine`}>
          {[0, 0.5, 1].map((f) => (
            <g key={f}>
              <line x1={pad.l} x2={w - pad.r} y1={y(max * f)} y2={y(max * f)} className="grid" />
              <text x={pad.l - 6} y={y(max * f) + 4} textAnchor="end" className="axis">
                {Math.round(max * f)}
              </text>
            </g>
          ))}
          {rows.map((r, i) => {
            // Bars stay narrow when there are few hours, centred in their slot.
            const bwi = Math.max(1, Math.min(bw * 0.7, 36));
            const x = pad.l + i * bw + (bw - bwi) / 2;
            return (
              <g key={r.hour}>
                <title>{`${r.hour.slice(0, 13).replace('T', ' ')}h UTC: ${r.human} human, ${r.machine} machine`}</title>
                <rect x={x} y={y(r.human)} width={bwi} height={pad.t + innerH - y(r.human)} className="bar-human" />
                <rect x={x} y={y(r.human + r.machine)} width={bwi} height={y(r.human) - y(r.human + r.machine)} className="bar-machine" />
                {i % step === 0 && (
                  <text x={x + bwi / 2} y={h - 10} textAnchor="middle" className="axis">
                    {label(r.hour)}
                  </text>
                )}
              </g>
            );
          })}
        </svg>
      )}
    </figure>
  );
}

function niceCeil(n: number): number {
  const pow = 10 ** Math.floor(Math.log10(n));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * pow >= n) return m * pow;
  return 10 * pow;
}
