import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, session as sessionApi, setSessionLostHandler, type Session } from './api';
import { ErrorNote, Link, Loading } from './components/ui';
import { navigate, useRoute } from './router';
import { scopeOf } from './scope';
import { SignIn } from './pages/SignIn';
import { Overview } from './pages/Overview';
import { Teams } from './pages/Teams';
import { OwnTeam } from './pages/OwnTeam';
import { Keys } from './pages/Keys';
import { Usage } from './pages/Usage';
import { Prompts } from './pages/Prompts';
import { Models } from './pages/Models';
import { Requests } from './pages/Requests';

interface NavItem {
  path: string;
  label: string;
}

const ADMIN_NAV: NavItem[] = [
  { path: '/', label: 'Overview' },
  { path: '/teams', label: 'Teams' },
  { path: '/keys', label: 'Keys' },
  { path: '/usage', label: 'Usage' },
  { path: '/prompts', label: 'Prompts' },
  { path: '/models', label: 'Models' },
  { path: '/requests', label: 'Requests' },
];
const TEAM_NAV: NavItem[] = [
  { path: '/', label: 'Overview' },
  { path: '/team', label: 'Team' },
  { path: '/usage', label: 'Usage' },
  { path: '/prompts', label: 'Prompts' },
  { path: '/models', label: 'Models' },
  { path: '/requests', label: 'Requests' },
];

export function App() {
  const [who, setWho] = useState<Session | null | undefined>(undefined);
  const [notice, setNotice] = useState<string | null>(null);
  const [startError, setStartError] = useState<ApiError | null>(null);

  useEffect(() => {
    setSessionLostHandler((message) => {
      setNotice(message);
      setWho(null);
    });
    sessionApi.current().then(setWho, (e: ApiError) => setStartError(e));
  }, []);

  if (startError) return <main class="signin"><ErrorNote error={startError} what="The console could not start" /></main>;
  if (who === undefined) return <main class="signin"><Loading /></main>;
  if (who === null)
    return (
      <SignIn
        notice={notice}
        onSignedIn={(s) => {
          setNotice(null);
          setWho(s);
        }}
      />
    );
  return (
    <Shell
      who={who}
      onSignedOut={(message) => {
        setNotice(message);
        setWho(null);
        navigate('/', true);
      }}
    />
  );
}

function Shell({ who, onSignedOut }: { who: Session; onSignedOut: (message: string) => void }) {
  const route = useRoute();
  const scope = scopeOf(who);
  const nav = scope.admin ? ADMIN_NAV : TEAM_NAV;
  const main = useRef<HTMLElement>(null);
  const first = useRef(true);
  const [signOutError, setSignOutError] = useState<ApiError | null>(null);
  const section = '/' + (route.path.split('/')[1] ?? '');

  // After a navigation, focus moves to the page (screen readers announce it; Tab starts there).
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    main.current?.focus();
  }, [section]);

  const [leaving, setLeaving] = useState(false);
  // The pages go first (their polling stops), then the session.
  const signOut = () => {
    setLeaving(true);
    setSignOutError(null);
    sessionApi.signOut().then(
      () => onSignedOut('You are signed out.'),
      (e: ApiError) => {
        setLeaving(false);
        setSignOutError(e);
      },
    );
  };

  let page;
  const p = route.path;
  if (leaving)
    page = (
      <p role="status" class="muted">
        Signing out…
      </p>
    );
  else if (p === '/') page = <Overview scope={scope} />;
  else if (p === '/teams' && scope.admin) page = <Teams />;
  else if (p === '/keys' && scope.admin) page = <Keys />;
  else if (p === '/team' && !scope.admin) page = <OwnTeam />;
  else if (p === '/usage') page = <Usage scope={scope} />;
  else if (p === '/prompts' || p.startsWith('/prompts/')) page = <Prompts scope={scope} name={p.startsWith('/prompts/') ? decodeURIComponent(p.slice(9)) : null} />;
  else if (p === '/models') page = <Models />;
  else if (p === '/requests') page = <Requests scope={scope} />;
  else page = <NotHere admin={scope.admin} />;

  return (
    <div class="shell">
      <a class="skip" href="#main">
        Skip to content
      </a>
      <header class="top">
        <div class="brand">
          <span class="mark" aria-hidden="true" />
          tollgate <span class="brand-sub">console</span>
        </div>
        <div class="who">
          <span class="who-text">
            {who.kind === 'admin' ? 'Admin' : `Team ${who.team_name ?? who.team_id} · ${who.key_prefix}…`}
          </span>
          <button type="button" class="btn btn-small" onClick={signOut} disabled={leaving}>
            Sign out
          </button>
        </div>
        <nav aria-label="Console">
          <ul>
            {nav.map((n) => (
              <li key={n.path}>
                <Link to={n.path} current={n.path === section}>
                  {n.label}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
      </header>
      <main id="main" ref={main} tabIndex={-1} aria-labelledby="page-title">
        <ErrorNote error={signOutError} what="Signing out failed" />
        {page}
      </main>
    </div>
  );
}

function NotHere({ admin }: { admin: boolean }) {
  return (
    <>
      <h1 id="page-title">Not here</h1>
      <p>{admin ? 'There is no such page in the console.' : 'This page is not part of a team’s console: a team key sees its own team only.'}</p>
      <p>
        <Link to="/">Go to the overview</Link>
      </p>
    </>
  );
}
