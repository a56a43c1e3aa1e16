import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import type { ApiError } from '../api';
import { date, percent, usd } from '../format';
import { BASE, onLinkClick } from '../router';

export function Link({ to, children, class: cls, current }: { to: string; children: ComponentChildren; class?: string; current?: boolean }) {
  return (
    <a href={BASE + to} class={cls} onClick={onLinkClick} aria-current={current ? 'page' : undefined}>
      {children}
    </a>
  );
}

export function PageHeader({ title, children }: { title: string; children?: ComponentChildren }) {
  return (
    <div class="page-header">
      <h1 id="page-title">{title}</h1>
      {children && <div class="page-actions">{children}</div>}
    </div>
  );
}

/** An API error in words: the gateway's own message, and the field it names. */
export function ErrorNote({ error, what }: { error: ApiError | Error | undefined | null; what?: string }) {
  if (!error) return null;
  const param = (error as ApiError).param;
  return (
    <div class="error" role="alert">
      <strong>{what ?? 'That did not work'}:</strong> {error.message}
      {param ? <span class="muted"> (field: {param})</span> : null}
    </div>
  );
}

/** What to do next when there is nothing to show. */
export function Empty({ title, children }: { title: string; children?: ComponentChildren }) {
  return (
    <div class="empty">
      <p class="empty-title">{title}</p>
      {children && <div class="empty-body">{children}</div>}
    </div>
  );
}

/** A table that scrolls sideways on a narrow screen (focusable, so the keyboard can scroll it too). */
export function TableWrap({ label, children }: { label: string; children: ComponentChildren }) {
  return (
    <div class="table-wrap" tabIndex={0} role="region" aria-label={label}>
      <table>{children}</table>
    </div>
  );
}

export function Stat({ label, value, hint, testid }: { label: string; value: string; hint?: string; testid?: string }) {
  return (
    <div class="stat">
      <div class="stat-label">{label}</div>
      <div class="stat-value" data-testid={testid}>
        {value}
      </div>
      {hint && <div class="stat-hint">{hint}</div>}
    </div>
  );
}

export interface BudgetLike {
  period: string;
  amount_nanos: number;
  spent_nanos: number;
  resets_at: string | null;
}

/** Spent of budget, as a bar and in words (exact dollars from the API's integers). */
export function BudgetBar({ budget, label }: { budget: BudgetLike; label: string }) {
  const ratio = budget.amount_nanos > 0 ? Math.min(1, budget.spent_nanos / budget.amount_nanos) : 1;
  const level = ratio >= 1 ? 'over' : ratio >= 0.8 ? 'high' : 'ok';
  return (
    <div class="budget">
      <div
        class={`bar bar-${level}`}
        role="progressbar"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={Math.round(ratio * 100)}
        aria-valuetext={`${usd(budget.spent_nanos)} of ${usd(budget.amount_nanos)}`}
      >
        {/* A sliver for any spend at all; the exact figure is in the text. */}
        <div class="bar-fill" style={{ width: `${(budget.spent_nanos > 0 ? Math.max(ratio, 0.005) * 100 : 0).toFixed(2)}%` }} />
      </div>
      <div class="budget-text">
        <span data-testid="budget-spent">{usd(budget.spent_nanos)}</span> of <span data-testid="budget-amount">{usd(budget.amount_nanos)}</span> (
        {percent(budget.spent_nanos, budget.amount_nanos)}) · {budget.period === 'total' ? 'in total, never resets' : `this ${budget.period}, resets ${date(budget.resets_at)}`}
      </div>
    </div>
  );
}

/** A modal question (the native <dialog>: focus moves in, Escape cancels, focus returns). */
export function Confirm(props: { open: boolean; title: string; children: ComponentChildren; confirmLabel: string; onConfirm: () => void; onCancel: () => void; danger?: boolean }) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (props.open && !d.open) d.showModal();
    if (!props.open && d.open) d.close();
  }, [props.open]);
  return (
    <dialog ref={ref} aria-labelledby="confirm-title" onCancel={(e) => (e.preventDefault(), props.onCancel())}>
      <h2 id="confirm-title">{props.title}</h2>
      <div class="dialog-body">{props.children}</div>
      <div class="dialog-actions">
        <button type="button" class="btn" onClick={props.onCancel} autofocus>
          Cancel
        </button>
        <button type="button" class={props.danger ? 'btn btn-danger' : 'btn btn-primary'} onClick={props.onConfirm}>
          {props.confirmLabel}
        </button>
      </div>
    </dialog>
  );
}

/** Copies text to the clipboard and says whether it worked. */
export function CopyButton({ text, label = 'Copy' }: { text: string; label?: string }) {
  const [state, setState] = useState<'idle' | 'done' | 'failed'>('idle');
  const copy = () =>
    navigator.clipboard.writeText(text).then(
      () => setState('done'),
      () => setState('failed'),
    );
  return (
    <span class="copy">
      <button type="button" class="btn" onClick={copy}>
        {label}
      </button>
      <span role="status" class="muted">
        {state === 'done' ? 'Copied.' : state === 'failed' ? 'Copying was not allowed: select the text and copy it.' : ''}
      </span>
    </span>
  );
}

/** A labelled form control with an optional hint. */
export function Field({ label, hint, children, id }: { label: string; hint?: string; children: ComponentChildren; id: string }) {
  return (
    <div class="field">
      <label for={id}>{label}</label>
      {children}
      {hint && (
        <div class="hint" id={`${id}-hint`}>
          {hint}
        </div>
      )}
    </div>
  );
}

export function Loading() {
  return (
    <p class="muted" role="status">
      Loading…
    </p>
  );
}
