// Overview: traffic, success and latency over the last hour or day (from
// GET /v1/webhook_stats), endpoints that are failing or disabled, backlog.
import { useState } from 'preact/hooks';
import { call, type Json } from '../api';
import { Chart } from '../chart';
import { kStatsPollMs, useLoad, usePoll } from '../hooks';
import { ms, percent } from '../format';
import { href } from '../router';
import { activeKey } from '../session';
import { ErrorNote, Loading, Section, Status } from '../ui';

export function OverviewPage() {
  const key = activeKey();
  const [window, setWindow] = useState<'hour' | 'day'>('hour');
  const stats = useLoad(() => call(key, 'GET', '/v1/webhook_stats', { query: { window } }), [key, window]);
  const endpoints = useLoad(() => call(key, 'GET', '/v1/webhook_endpoints', { query: { limit: 100 } }), [key]);
  usePoll(() => { stats.reload(); endpoints.reload(); }, [stats.reload, endpoints.reload], kStatsPollMs);
  const s: Json = stats.data;
  const byId = new Map<string, Json>((endpoints.data?.data ?? []).map((e: Json) => [e.id, e]));
  const troubled = (s?.endpoints ?? []).filter((e: Json) => e.failing_since !== null || byId.get(e.webhook_endpoint)?.status === 'disabled');
  const disabled = (endpoints.data?.data ?? []).filter((e: Json) => e.status === 'disabled' && !troubled.some((t: Json) => t.webhook_endpoint === e.id));
  return (
    <>
      <h1>Overview</h1>
      <div class="row" role="group" aria-label="Time window">
        <button type="button" aria-pressed={window === 'hour'} onClick={() => setWindow('hour')}>Last hour</button>
        <button type="button" aria-pressed={window === 'day'} onClick={() => setWindow('day')}>Last day</button>
      </div>
      <ErrorNote error={stats.error} />
      {!s ? <Loading what="statistics" /> : (
        <>
          <div class="tiles">
            <div class="tile"><span class="muted">Events</span><strong data-testid="events-total">{s.totals.events}</strong></div>
            <div class="tile"><span class="muted">Delivery attempts</span><strong data-testid="attempts-total">{s.totals.attempts}</strong></div>
            <div class="tile"><span class="muted">Success rate</span><strong>{percent(s.totals.success_rate)}</strong></div>
            <div class="tile"><span class="muted">Latency p50 / p95</span><strong>{ms(s.totals.latency_p50_ms)} / {ms(s.totals.latency_p95_ms)}</strong></div>
            <div class="tile"><span class="muted">Pending webhooks</span><strong data-testid="pending-total">{s.pending_webhooks}</strong></div>
          </div>
          <Section title="Traffic">
            <Chart title={`Events and delivery attempts per ${window === 'hour' ? 'minute' : 'hour'}`}
              times={s.buckets.map((b: Json) => b.start)}
              series={[
                { label: 'events', values: s.buckets.map((b: Json) => b.events), color: '#635bff' },
                { label: 'attempts', values: s.buckets.map((b: Json) => b.attempts), color: '#c2410c' },
              ]} />
            <Chart title="Delivery latency (ms)" times={s.buckets.map((b: Json) => b.start)}
              series={[
                { label: 'p50', values: s.buckets.map((b: Json) => b.latency_p50_ms), color: '#1a7f37' },
                { label: 'p95', values: s.buckets.map((b: Json) => b.latency_p95_ms), color: '#b42318' },
              ]} />
          </Section>
          <Section title="Endpoints needing attention">
            {troubled.length === 0 && disabled.length === 0 ? <p class="muted">Every endpoint is healthy.</p> : (
              <ul class="plain">
                {troubled.map((t: Json) => (
                  <li key={t.webhook_endpoint}>
                    <a href={href(`endpoints/${t.webhook_endpoint}`)} class="url">{byId.get(t.webhook_endpoint)?.url ?? t.webhook_endpoint}</a>{' '}
                    <Status ok={false} label={byId.get(t.webhook_endpoint)?.status === 'disabled' ? 'disabled' : 'failing'} />{' '}
                    {percent(t.success_rate)} success
                    {t.disables_at ? <span class="muted"> · auto-disable at {new Date(t.disables_at * 1000).toLocaleString()}</span> : null}
                  </li>
                ))}
                {disabled.map((e: Json) => (
                  <li key={e.id}><a href={href(`endpoints/${e.id}`)} class="url">{e.url}</a> <Status ok={false} label="disabled" /></li>
                ))}
              </ul>
            )}
          </Section>
        </>
      )}
    </>
  );
}
