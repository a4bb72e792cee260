// Delivery attempts: time, HTTP status, latency, error, the start of the
// receiver's answer (as text). On a phone each attempt is a block of labelled
// lines (styles.css, data-label), so no column is cut off; the explicit roles
// keep it a table for assistive technology when CSS makes it blocks.
import type { Json } from '../api';
import { ms, time } from '../format';
import { href } from '../router';
import { Status } from '../ui';

export function AttemptsTable({ attempts, showEvent, showEndpoint }: { attempts: Json[]; showEvent?: boolean; showEndpoint?: boolean }) {
  if (attempts.length === 0) return <p class="muted">No attempts yet.</p>;
  return (
    <div class="table-wrap" tabIndex={0} role="region" aria-label="Scrollable table">
      <table class="attempts" role="table">
        <caption class="sr-only">Delivery attempts</caption>
        <thead role="rowgroup"><tr role="row">
          <th scope="col" role="columnheader">Time</th>{showEvent && <th scope="col" role="columnheader">Event</th>}{showEndpoint && <th scope="col" role="columnheader">Endpoint</th>}
          <th scope="col" role="columnheader">Result</th><th scope="col" role="columnheader">HTTP</th><th scope="col" role="columnheader">Latency</th><th scope="col" role="columnheader">Error</th><th scope="col" role="columnheader">Response</th>
        </tr></thead>
        <tbody role="rowgroup">
          {attempts.map((a) => (
            <tr key={a.id} data-attempt={a.id} role="row">
              <td role="cell" data-label="Time">{time(a.created)}</td>
              {showEvent && <td role="cell" data-label="Event"><a href={href(`events/${a.event}`)}><code>{a.event}</code></a></td>}
              {showEndpoint && <td role="cell" data-label="Endpoint"><a href={href(`endpoints/${a.webhook_endpoint}`)}><code>{a.webhook_endpoint}</code></a></td>}
              <td role="cell" data-label="Result"><Status ok={a.success} label={a.success ? 'succeeded' : 'failed'} /></td>
              <td role="cell" data-label="HTTP">{a.http_status ?? '—'}</td>
              <td role="cell" data-label="Latency">{ms(a.latency_ms)}</td>
              <td role="cell" data-label="Error">{a.error ?? ''}</td>
              <td role="cell" data-label="Response"><pre class="excerpt">{String(a.response_body ?? '').slice(0, 300)}</pre></td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
