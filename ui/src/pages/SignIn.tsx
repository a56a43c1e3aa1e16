import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, session, type Session } from '../api';
import { ErrorNote } from '../components/ui';

/**
 * The key is read from the field when the form is sent, posted once, and the field is cleared:
 * it is never kept in the page's state or storage. The gateway answers with an HttpOnly cookie.
 */
export function SignIn({ notice, onSignedIn }: { notice: string | null; onSignedIn: (s: Session) => void }) {
  const input = useRef<HTMLInputElement>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    document.title = 'Sign in · tollgate console';
    input.current?.focus();
  }, []);

  const submit = (e: Event) => {
    e.preventDefault();
    const el = input.current!;
    const key = el.value.trim();
    el.value = '';
    if (!key) {
      setError(new ApiError('Paste the admin key or a team key first.', 400, null, 'key'));
      el.focus();
      return;
    }
    setBusy(true);
    setError(null);
    session.signIn(key).then(onSignedIn, (err: ApiError) => {
      setBusy(false);
      setError(err);
      input.current?.focus();
    });
  };

  return (
    <main class="signin" id="main">
      <form class="card signin-card" onSubmit={submit} aria-labelledby="page-title">
        <div class="brand brand-dark">
          <span class="mark" aria-hidden="true" />
          tollgate <span class="brand-sub">console</span>
        </div>
        <h1 id="page-title">Sign in</h1>
        <p class="muted">
          With the admin key (<code>TOLLGATE_ADMIN_KEY</code>) you see every team; with a team key, that team's spend, usage and requests.
        </p>
        {notice && (
          <p class="notice" role="status">
            {notice}
          </p>
        )}
        <ErrorNote error={error} what="Sign-in failed" />
        <div class="field">
          <label for="key">Admin key or team key</label>
          <input ref={input} id="key" name="key" type="password" autocomplete="off" spellcheck={false} required aria-describedby="key-hint" />
          <div class="hint" id="key-hint">
            The key is sent once to this gateway and exchanged for a session cookie; the page does not keep it.
          </div>
        </div>
        <button class="btn btn-primary" type="submit" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}
