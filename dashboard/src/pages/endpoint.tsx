// One endpoint: what it is, what can be done to it, and its attempts, newest
// first and live.
import { useMemo, useState } from 'preact/hooks';
import { call, type Json, type ListPage } from '../api';
import { Chart } from '../chart';
import { kStatsPollMs, useLoad, usePoll } from '../hooks';
import { percent, time } from '../format';
import { href, navigate } from '../router';
import { activeKey } from '../session';
import { ConfirmButton, ErrorNote, Field, Loading, Section, Status } from '../ui';
import { EndpointForm } from './endpoint_form';
import { AttemptsTable } from './attempts_table';

function SecretPanel({ endpoint }: { endpoint: Json }) {
  const key = activeKey();
  const [secret, setSecret] = useState<string>();
  const [expiresIn, setExpiresIn] = useState('3600');
  const [message, setMessage] = useState<string>();
  const [error, setError] = useState<string>();
  const reveal = async () => {
    try {
      setSecret((await call(key, 'GET', `/v1/webhook_endpoints/${endpoint.id}/secret`)).secret);
    } catch (failure) { setError((failure as Error).message); }
  };
  const roll = async () => {
    try {
      const rolled = await call(key, 'POST', `/v1/webhook_endpoints/${endpoint.id}/roll_secret`, { body: { expires_in: expiresIn } });
      setSecret(rolled.secret);
      setMessage(Number(expiresIn) > 0 ? `Secret rolled; the old one keeps signing for ${expiresIn} s.` : 'Secret rolled; the old one no longer signs.');
    } catch (failure) { setError((failure as Error).message); }
  };
  return (
    <Section title="Signing secret">
      <p>
        {secret ? <code class="secret" data-testid="secret">{secret}</code> : <span class="muted">whsec_••••••••</span>}{' '}
        {secret ? <button type="button" onClick={() => setSecret(undefined)}>Hide</button> : <button type="button" onClick={reveal}>Reveal</button>}
      </p>
      <div class="row">
        <Field label="Old secret expires in (seconds)">
          <select name="expires_in" value={expiresIn} onChange={(e) => setExpiresIn(e.currentTarget.value)}>
            <option value="0">now</option><option value="3600">1 hour</option><option value="86400">24 hours</option>
          </select>
        </Field>
        <ConfirmButton label="Roll secret" question="Roll the signing secret?" onConfirm={roll} />
      </div>
      {message && <p role="status">{message}</p>}
      <ErrorNote error={error} />
    </Section>
  );
}

