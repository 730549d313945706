import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import type { Outcome } from './api.ts';

// Small shared pieces: loading and error states, badges, JSON blocks, time formats.

/** Loads data once per `key`; `reload` fetches again. */
export function useLoad<T>(load: () => Promise<T>, key: unknown[]): { data?: T; error?: string; loading: boolean; reload: () => void } {
  const [state, setState] = useState<{ data?: T; error?: string; loading: boolean }>({ loading: true });
  const [tick, setTick] = useState(0);
  useEffect(() => {
    let live = true;
    setState((s) => ({ ...s, loading: true }));
    load().then(
      (data) => live && setState({ data, loading: false }),
      (e: unknown) => live && setState({ error: e instanceof Error ? e.message : String(e), loading: false }),
    );
    return () => {
      live = false;
    };
  }, [...key, tick]);
  return { ...state, reload: () => setTick((t) => t + 1) };
}

export function Loading() {
  return <div class="muted pad">Loading…</div>;
}

export function ErrorBox({ message }: { message: string }) {
  return (
    <div class="alert error" role="alert">
      {message}
    </div>
  );
}

export function Card({ title, actions, children, class: cls }: { title?: ComponentChildren; actions?: ComponentChildren; children: ComponentChildren; class?: string }) {
  return (
    <section class={`card ${cls ?? ''}`}>
      {(title || actions) && (
        <header class="card-head">
          <h2>{title}</h2>
          {actions}
        </header>
      )}
      <div class="card-body">{children}</div>
    </section>
  );
}

const OUTCOME_LABEL: Record<Outcome, string> = {
  booked: 'Booked',
  lead: 'Lead',
  open: 'Open',
  error: 'Error',
  limit: 'Limit reached',
  'ended-by-agent': 'Ended by agent',
  'caller-left': 'Caller left',
};

export function OutcomeBadge({ outcome }: { outcome: Outcome }) {
  return <span class={`badge outcome-${outcome}`}>{OUTCOME_LABEL[outcome]}</span>;
}

export const outcomeLabel = (o: Outcome) => OUTCOME_LABEL[o];

/** A value as indented JSON, or a dash for nothing. */
export function Json({ value, empty = '—' }: { value: unknown; empty?: string }) {
  if (value === null || value === undefined) return <div class="muted">{empty}</div>;
  return <pre class="json">{typeof value === 'string' ? value : JSON.stringify(value, null, 2)}</pre>;
}

/** 83 500 → "1:23" (minutes:seconds). */
export function clock(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

/** A duration for people: "850 ms", "12 s", "3 min 5 s". */
export function duration(ms: number | null): string {
  if (ms === null) return '—';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = Math.round(ms / 1000);
  return s < 60 ? `${s} s` : `${Math.floor(s / 60)} min ${s % 60} s`;
}

export function dateTime(iso: string): string {
  return new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

export const shortId = (id: string) => id.slice(0, 8);
