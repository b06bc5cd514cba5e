import { adminApi, unwrap } from "../../api/client";
import { saveBlob } from "../../api/download";
import type { TimelineEntry } from "../../api/types";
import { useQuery, useSubmit } from "../../hooks";
import { Async, EmptyState } from "../../components/States";
import { ProblemAlert } from "../../components/Alert";
import { Badge, type Tone } from "../../components/Badge";
import { TableScroll } from "../../components/TableScroll";
import { formatDateTime, shortHash } from "../../format";

const KIND: Record<string, { label: string; tone: Tone }> = {
  aware: { label: "Aware", tone: "warning" },
  created: { label: "Tracked", tone: "neutral" },
  updated: { label: "Changed", tone: "neutral" },
  assessed: { label: "Assessed", tone: "info" },
  published: { label: "Published", tone: "success" },
  notification: { label: "Notification", tone: "accent" },
  download: { label: "Download", tone: "info" },
  report: { label: "Report", tone: "success" },
};

/** The file name of an exported timeline: `CVE-2026-1234-timeline.csv`. */
export function timelineFilename(id: string, format: "csv" | "markdown"): string {
  const safe = id.replace(/[^A-Za-z0-9._-]+/g, "_");
  return `${safe}-timeline.${format === "csv" ? "csv" : "md"}`;
}

/** Every step from awareness on, each tied to its audit event; exportable as CSV and Markdown. */
export function TimelineSection({ org, id }: { org: string; id: string }) {
  const timeline = useQuery({
    queryKey: ["org", org, "vulnerability", id, "timeline"],
    queryFn: async () =>
      (await unwrap(
        adminApi.GET("/api/v1/orgs/{org}/vulnerabilities/{id}/timeline", { params: { path: { org, id }, query: { format: "json" } } }),
      )) as TimelineEntry[],
  });
  const download = useSubmit(async (format: "csv" | "markdown") => {
    const blob = (await unwrap(
      adminApi.GET("/api/v1/orgs/{org}/vulnerabilities/{id}/timeline", {
        params: { path: { org, id }, query: { format } },
        parseAs: "blob",
      }),
    )) as unknown as Blob;
    saveBlob(blob, timelineFilename(id, format));
  });
  return (
    <section className="card" aria-labelledby="timeline-heading">
      <div className="row-between wrap">
        <h2 id="timeline-heading" className="card-title">
          Timeline
        </h2>
        <div className="button-row">
          <button type="button" className="button button-small" disabled={download.busy} onClick={() => void download.submit("csv")}>
            Download CSV
          </button>
          <button
            type="button"
            className="button button-small"
            disabled={download.busy}
            onClick={() => void download.submit("markdown")}
          >
            Download Markdown
          </button>
        </div>
      </div>
      <ProblemAlert error={download.error} title="Could not download the timeline" />
      <Async resource={timeline}>
        {(entries) =>
          entries.length === 0 ? (
            <EmptyState title="Nothing yet" />
          ) : (
            <TableScroll label="Timeline">
              <table className="table table-compact" data-testid="timeline">
                <caption className="visually-hidden">Timeline</caption>
                <thead>
                  <tr>
                    <th scope="col">When</th>
                    <th scope="col">Step</th>
                    <th scope="col">What</th>
                    <th scope="col">Who</th>
                    <th scope="col">Audit event</th>
                  </tr>
                </thead>
                <tbody>
                  {entries.map((e, i) => {
                    const k = KIND[e.kind] ?? { label: e.kind, tone: "neutral" as Tone };
                    return (
                      <tr key={i}>
                        <td className="nowrap">{formatDateTime(e.at)}</td>
                        <td>
                          <Badge tone={k.tone}>{k.label}</Badge>
                        </td>
                        <td>{e.summary}</td>
                        <td className="small">{e.actor}</td>
                        <td className="mono small" title={e.audit_event_id ?? undefined}>
                          {e.audit_event_id ? shortHash(e.audit_event_id, 8) : "–"}
                        </td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </TableScroll>
          )
        }
      </Async>
    </section>
  );
}