export function EndpointPage({ id }: { id: string }) {
  const key = activeKey();
  const endpoint = useLoad(() => call(key, 'GET', `/v1/webhook_endpoints/${id}`), [key, id]);
  // The event type filter (exact or "payment_intent.*") is the server's; the status one is applied here.
  const [type, setType] = useState('');
  const [typeInput, setTypeInput] = useState('');
  const attempts = useLoad(() => call<ListPage<Json>>(key, 'GET', `/v1/webhook_endpoints/${id}/attempts`,
    { query: { limit: 100, type: type || undefined } }), [key, id, type]);
  // When its run of failures began and when the automatic disable would hit.
  const health = useLoad(async () => {
    const stats = await call(key, 'GET', '/v1/webhook_stats', { query: { window: 'hour' } });
    return (stats.endpoints as Json[]).find((entry) => entry.webhook_endpoint === id);
  }, [key, id]);
  const [editing, setEditing] = useState(false);
  const [status, setStatus] = useState('all');
  const [error, setError] = useState<string>();
  usePoll(() => { attempts.reload(); endpoint.reload(); }, [attempts.reload, endpoint.reload]);
  usePoll(health.reload, [health.reload], kStatsPollMs);

  const shown = (attempts.data?.data ?? []).filter((a) => status === 'all' || (status === 'succeeded') === a.success);
  const chart = useMemo(() => {
    const list = [...(attempts.data?.data ?? [])].reverse();
    return { times: list.map((a) => a.created), latency: list.map((a) => a.latency_ms), ok: list.map((a) => (a.success ? 1 : 0)) };
  }, [attempts.data]);
  const all = attempts.data?.data ?? [];
  const rate = all.length ? all.filter((a) => a.success).length / all.length : null;
  const lastFailure = all.find((a) => !a.success);

  const update = async (body: Record<string, string>) => {
    try { await call(key, 'POST', `/v1/webhook_endpoints/${id}`, { body }); endpoint.reload(); } catch (f) { setError((f as Error).message); }
  };
  const remove = async () => {
    try { await call(key, 'DELETE', `/v1/webhook_endpoints/${id}`); navigate('endpoints'); } catch (f) { setError((f as Error).message); }
  };

  if (endpoint.error) return <><h1>Endpoint</h1><ErrorNote error={endpoint.error} /></>;
  const e = endpoint.data;
  if (!e) return <Loading what="the endpoint" />;
  return (
    <>
      <p><a href={href('endpoints')}>← Webhook endpoints</a></p>
      <h1 class="url">{e.url}</h1>
      <dl class="facts">
        <dt>Id</dt><dd><code>{e.id}</code></dd>
        <dt>Listens to</dt><dd>{e.application ? 'Connected accounts (Connect)' : 'Your account'}</dd>
        <dt>Status</dt><dd><Status ok={e.status === 'enabled'} label={e.status} /></dd>
        <dt>Events</dt><dd>{(e.enabled_events as string[]).join(', ')}</dd>
        {e.description && <><dt>Description</dt><dd>{e.description}</dd></>}
        <dt>Success (last 100)</dt><dd>{percent(rate)}</dd>
        <dt>Last failed attempt</dt><dd>{lastFailure ? time(lastFailure.created) : 'none'}</dd>
        <dt>Failing since</dt><dd data-testid="failing-since">{health.data?.failing_since ? time(health.data.failing_since) : 'not failing'}</dd>
        {health.data?.disables_at ? <><dt>Auto-disable at</dt><dd>{time(health.data.disables_at)}</dd></> : null}
      </dl>
      <p class="actions">
        <button type="button" onClick={() => setEditing(!editing)}>Edit</button>
        {e.status === 'enabled'
          ? <button type="button" onClick={() => update({ disabled: 'true' })}>Disable</button>
          : <button type="button" onClick={() => update({ disabled: 'false' })}>Enable</button>}
        <ConfirmButton label="Delete" question="Delete this endpoint? Its pending retries stop." onConfirm={remove} danger />
      </p>
      <ErrorNote error={error} />
      {editing && <Section title="Edit endpoint"><EndpointForm endpoint={e} onDone={(saved) => { setEditing(false); if (saved) endpoint.reload(); }} /></Section>}
      <SecretPanel endpoint={e} />
      {chart.times.length > 1 && (
        <Section title="Recent attempts">
          <Chart title="Latency (ms) and success (1) per attempt" times={chart.times}
                 series={[{ label: 'latency ms', values: chart.latency, color: '#635bff' }, { label: 'success', values: chart.ok, color: '#1a7f37' }]} />
        </Section>
      )}
      <Section title="Delivery attempts" actions={
        <form class="row" aria-label="Filter attempts" onSubmit={(ev) => { ev.preventDefault(); setType(typeInput.trim()); }}>
          <Field label="Event type">
            <input name="attempt_type" value={typeInput} onInput={(ev) => setTypeInput(ev.currentTarget.value)} placeholder="payment_intent.*" />
          </Field>
          <button type="submit">Filter</button>
          <Field label="Status">
            <select name="attempt_status" value={status} onChange={(ev) => setStatus(ev.currentTarget.value)}>
              <option value="all">All</option><option value="succeeded">Succeeded</option><option value="failed">Failed</option>
            </select>
          </Field>
        </form>}>
        <ErrorNote error={attempts.error} />
        {!attempts.data ? <Loading what="attempts" /> : <AttemptsTable attempts={shown} showEvent />}
      </Section>
    </>
  );
}
