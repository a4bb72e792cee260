// Events: filters (type with wildcards, connected account, created range,
// delivery status) and a list that grows live, polled with a cursor.
import { useEffect, useRef, useState } from 'preact/hooks';
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
  // Answers for filters no longer shown are dropped: a slow answer to the
  // previous filter (or a poll sent before the change) must not land last.
  const shownKey = useRef(filterKey);
  shownKey.current = filterKey;
  const list = (extra: Record<string, string | number | undefined>,
                onPage: (page: ListPage<Json>) => void, onError: (failure: Error) => void = () => undefined) => {
    const sentFor = filterKey;
    call<ListPage<Json>>(key, 'GET', '/v1/events', { ...options, query: { ...query, ...extra } }).then(
      (page) => { if (sentFor === shownKey.current) onPage(page); },
      (failure: Error) => { if (sentFor === shownKey.current) onError(failure); });
  };

  useEffect(() => {
    setEvents(undefined);
    list({}, (page) => { setEvents(page.data); setHasMore(page.has_more); setError(undefined); },
      (failure) => setError(failure.message));
  }, [filterKey]);

  // New events: the page newer than the newest shown.
  usePoll(() => {
    if (!events) return;
    const newest = events[0]?.id;
    list(newest ? { ending_before: newest, limit: 100 } : {},
      (page) => { if (page.data.length) setEvents((shown) => [...page.data, ...(newest ? shown ?? [] : [])]); });
  }, [events, filterKey]);

  const more = () => {
    const last = events?.[events.length - 1]?.id;
    list({ starting_after: last }, (page) => { setEvents([...(events ?? []), ...page.data]); setHasMore(page.has_more); },
      (failure) => setError(failure.message));
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
  // The form follows the address only when something else changed it (a link,
  // Back): after our own Filter or Clear it already shows those values, and
  // resetting it when the hashchange arrives would drop what was typed since.
  const navigatedTo = useRef<string | undefined>(undefined);
  useEffect(() => {
    if (route.query.toString() !== navigatedTo.current) setForm(current);
    navigatedTo.current = undefined;
  }, [route.query.toString()]);
  const go = (next: Record<string, string>) => {
    setForm(next);
    navigatedTo.current = new URLSearchParams(Object.entries(next).filter(([, v]) => v)).toString();
    navigate('events', next);
  };
  const set = (name: string) => (e: Event) => setForm({ ...form, [name]: (e.currentTarget as HTMLInputElement).value });
  const apply = (e: Event) => { e.preventDefault(); go(form); };
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
          <button type="button" onClick={() => go({})}>Clear</button></p>
      </form>
      <EventList filters={current} />
    </>
  );
}
