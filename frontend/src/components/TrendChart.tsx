import { useEffect, useId, useRef, useState } from "react";
import { BarController, BarElement, CategoryScale, Chart, LinearScale, Tooltip } from "chart.js";
import type { TrendPoint } from "../api/types";
import { formatDate, plural } from "../format";

// Only what a bar chart needs: Chart.js is tree-shaken to these parts.
Chart.register(BarController, BarElement, CategoryScale, LinearScale, Tooltip);

function label(period: string, granularity: string): string {
  const d = new Date(`${period}T00:00:00`);
  const s = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "short" }).format(d);
  return granularity === "week" ? `Week of ${s}` : s;
}

/**
 * Downloads per day (or week) as a bar chart on a canvas, described for screen readers and
 * backed by a data table anyone can open.
 */
export function TrendChart({ trend, granularity }: { trend: TrendPoint[]; granularity: string }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const [showTable, setShowTable] = useState(false);
  const tableId = useId();
  const total = trend.reduce((n, p) => n + p.downloads, 0);
  const peak = trend.reduce<TrendPoint | null>((m, p) => (!m || p.downloads > m.downloads ? p : m), null);
  const summary =
    trend.length === 0
      ? "No data"
      : `${plural(total, "download")} from ${formatDate(trend[0]!.period)} to ${formatDate(trend[trend.length - 1]!.period)}` +
        (peak && peak.downloads > 0 ? `; most on ${formatDate(peak.period)} (${peak.downloads})` : "");

  useEffect(() => {
    if (!canvas.current || typeof canvas.current.getContext !== "function" || !canvas.current.getContext("2d")) return;
    const chart = new Chart(canvas.current, {
      type: "bar",
      data: {
        labels: trend.map((p) => label(p.period, granularity)),
        datasets: [
          {
            label: "Downloads",
            data: trend.map((p) => p.downloads),
            backgroundColor: "#3b6cf6",
            hoverBackgroundColor: "#1d4ed8",
            borderRadius: 3,
            maxBarThickness: 28,
          },
        ],
      },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        plugins: { legend: { display: false }, tooltip: { intersect: false, mode: "index" } },
        scales: {
          x: { grid: { display: false }, ticks: { maxRotation: 0, autoSkipPadding: 12, color: "#5f6b7a" } },
          y: { beginAtZero: true, ticks: { precision: 0, color: "#5f6b7a" }, grid: { color: "#eceff3" } },
        },
      },
    });
    return () => chart.destroy();
  }, [trend, granularity]);

  return (
    <figure className="trend">
      <div className="trend-canvas">
        <canvas ref={canvas} role="img" aria-label={`Download trend: ${summary}`} />
      </div>
      <figcaption className="muted small row-between wrap">
        <span>{summary}</span>
        <button
          type="button"
          className="link-button"
          aria-expanded={showTable}
          aria-controls={tableId}
          onClick={() => setShowTable((s) => !s)}
        >
          {showTable ? "Hide the data" : "Show the data as a table"}
        </button>
      </figcaption>
      {showTable && (
        <div id={tableId} className="table-wrap trend-table">
          <table className="table table-compact">
            <caption className="visually-hidden">Downloads per {granularity}</caption>
            <thead>
              <tr>
                <th scope="col">{granularity === "week" ? "Week of" : "Day"}</th>
                <th scope="col" className="num">
                  Downloads
                </th>
              </tr>
            </thead>
            <tbody>
              {trend.map((p) => (
                <tr key={p.period}>
                  <td>{formatDate(p.period)}</td>
                  <td className="num">{p.downloads}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </figure>
  );
}
