// Keeps the embed tokens of every <backup-health-provider data-demo-tokens> fresh: the
// demo server mints short-lived tokens; this renews them before they expire and when
// a widget reports an expired token (bh-auth-expired).
const RENEW_BEFORE_MS = 2 * 60 * 1000;

async function renew(provider) {
  const kind = provider.dataset.demoTokens;
  const client = provider.dataset.demoClient;
  const response = await fetch(`/demo/tokens/${encodeURIComponent(kind)}${client ? `?client=${encodeURIComponent(client)}` : ''}`, { cache: 'no-store' });
  if (!response.ok) throw new Error(`token renewal failed: ${response.status}`);
  const tokens = await response.json();
  provider.setAttribute('token', tokens.token);
  // An API key (the admin view) does not expire.
  if (tokens.expiresAt) schedule(provider, Date.parse(tokens.expiresAt));
}

const timers = new WeakMap();
function schedule(provider, expiresAt) {
  clearTimeout(timers.get(provider));
  const delay = Math.max(5_000, expiresAt - Date.now() - RENEW_BEFORE_MS);
  timers.set(provider, setTimeout(() => renew(provider).catch(() => schedule(provider, Date.now() + RENEW_BEFORE_MS + 10_000)), delay));
}

for (const provider of document.querySelectorAll('[data-demo-tokens]')) {
  // Freshly minted with the page: renew a little before the 15 minutes are up.
  if (provider.dataset.demoTokens !== 'console-admin') schedule(provider, Date.now() + 15 * 60 * 1000);
  provider.addEventListener('bh-auth-expired', () => renew(provider).catch(() => undefined));
}
