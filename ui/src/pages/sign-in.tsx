// Sign in with email and password (a session token), or with an API key (admins, automation).
// Either way the token goes into sessionStorage and on every call as a Bearer header.
import { type FormEvent, useState } from 'react';
import { ApiError, api, tokenStore } from '../api.ts';
import { TabStrip } from '../components/tab-strip.tsx';
import { fieldError, FormError, TextField } from '../components/ui.tsx';
import { loadMe } from '../session.tsx';
import type { Me } from '../types.ts';

const MODES = [
  { key: 'password', label: 'Email + password' },
  { key: 'key', label: 'Use an API key' },
] as const;

export function SignInPage({ onSignedIn }: { onSignedIn: (me: Me) => void }) {
  const [mode, setMode] = useState<(typeof MODES)[number]['key']>('password');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [key, setKey] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      if (mode === 'password') {
        const r = await api.post<{ token: string }>('/api/v1/auth/login', { email, password });
        tokenStore.set(r.token);
      } else {
        if (!key.trim()) throw new ApiError(400, 'invalid_input', 'paste an API key (it starts with hk_)', 'key');
        tokenStore.set(key.trim());
      }
      onSignedIn(await loadMe());
    } catch (err) {
      tokenStore.clear();
      if (err instanceof ApiError && err.status === 404 && mode === 'password') {
        setError(new Error('This Herald has no password sign-in yet: use an API key.'));
      } else if (err instanceof ApiError && err.status === 401 && mode === 'key') {
        setError(new ApiError(401, 'unauthorized', 'this API key is unknown or revoked', 'key'));
      } else {
        setError(err);
      }
    } finally {
      setBusy(false);
    }
  }

  return (
    <main className="signin">
      <form className="card signin-card" onSubmit={submit} aria-labelledby="signin-title" noValidate>
        <div className="brand brand-large">Herald</div>
        <h1 id="signin-title">Sign in</h1>
        <TabStrip label="How to sign in" tabs={MODES} selected={mode} onSelect={setMode} />
        <FormError error={error} fields={['email', 'password', 'key']} />
        {mode === 'password' ? (
          <>
            <TextField label="Email" type="email" name="email" autoComplete="username" value={email} onChange={setEmail} error={fieldError(error, 'email')} required />
            <TextField
              label="Password"
              type="password"
              name="password"
              autoComplete="current-password"
              value={password}
              onChange={setPassword}
              error={fieldError(error, 'password')}
              required
            />
          </>
        ) : (
          <TextField
            label="API key"
            type="password"
            name="api-key"
            autoComplete="off"
            value={key}
            onChange={setKey}
            error={fieldError(error, 'key')}
            hint="For admins and automation: the key Herald printed at its first start, or one made in Settings → API keys."
          />
        )}
        <button type="submit" className="btn btn-primary btn-block" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}
