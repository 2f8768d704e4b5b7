/**
 * A chart with a caption and a text summary for screen readers (the SVG itself is decorative for them).
 * Server component: the chart inside is a client component.
 */
export function ChartFrame({ title, summary, children }: { title: string; summary: string; children: React.ReactNode }) {
  return (
    <figure className="chart card">
      <figcaption>{title}</figcaption>
      <div aria-hidden="true" className="chart-body">
        {children}
      </div>
      <p className="sr-only">{summary}</p>
    </figure>
  );
}
