// The kiosk's login and its session as hooks: a login session opened ahead, its signed code
// rotated every 30 s, the holder logged in by a push (they scanned it) or by their identity
// code at the scanner, the self-service request and its release, and logout (by hand or idle).
import { useEffect, useRef, useState } from 'preact/hooks';
import type { HubApi } from '../shared/api';
import { loginCode } from '../shared/codes';
import type { Hub, Identity } from '../shared/hub';
import type { AuthRequestView, Catalogue, HubInfo, LoginSessionCreated, PushEvent, Release } from '../shared/types';
import { useProof } from './use-proof';

export const ROTATE_SECS = 30;
const params = new URLSearchParams(location.search);
export const IDLE_SECS = Number(params.get('idle') ?? 90);

/** The login code of `session`, made anew every ROTATE_SECS (and a new session near its end). */
function useRotatingCode(
  id: Identity,
  info: HubInfo | null,
  session: LoginSessionCreated | null,
  paused: boolean,
  renew: () => void,
) {
  // The code with the session it is for: an ended session's code is never shown again.
  const [code, setCode] = useState({ session: '', text: '' });
  const [left, setLeft] = useState(ROTATE_SECS);
  useEffect(() => {
    if (!session || !info || paused) return;
    let cancelled = false;
    const make = async () => {
      if (Date.now() / 1000 > session.expires_at - ROTATE_SECS) return renew();
      const text = await loginCode(id.keys.privateKey, {
        region: Number(info.region),
        terminalId: id.terminal!.terminal_id,
        sessionId: session.session_id,
        issuedAt: Math.floor(Date.now() / 1000),
      });
      if (!cancelled) {
        setCode({ session: session.session_id, text });
        setLeft(ROTATE_SECS);
      }
    };
    make();
    const tick = setInterval(() => setLeft((l) => (l <= 1 ? (make(), ROTATE_SECS) : l - 1)), 1000);
    return () => {
      cancelled = true;
      clearInterval(tick);
    };
  }, [session?.session_id, info, paused]);
  return { code: session && code.session === session.session_id ? code.text : '', left };
}

/** Seconds left before an idle logout, counted while someone is logged in; any use resets it. */
function useIdle(holder: string | null, logout: () => void) {
  const [idle, setIdle] = useState(IDLE_SECS);
  useEffect(() => {
    if (!holder) return;
    const reset = () => setIdle(IDLE_SECS);
    const tick = setInterval(() => setIdle((s) => s - 1), 1000);
    window.addEventListener('pointerdown', reset);
    window.addEventListener('keydown', reset);
    return () => {
      clearInterval(tick);
      window.removeEventListener('pointerdown', reset);
      window.removeEventListener('keydown', reset);
    };
  }, [holder]);
  useEffect(() => {
    if (holder && idle <= 0) logout();
  }, [idle, holder]);
  return { idle, restart: () => setIdle(IDLE_SECS) };
}

export function useKiosk(hub: Hub, api: HubApi, id: Identity, info: HubInfo | null, catalogue: Catalogue | null) {
  const [session, setSession] = useState<LoginSessionCreated | null>(null);
  const [holder, setHolder] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [request, setRequest] = useState<AuthRequestView | null>(null);
  const [release, setRelease] = useState<Release | null>(null);
  const proof = useProof(api, catalogue, request, release, setError);
  const sessionRef = useRef<string | null>(null);
  // Resolves to the session a scanned identity code belongs to (the next one after a logout).
  const sessionReady = useRef<Promise<string | null>>(Promise.resolve(null));

  const newSession = () => {
    sessionReady.current = (async () => {
      try {
        const s = await api.openLoginSession();
        sessionRef.current = s.session_id;
        setSession(s);
        setError(null);
        return s.session_id;
      } catch (e) {
        setError(e);
        return null;
      }
    })();
    return sessionReady.current;
  };
  // The first session; after that, logout opens the next one itself (see there).
  useEffect(() => {
    newSession();
  }, []);
  const { code, left } = useRotatingCode(id, info, session, !!holder, newSession);

  const logout = async () => {
    const s = sessionRef.current;
    // The ended session's code must not be shown or used again.
    sessionRef.current = null;
    setSession(null);
    setHolder(null);
    setRequest(null);
    setRelease(null);
    proof.clear();
    setError(null);
    // Open the next session now, not after the next render: an identity code scanned in
    // between waits for it instead of going to the session just ended.
    newSession();
    if (s) await api.endLoginSession(s).catch(() => undefined);
  };
  const idle = useIdle(holder, logout);
  const loggedIn = (name: string) => {
    // The idle count starts again with each login: after an idle logout it is still at 0,
    // and an answer may arrive before the push that would reset it.
    idle.restart();
    setHolder(name);
  };

  // Pushes: the holder logged in; a decision on our request.
  useEffect(() => {
    const ctl = new AbortController();
    const onEvent = (ev: PushEvent) => {
      if (ev.kind === 'logged_in' && ev.session_id === sessionRef.current) loggedIn(ev.holder_name);
      if (ev.kind === 'auth_decided')
        setRequest((r) => (r && r.request_id === ev.request_id ? { ...r, state: ev.state, approved: ev.approved } : r));
      if (ev.kind === 'proof_answered') proof.answered(ev.order_id);
    };
    const onOpen = async () => {
      document.body.setAttribute('data-push', 'live');
      // after a reconnect, catch up on what a push may have carried
      if (!sessionRef.current) return;
      const v = await api.loginSession(sessionRef.current).catch(() => null);
      if (v?.state === 'logged_in' && v.holder_name) loggedIn(v.holder_name);
    };
    hub.events(api.eventsPath, onEvent, ctl.signal, onOpen);
    return () => ctl.abort();
  }, [hub]);

  useEffect(() => {
    if (!request || release || !['approved', 'partly_approved'].includes(request.state)) return;
    api.release(request.request_id).then(setRelease, setError);
  }, [request?.state]);

  const identityCode = async (text: string) => {
    const s = sessionRef.current ?? (await sessionReady.current);
    if (!s) return;
    try {
      const v = await api.loginWithIdentityCode(s, { code: text });
      if (v.holder_name) loggedIn(v.holder_name);
    } catch (e) {
      setError(e);
    }
  };
  const choose = async (matter: string) => {
    setError(null);
    setRelease(null);
    proof.clear();
    try {
      setRequest(await api.askInSession(sessionRef.current!, { matter, archive: false }));
    } catch (e) {
      setError(e);
    }
  };
  const back = () => {
    setRequest(null);
    setRelease(null);
    proof.clear();
  };
  return {
    code,
    left,
    holder,
    idle: idle.idle,
    request,
    release,
    proof: proof.view,
    error,
    setError,
    identityCode,
    choose,
    back,
    logout,
  };
}
