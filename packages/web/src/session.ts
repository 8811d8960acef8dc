import { type LoginResponse, SkinscopeClient } from '@skinscope/sdk';

const KEY = 'skinscope.session';

/** The signed-in user: the SDK client with its token, and the ids the API paths and sockets need. */
export interface Session {
  client: SkinscopeClient;
  companyId: string;
  userId: string;
  username: string;
}

/** The API is the server the dashboard was loaded from. */
const baseUrl = () => window.location.origin;

/**
 * Signs in through the API login; the tokens live in sessionStorage (gone when the tab closes), and the
 * access token is also set as the `authorization` cookie for the WebSocket handshake, on `/notifications` only.
 */
export async function signIn(username: string, password: string): Promise<Session> {
  const client = new SkinscopeClient({ baseUrl: baseUrl() });
  const login = await client.login(username, password);
  sessionStorage.setItem(KEY, JSON.stringify({ login, username }));
  setSocketCookie(login.access_token);
  return fromLogin(client, login, username);
}

/** The session of this tab, if signed in. */
export function restoreSession(): Session | undefined {
  const raw = sessionStorage.getItem(KEY);
  if (!raw) return undefined;
  try {
    const { login, username } = JSON.parse(raw) as { login: LoginResponse; username: string };
    const client = new SkinscopeClient({ baseUrl: baseUrl(), token: login.access_token });
    setSocketCookie(login.access_token);
    return fromLogin(client, login, username);
  } catch {
    sessionStorage.removeItem(KEY);
    return undefined;
  }
}

/**
 * Renews an expired access token with the refresh token (each refresh token works once: the new one is
 * kept); false when the login cannot be renewed and the user must sign in again.
 */
export async function renewSession(session: Session): Promise<boolean> {
  const raw = sessionStorage.getItem(KEY);
  if (!raw) return false;
  try {
    const { login, username } = JSON.parse(raw) as { login: LoginResponse; username: string };
    const next = await session.client.refresh(login.refresh_token);
    sessionStorage.setItem(KEY, JSON.stringify({ login: next, username }));
    setSocketCookie(next.access_token);
    return true;
  } catch {
    return false;
  }
}

export function signOut(): void {
  sessionStorage.removeItem(KEY);
  // biome-ignore lint/suspicious/noDocumentCookie: the Cookie Store API is missing from Firefox and Safari.
  document.cookie = 'authorization=; path=/notifications; max-age=0; samesite=strict';
}

function fromLogin(client: SkinscopeClient, login: LoginResponse, username: string): Session {
  return { client, companyId: login.company_id, userId: login.id, username };
}

function setSocketCookie(token: string): void {
  // biome-ignore lint/suspicious/noDocumentCookie: the Cookie Store API is missing from Firefox and Safari.
  document.cookie = `authorization=${encodeURIComponent(token)}; path=/notifications; samesite=strict`;
}
