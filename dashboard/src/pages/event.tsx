// One event: its body (pretty, copyable), where it went, every attempt, and
// Resend to one endpoint; attempts appear as they happen.
import { useState } from 'preact/hooks';
import { ApiFailure, call, type Json, type ListPage } from '../api';
import { useLoad, usePoll } from '../hooks';
import { time } from '../format';
import { href } from '../router';
import { activeKey } from '../session';
import { ErrorNote, Field, Loading, Section } from '../ui';
import { AttemptsTable } from './attempts_table';

// An event is seen as the account it happened on. A link without the account
// (from an endpoint's attempts) looks for it among the connected accounts.
async function findEvent(key: string, id: string, account: string): Promise<{ event: Json; account: string }> {
  try {
    return { event: await call(key, 'GET', `/v1/events/${id}`, { stripeAccount: account || undefined }), account };
  } catch (failure) {
    if (account || !(failure instanceof ApiFailure) || failure.status !== 404) throw failure;
  }
  const accounts = await call<ListPage<Json>>(key, 'GET', '/v1/accounts', { query: { limit: 100 } });
  const found = await Promise.all(accounts.data.map((a) =>
    call(key, 'GET', `/v1/events/${id}`, { stripeAccount: a.id }).then((event) => ({ event, account: a.id }), () => null)));
  const hit = found.find((f) => f !== null);
  if (!hit) throw new Error(`No such event: '${id}'`);
  return hit;
}

export function EventPage({ id, account }: { id: string; account: string }) {
  const key = activeKey();
  const loaded = useLoad(() => findEvent(key, id, account), [key, id, account]);
  const as = loaded.data?.account;
  const attempts = useLoad(async () => (as === undefined ? undefined
    : call<ListPage<Json>>(key, 'GET', `/v1/events/${id}/attempts`, { stripeAccount: as || undefined, query: { limit: 100 } })), [key, id, as]);
  const endpoints = useLoad(() => call<ListPage<Json>>(key, 'GET', '/v1/webhook_endpoints', { query: { limit: 100 } }), [key]);
  const [target, setTarget] = useState('');
  const [message, setMessage] = useState<string>();
  const [error, setError] = useState<string>();
  const [copied, setCopied] = useState(false);
  usePoll(() => { attempts.reload(); loaded.reload(); }, [attempts.reload, loaded.reload]);

  if (loaded.error) return <><h1>Event</h1><ErrorNote error={loaded.error} /></>;
  if (!loaded.data) return <Loading what="the event" />;
  const event = loaded.data.event;
  const pretty = JSON.stringify(event, null, 2);
  const all = attempts.data?.data ?? [];
  const byEndpoint = new Map<string, Json[]>();
  for (const attempt of all) byEndpoint.set(attempt.webhook_endpoint, [...(byEndpoint.get(attempt.webhook_endpoint) ?? []), attempt]);
  const choices = endpoints.data?.data ?? [];
  const chosen = target || choices[0]?.id || '';

  const resend = async (e: Event) => {
    e.preventDefault();
    try {
      await call(key, 'POST', `/v1/events/${id}/retry`, { stripeAccount: as || undefined, body: { webhook_endpoint: chosen } });
      setMessage(`Resent to ${chosen}; the attempt appears below when it happens.`);
      setError(undefined);
      attempts.reload();
    } catch (failure) { setError((failure as Error).message); }
  };
  const copy = async () => {
    try { await navigator.clipboard.writeText(pretty); setCopied(true); } catch { setCopied(false); }
  };

  return (
    <>
      <p><a href={href('events')}>← Events</a></p>
      <h1>{event.type}</h1>
      <dl class="facts">
        <dt>Id</dt><dd><code>{event.id}</code></dd>
        <dt>Account</dt><dd>{event.account ? <a href={href(`accounts/${event.account}`)}><code>{event.account}</code></a> : 'platform'}</dd>
        <dt>Created</dt><dd>{time(event.created)}</dd>
        <dt>Mode</dt><dd>{event.livemode ? 'live' : 'test'}</dd>
        <dt>Pending webhooks</dt><dd data-testid="pending">{event.pending_webhooks}</dd>
      </dl>
      <Section title="Resend">
        <form class="row" onSubmit={resend}>
          <Field label="Endpoint">
            <select name="webhook_endpoint" value={chosen} onChange={(e) => setTarget(e.currentTarget.value)}>
              {choices.map((endpoint) => <option key={endpoint.id} value={endpoint.id}>{endpoint.url} ({endpoint.id})</option>)}
            </select>
          </Field>
          <button type="submit" class="primary" disabled={!chosen}>Resend</button>
        </form>
        {message && <p role="status">{message}</p>}
        <ErrorNote error={error} />
      </Section>
      <Section title="Deliveries">
        <ErrorNote error={attempts.error} />
        {!attempts.data ? <Loading what="attempts" /> : byEndpoint.size === 0 ? <p class="muted">No attempts yet.</p> :
          [...byEndpoint.entries()].map(([endpoint, list]) => (
            <div key={endpoint} class="delivery">
              <h3><a href={href(`endpoints/${endpoint}`)}><code>{endpoint}</code></a></h3>
              <AttemptsTable attempts={list} />
            </div>
          ))}
      </Section>
      <Section title="Event data" actions={<button type="button" onClick={copy}>{copied ? 'Copied' : 'Copy JSON'}</button>}>
        <pre class="json" tabIndex={0} role="region" aria-label="Event JSON">{pretty}</pre>
      </Section>
    </>
  );
}
