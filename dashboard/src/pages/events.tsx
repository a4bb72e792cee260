// Events: filters (type with wildcards, connected account, created range,
// delivery status) and a list that grows live, polled with a cursor.
import { useEffect, useState } from 'preact/hooks';
import { call, type Json, type ListPage } from '../api';
import { usePoll } from '../hooks';
import { time } from '../format';
import { href, navigate, type Route } from '../router';
import { activeKey } from '../session';
import { ErrorNote, Field, Loading, Status } from '../ui';

function unix(date: string, endOfDay: boolean): string | undefined {
  if (!date) return undefined;
  const at = new Date(`${date}T${endOfDay ? '23:59:59' : '00:00:00'}`);
  return String(Math.floor(at.getTime() / 1000));
}

export function EventList({ filters }: { filters: Record<string, string> }) {
  const key = activeKey();
  const [events, setEvents] = useState<Json[] | undefined>();
  const [hasMore, setHasMore] = useState(false);
  const [error, setError] = useState<string>();
  const query = {
    limit: 25,
    type: filters.type || undefined,
    delivery_success: filters.delivery || undefined,
    'created[gte]': unix(filters.from ?? '', false),
    'created[lte]': unix(filters.to ?? '', true),
  };
  const options = { stripeAccount: filters.account || undefined };
  const filterKey = JSON.stringify([key, filters]);

  useEffect(() => {
    setEvents(undefined);
    call<ListPage<Json>>(key, 'GET', '/v1/events', { ...options, query }).then(
      (page) => { setEvents(page.data); setHasMore(page.has_more); setError(undefined); },
      (failure: Error) => setError(failure.message));
  }, [filterKey]);

  // New events: the page newer than the newest shown.
  usePoll(() => {
    if (!events) return;
    const newest = events[0]?.id;
    const cursorQuery = newest ? { ...query, ending_before: newest, limit: 100 } : query;
    call<ListPage<Json>>(key, 'GET', '/v1/events', { ...options, query: cursorQuery }).then(
      (page) => { if (page.data.length) setEvents((shown) => [...page.data, ...(newest ? shown ?? [] : [])]); },
      () => undefined);
  }, [events, filterKey]);

  const more = () => {
    const last = events?.[events.length - 1]?.id;
    call<ListPage<Json>>(key, 'GET', '/v1/events', { ...options, query: { ...query, starting_after: last } }).then(
      (page) => { setEvents([...(events ?? []), ...page.data]); setHasMore(page.has_more); },
      (failure: Error) => setError(failure.message));
  };

  if (error) return <ErrorNote error={error} />;
  if (!events) return <Loading what="events" />;
  if (events.length === 0) return <p class="muted">No events match.</p>;
  return (
    <>
      <div class="table-wrap" tabIndex={0} role="region" aria-label="Scrollable table">
        <table class="events" aria-live="polite">
          <caption class="sr-only">Events</caption>
          <thead><tr><th scope="col">Event</th><th scope="col">Type</th><th scope="col">Account</th><th scope="col">Created</th><th scope="col">Delivery</th></tr></thead>
          <tbody>
            {events.map((event) => (
              <tr key={event.id} data-event={event.id}>
                <td><a href={href(`events/${event.id}`, { account: event.account ?? '' })}><code>{event.id}</code></a></td>
                <td>{event.type}</td>
                <td>{event.account ? <code>{event.account}</code> : 'platform'}</td>
                <td>{time(event.created)}</td>
                <td><Status ok={event.pending_webhooks === 0} label={event.pending_webhooks === 0 ? 'delivered' : `${event.pending_webhooks} pending`} /></td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {hasMore && <p><button type="button" onClick={more}>Older events</button></p>}
    </>
  );
}

export function EventsPage({ route }: { route: Route }) {
  const current = Object.fromEntries(route.query.entries());
  const [form, setForm] = useState<Record<string, string>>(current);
  useEffect(() => setForm(current), [route.query.toString()]);
  const set = (name: string) => (e: Event) => setForm({ ...form, [name]: (e.currentTarget as HTMLInputElement).value });
  const apply = (e: Event) => { e.preventDefault(); navigate('events', form); };
  return (
    <>
      <h1>Events</h1>
      <form class="filters" onSubmit={apply} aria-label="Event filters">
        <Field label="Type"><input name="type" value={form.type ?? ''} onInput={set('type')} placeholder="payment_intent.*" /></Field>
        <Field label="Connected account"><input name="account" value={form.account ?? ''} onInput={set('account')} placeholder="acct_…" /></Field>
        <Field label="Created from"><input name="from" type="date" value={form.from ?? ''} onInput={set('from')} /></Field>
        <Field label="Created to"><input name="to" type="date" value={form.to ?? ''} onInput={set('to')} /></Field>
        <Field label="Delivery">
          <select name="delivery" value={form.delivery ?? ''} onChange={set('delivery')}>
            <option value="">Any</option><option value="true">Delivered</option><option value="false">Pending</option>
          </select>
        </Field>
        <p class="actions"><button type="submit" class="primary">Filter</button>
          <button type="button" onClick={() => navigate('events')}>Clear</button></p>
      </form>
      <EventList filters={current} />
    </>
  );
}
