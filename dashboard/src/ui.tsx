// Small shared pieces. Every string from the API is rendered as a text node
// (JSX children), never as HTML.
import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';

export function ErrorNote({ error }: { error?: string }) {
  return error ? <p class="error" role="alert">{error}</p> : null;
}

export function Loading({ what }: { what: string }) {
  return <p class="muted" aria-busy="true">Loading {what}…</p>;
}

export function Status({ ok, label }: { ok: boolean | null; label: string }) {
  const kind = ok === null ? 'pending' : ok ? 'ok' : 'bad';
  return <span class={`badge ${kind}`}>{label}</span>;
}

// An in-page confirmation (no window.confirm): the action runs on "Yes".
export function ConfirmButton({ label, question, onConfirm, danger }: {
  label: string; question: string; onConfirm: () => Promise<void> | void; danger?: boolean;
}) {
  const [asking, setAsking] = useState(false);
  if (!asking) {
    return <button type="button" class={danger ? 'danger' : ''} onClick={() => setAsking(true)}>{label}</button>;
  }
  return (
    <span class="confirm" role="group" aria-label={question}>
      <span>{question}</span>
      <button type="button" class="danger" onClick={async () => { setAsking(false); await onConfirm(); }}>Yes, {label.toLowerCase()}</button>
      <button type="button" onClick={() => setAsking(false)}>Cancel</button>
    </span>
  );
}

export function Section({ title, children, actions }: { title: string; children: ComponentChildren; actions?: ComponentChildren }) {
  return (
    <section class="card">
      <header class="card-head"><h2>{title}</h2>{actions}</header>
      {children}
    </section>
  );
}

export function Field({ label, children, hint }: { label: string; children: ComponentChildren; hint?: string }) {
  return (
    <label class="field"><span>{label}</span>{children}{hint ? <small class="muted">{hint}</small> : null}</label>
  );
}
