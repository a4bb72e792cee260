// Create or edit an endpoint: URL, account or Connect, and the event types
// from the catalog (or every type, "*").
import { useState } from 'preact/hooks';
import { call, type Json } from '../api';
import { activeKey } from '../session';
import { ErrorNote, Field } from '../ui';

declare const __EVENT_TYPES__: string[];
const kEventTypes: string[] = __EVENT_TYPES__;

export function EndpointForm({ endpoint, onDone }: { endpoint?: Json; onDone: (saved?: Json) => void }) {
  const [url, setUrl] = useState<string>(endpoint?.url ?? '');
  const [description, setDescription] = useState<string>(endpoint?.description ?? '');
  const [connect, setConnect] = useState(false);
  const [events, setEvents] = useState<string[]>(endpoint?.enabled_events ?? []);
  const [filter, setFilter] = useState('');
  const [error, setError] = useState<string>();
  const all = events.includes('*');
  const shown = kEventTypes.filter((t) => t.includes(filter.trim())).slice(0, 200);

  const toggle = (type: string) =>
    setEvents(events.includes(type) ? events.filter((e) => e !== type) : [...events.filter((e) => e !== '*'), type]);

  const submit = async (e: Event) => {
    e.preventDefault();
    try {
      const body = { url, description, enabled_events: events, ...(endpoint ? {} : { connect: connect ? 'true' : undefined }) };
      const path = endpoint ? `/v1/webhook_endpoints/${endpoint.id}` : '/v1/webhook_endpoints';
      onDone(await call(activeKey(), 'POST', path, { body }));
    } catch (failure) {
      setError((failure as Error).message);
    }
  };

  return (
    <form class="form" onSubmit={submit}>
      <Field label="Endpoint URL"><input name="url" type="url" required value={url} onInput={(e) => setUrl(e.currentTarget.value)} placeholder="https://example.com/webhook" /></Field>
      <Field label="Description"><input name="description" value={description} onInput={(e) => setDescription(e.currentTarget.value)} /></Field>
      {!endpoint && (
        <fieldset>
          <legend>Listen to</legend>
          <label class="inline"><input type="radio" name="connect" checked={!connect} onChange={() => setConnect(false)} /> Events on your account</label>
          <label class="inline"><input type="radio" name="connect" checked={connect} onChange={() => setConnect(true)} /> Events on connected accounts (Connect)</label>
        </fieldset>
      )}
      <fieldset>
        <legend>Events to send ({all ? 'all' : events.length} selected)</legend>
        <label class="inline"><input type="checkbox" name="all_events" checked={all} onChange={() => setEvents(all ? [] : ['*'])} /> Every event type (<code>*</code>)</label>
        {!all && (
          <>
            <Field label="Find event types"><input type="search" name="event_filter" value={filter} onInput={(e) => setFilter(e.currentTarget.value)} placeholder="payment_intent." /></Field>
            <div class="picker" role="group" aria-label="Event types">
              {shown.map((type) => (
                <label class="inline" key={type}><input type="checkbox" checked={events.includes(type)} onChange={() => toggle(type)} /> {type}</label>
              ))}
            </div>
          </>
        )}
      </fieldset>
      <ErrorNote error={error} />
      <p class="actions">
        <button type="submit" class="primary">{endpoint ? 'Save' : 'Add endpoint'}</button>
        <button type="button" onClick={() => onDone()}>Cancel</button>
      </p>
    </form>
  );
}
