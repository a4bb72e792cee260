// Connected accounts: the list, one account's events, and deauthorize.
import { useState } from 'preact/hooks';
import { call, type Json, type ListPage } from '../api';
import { useLoad } from '../hooks';
import { time } from '../format';
import { href, navigate } from '../router';
import { activeKey, useSession } from '../session';
import { ConfirmButton, ErrorNote, Loading, Section } from '../ui';
import { EventList } from './events';

export function AccountsPage() {
  const key = activeKey();
  const mode = useSession()?.mode;
  const accounts = useLoad(() => call<ListPage<Json>>(key, 'GET', '/v1/accounts', { query: { limit: 100 } }), [key]);
  return (
    <>
      <h1>Connected accounts</h1>
      <ErrorNote error={accounts.error} />
      {!accounts.data ? <Loading what="accounts" /> : accounts.data.data.length === 0 ? <p class="muted">No connected accounts in {mode} mode.</p> : (
        <div class="table-wrap" tabIndex={0} role="region" aria-label="Scrollable table">
          <table>
            <caption class="sr-only">Connected accounts</caption>
            <thead><tr><th scope="col">Account</th><th scope="col">Type</th><th scope="col">Mode</th><th scope="col">Email</th><th scope="col">Created</th></tr></thead>
            <tbody>
              {accounts.data.data.map((account) => (
                <tr key={account.id}>
                  <td><a href={href(`accounts/${account.id}`)}><code>{account.id}</code></a></td>
                  <td>{account.type}</td>
                  <td>{mode}</td>
                  <td>{account.email ?? ''}</td>
                  <td>{time(account.created)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}

export function AccountPage({ id }: { id: string }) {
  const key = activeKey();
  const account = useLoad(() => call(key, 'GET', `/v1/accounts/${id}`), [key, id]);
  const [error, setError] = useState<string>();
  const deauthorize = async () => {
    try {
      await call(key, 'POST', '/oauth/deauthorize', { body: { stripe_user_id: id } });
      navigate('accounts');
    } catch (failure) { setError((failure as Error).message); }
  };
  if (account.error) return <><h1>Account</h1><ErrorNote error={account.error} /></>;
  const a = account.data;
  if (!a) return <Loading what="the account" />;
  return (
    <>
      <p><a href={href('accounts')}>← Connected accounts</a></p>
      <h1><code>{a.id}</code></h1>
      <dl class="facts">
        <dt>Type</dt><dd>{a.type}</dd>
        <dt>Email</dt><dd>{a.email ?? '—'}</dd>
        <dt>Country</dt><dd>{a.country ?? '—'}</dd>
        <dt>Created</dt><dd>{time(a.created)}</dd>
      </dl>
      {a.type === 'standard' && (
        <p class="actions"><ConfirmButton label="Deauthorize" danger
          question="Disconnect this account? account.application.deauthorized is sent, then its calls are refused."
          onConfirm={deauthorize} /></p>
      )}
      <ErrorNote error={error} />
      <Section title="Events on this account"><EventList filters={{ account: id }} /></Section>
    </>
  );
}
