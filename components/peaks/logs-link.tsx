/**
 * "Open logs ↗": a link into the log tool (values.yaml's links.logs_url_template), in a new tab
 * that gets neither this page's window object nor its address. Its accessible name says what it
 * opens: "Open the logs of <subject>".
 */
export function LogsLink({ href, subject }: { href: string; subject: string }) {
  return (
    <a className="pk-logs-link" href={href} target="_blank" rel="noopener noreferrer">
      Open <span className="pk-visually-hidden">the </span>logs<span className="pk-visually-hidden"> of {subject}</span>
      <span aria-hidden="true"> ↗</span>
    </a>
  );
}
