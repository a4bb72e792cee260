// Delivery attempts: time, HTTP status, latency, error, the start of the
// receiver's answer (as text).
import type { Json } from '../api';
import { ms, time } from '../format';
import { href } from '../router';
import { Status } from '../ui';

export function AttemptsTable({ attempts, showEvent, showEndpoint }: { attempts: Json[]; showEvent?: boolean; showEndpoint?: boolean }) {
  if (attempts.length === 0) return <p class="muted">No attempts yet.</p>;
  return (
    <div class="table-wrap" tabIndex={0} role="region" aria-label="Scrollable table">
      <table class="attempts">
        <caption class="sr-only">Delivery attempts</caption>
        <thead><tr>
          <th scope="col">Time</th>{showEvent && <th scope="col">Event</th>}{showEndpoint && <th scope="col">Endpoint</th>}
          <th scope="col">Result</th><th scope="col">HTTP</th><th scope="col">Latency</th><th scope="col">Error</th><th scope="col">Response</th>
        </tr></thead>
        <tbody>
          {attempts.map((a) => (
            <tr key={a.id} data-attempt={a.id}>
              <td>{time(a.created)}</td>
              {showEvent && <td><a href={href(`events/${a.event}`)}><code>{a.event}</code></a></td>}
              {showEndpoint && <td><a href={href(`endpoints/${a.webhook_endpoint}`)}><code>{a.webhook_endpoint}</code></a></td>}
              <td><Status ok={a.success} label={a.success ? 'succeeded' : 'failed'} /></td>
              <td>{a.http_status ?? '—'}</td>
              <td>{ms(a.latency_ms)}</td>
              <td>{a.error ?? ''}</td>
              <td><pre class="excerpt">{String(a.response_body ?? '').slice(0, 300)}</pre></td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
