// Webhook endpoints: the list with each one's recent success rate, and the
// form that creates one.
import { useState } from 'preact/hooks';
import { call, type Json, type ListPage } from '../api';
import { useLoad, usePoll } from '../hooks';
import { percent } from '../format';
import { href, navigate } from '../router';
import { activeKey } from '../session';
import { ErrorNote, Loading, Section, Status } from '../ui';
import { EndpointForm } from './endpoint_form';

// The share of successful attempts among an endpoint's last 100.
async function successRate(key: string, id: string): Promise<number | null> {
  const attempts = await call<ListPage<Json>>(key, 'GET', `/v1/webhook_endpoints/${id}/attempts`, { query: { limit: 100 } });
  if (attempts.data.length === 0) return null;
  return attempts.data.filter((a) => a.success).length / attempts.data.length;
}

export async function loadEndpoints(key: string) {
  const list = await call<ListPage<Json>>(key, 'GET', '/v1/webhook_endpoints', { query: { limit: 100 } });
  const rates = await Promise.all(list.data.map((e) => successRate(key, e.id)));
  return list.data.map((endpoint, i) => ({ endpoint, rate: rates[i] }));
}

export function EndpointsPage() {
  const key = activeKey();
  const endpoints = useLoad(() => loadEndpoints(key), [key]);
  const [creating, setCreating] = useState(false);
  usePoll(endpoints.reload, [endpoints.reload]);
  return (
    <>
      <h1>Webhook endpoints</h1>
      {creating ? (
        <Section title="Add an endpoint">
          <EndpointForm onDone={(created) => { setCreating(false); if (created) navigate(`endpoints/${created.id}`, { created: '1' }); }} />
        </Section>
      ) : (
        <p><button type="button" class="primary" onClick={() => setCreating(true)}>Add endpoint</button></p>
      )}
      <ErrorNote error={endpoints.error} />
      {!endpoints.data ? <Loading what="endpoints" /> : endpoints.data.length === 0 ? (
        <p class="muted">No endpoints yet.</p>
      ) : (
        <div class="table-wrap" tabIndex={0} role="region" aria-label="Scrollable table">
          <table>
            <caption class="sr-only">Webhook endpoints</caption>
            <thead><tr><th scope="col">URL</th><th scope="col">Kind</th><th scope="col">Mode</th><th scope="col">Status</th><th scope="col">Events</th><th scope="col">Success (last 100)</th></tr></thead>
            <tbody>
              {endpoints.data.map(({ endpoint, rate }) => (
                <tr key={endpoint.id}>
                  <td><a href={href(`endpoints/${endpoint.id}`)} class="url">{endpoint.url}</a></td>
                  <td>{endpoint.application ? 'Connect' : 'Account'}</td>
                  <td>{endpoint.livemode ? 'live' : 'test'}</td>
                  <td><Status ok={endpoint.status === 'enabled'} label={endpoint.status} /></td>
                  <td class="events-cell">{(endpoint.enabled_events as string[]).join(', ')}</td>
                  <td>{percent(rate)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
