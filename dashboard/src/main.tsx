// The dashboard's shell: sign in with a secret key, the test/live switch, the
// navigation, and the page for the current hash route.
import { render } from 'preact';
import { useState } from 'preact/hooks';
import { call } from './api';
import { href, useRoute } from './router';
import { modeOfKey, signIn, signOut, switchMode, useSession, type Mode } from './session';
import { ErrorNote, Field } from './ui';
import { OverviewPage } from './pages/overview';
import { EndpointsPage } from './pages/endpoints';
import { EndpointPage } from './pages/endpoint';
import { EventsPage } from './pages/events';
import { EventPage } from './pages/event';
import { AccountPage, AccountsPage } from './pages/accounts';
import './styles.css';

function SignIn({ wanted }: { wanted?: Mode }) {
  const [key, setKey] = useState('');
  const [error, setError] = useState<string>();
  const submit = async (e: Event) => {
    e.preventDefault();
    const trimmed = key.trim();
    if (!modeOfKey(trimmed)) { setError('A secret key starts with sk_test_ or sk_live_.'); return; }
    try {
      await call(trimmed, 'GET', '/v1/account');
      setKey('');
      signIn(trimmed);
    } catch (failure) {
      setError((failure as Error).message);
    }
  };
  return (
    <form class="signin card" onSubmit={submit} aria-label="Sign in">
      <h1>{wanted ? `Sign in to ${wanted} mode` : 'Sign in to hookline'}</h1>
      <p class="muted">Paste a secret key (<code>sk_test_…</code> or <code>sk_live_…</code>), as printed by <code>hookline serve</code>. It stays in this tab only.</p>
      <Field label="Secret key">
        <input name="key" type="password" autocomplete="off" spellcheck={false} required value={key} onInput={(e) => setKey(e.currentTarget.value)} />
      </Field>
      <ErrorNote error={error} />
      <p class="actions"><button type="submit" class="primary">Sign in</button></p>
    </form>
  );
}

const kPages = [
  ['overview', 'Overview'], ['endpoints', 'Webhook endpoints'], ['events', 'Events'], ['accounts', 'Connected accounts'],
] as const;

function App() {
  const session = useSession();
  const route = useRoute();
  const [wanted, setWanted] = useState<Mode>();
  if (!session) return <main id="main"><SignIn /></main>;
  const [page = 'overview', id] = route.parts;
  const live = session.mode === 'live';
  const toggle = (mode: Mode) => {
    if (session.keys[mode]) { setWanted(undefined); switchMode(mode); } else setWanted(mode);
  };
  let content;
  if (wanted && !session.keys[wanted]) content = <SignIn wanted={wanted} />;
  else if (page === 'endpoints' && id) content = <EndpointPage id={id} key={`${session.mode}${id}`} />;
  else if (page === 'endpoints') content = <EndpointsPage key={session.mode} />;
  else if (page === 'events' && id) content = <EventPage id={id} account={route.query.get('account') ?? ''} key={`${session.mode}${id}`} />;
  else if (page === 'events') content = <EventsPage route={route} key={session.mode} />;
  else if (page === 'accounts' && id) content = <AccountPage id={id} key={`${session.mode}${id}`} />;
  else if (page === 'accounts') content = <AccountsPage key={session.mode} />;
  else content = <OverviewPage key={session.mode} />;
  return (
    <div class={live ? 'shell live' : 'shell'}>
      <a class="skip" href="#main" onClick={(e) => { e.preventDefault(); document.getElementById('main')?.focus(); }}>Skip to content</a>
      <header class="top">
        <span class="brand">hookline</span>
        <nav aria-label="Pages">
          {kPages.map(([name, label]) => (
            <a key={name} href={href(name)} aria-current={page === name ? 'page' : undefined}>{label}</a>
          ))}
        </nav>
        <div class="mode" role="group" aria-label="Data mode">
          <button type="button" aria-pressed={!live} onClick={() => toggle('test')}>Test data</button>
          <button type="button" aria-pressed={live} onClick={() => toggle('live')}>Live data</button>
        </div>
        <button type="button" class="signout" onClick={signOut}>Sign out</button>
      </header>
      {live && <p class="live-banner" role="note">You are viewing <strong>live data</strong>. Changes affect production deliveries.</p>}
      {!live && <p class="test-banner" role="note">Test data</p>}
      <main id="main" tabIndex={-1}>{content}</main>
    </div>
  );
}

render(<App />, document.getElementById('app')!);
