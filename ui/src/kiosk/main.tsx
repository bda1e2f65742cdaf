// 24-hour kiosk (自助终端): a rotating signed login code to scan (扫码登录) and, beside it, the
// holder's identity code from the scanner (亮码登录). Switches on the push, logs out by itself.
import { render } from 'preact';
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { ErrorBox, Header, Qr, ScanField, TerminalGate } from '../shared/components';
import { loginCode } from '../shared/codes';
import { Hub, type Identity } from '../shared/hub';
import { t, useLang, currentLang } from '../shared/i18n';
import type {
  AuthRequestView,
  Catalogue,
  HubInfo,
  LoginSessionCreated,
  LoginSessionView,
  PushEvent,
  Release,
} from '../shared/types';
import '../shared/style.css';

const SLOT = 'kiosk';
const ROTATE_SECS = 30;
const params = new URLSearchParams(location.search);
const IDLE_SECS = Number(params.get('idle') ?? 90);

function App() {
  return (
    <TerminalGate slot={SLOT} title={() => t('kiosk_title')} big>
      {(id) => <Kiosk id={id} />}
    </TerminalGate>
  );
}

function Kiosk({ id }: { id: Identity }) {
  useLang();
  const hub = useMemo(() => new Hub(id), [id]);
  const [info, setInfo] = useState<HubInfo | null>(null);
  const [catalogue, setCatalogue] = useState<Catalogue | null>(null);
  const [session, setSession] = useState<LoginSessionCreated | null>(null);
  const [code, setCode] = useState('');
  const [left, setLeft] = useState(ROTATE_SECS);
  const [holder, setHolder] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [request, setRequest] = useState<AuthRequestView | null>(null);
  const [release, setRelease] = useState<Release | null>(null);
  const [idle, setIdle] = useState(IDLE_SECS);
  const sessionRef = useRef<string | null>(null);
  // Resolves to the session a scanned identity code belongs to (the next one after a logout).
  const sessionReady = useRef<Promise<string | null>>(Promise.resolve(null));

  useEffect(() => {
    hub.call<HubInfo>('GET', '/v1/hub', undefined, false).then(setInfo, setError);
    hub.call<Catalogue>('GET', '/v1/catalogue', undefined, false).then(setCatalogue, setError);
  }, [hub]);

  const newSession = () => {
    sessionReady.current = (async () => {
      try {
        const s = await hub.call<LoginSessionCreated>('POST', '/v1/terminal/login-sessions');
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

  // Rotate the signed login code every 30 s; open a new session before this one runs out.
  useEffect(() => {
    if (!session || !info || holder) return;
    let cancelled = false;
    const make = async () => {
      if (Date.now() / 1000 > session.expires_at - ROTATE_SECS) return newSession();
      const text = await loginCode(id.keys.privateKey, {
        region: Number(info.region),
        terminalId: id.terminal!.terminal_id,
        sessionId: session.session_id,
        issuedAt: Math.floor(Date.now() / 1000),
      });
      if (!cancelled) {
        setCode(text);
        setLeft(ROTATE_SECS);
      }
    };
    make();
    const tick = setInterval(() => setLeft((l) => (l <= 1 ? (make(), ROTATE_SECS) : l - 1)), 1000);
    return () => {
      cancelled = true;
      clearInterval(tick);
    };
  }, [session?.session_id, info, holder]);

  // Pushes: the holder logged in; a decision on our request.
  useEffect(() => {
    const ctl = new AbortController();
    hub.events(
      '/v1/terminal/events',
      (ev: PushEvent) => {
        if (ev.kind === 'logged_in' && ev.session_id === sessionRef.current) {
          setHolder(ev.holder_name);
          setIdle(IDLE_SECS);
        }
        if (ev.kind === 'auth_decided')
          setRequest((r) =>
            r && r.request_id === ev.request_id ? { ...r, state: ev.state, approved: ev.approved } : r,
          );
      },
      ctl.signal,
      async () => {
        document.body.setAttribute('data-push', 'live');
        // after a reconnect, catch up on what a push may have carried
        if (sessionRef.current) {
          const v = await hub
            .call<LoginSessionView>('GET', `/v1/terminal/login-sessions/${sessionRef.current}`)
            .catch(() => null);
          if (v?.state === 'logged_in' && v.holder_name) {
            setIdle(IDLE_SECS);
            setHolder(v.holder_name);
          }
        }
      },
    );
    return () => ctl.abort();
  }, [hub]);

  useEffect(() => {
    if (!request || release || !['approved', 'partly_approved'].includes(request.state)) return;
    hub.call<Release>('POST', `/v1/terminal/auth-requests/${request.request_id}/release`).then(setRelease, setError);
  }, [request?.state]);

  const logout = async () => {
    const s = sessionRef.current;
    // The ended session's code must not be shown or used again.
    sessionRef.current = null;
    setSession(null);
    setCode('');
    setHolder(null);
    setRequest(null);
    setRelease(null);
    setError(null);
    // Open the next session now, not after the next render: an identity code scanned in
    // between waits for it instead of going to the session just ended.
    newSession();
    if (s) await hub.call('POST', `/v1/terminal/login-sessions/${s}/end`).catch(() => undefined);
  };

  // Log out by itself after a period of no use.
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

  const identityCode = async (text: string) => {
    const session = sessionRef.current ?? (await sessionReady.current);
    if (!session) return;
    try {
      const v = await hub.call<LoginSessionView>('POST', `/v1/terminal/login-sessions/${session}/identity-code`, {
        code: text,
      });
      // The idle count starts again with each login: after an idle logout it is still at 0,
      // and the answer may arrive before the push that would reset it.
      if (v.holder_name) {
        setIdle(IDLE_SECS);
        setHolder(v.holder_name);
      }
    } catch (e) {
      setError(e);
    }
  };

  const choose = async (matter: string) => {
    setError(null);
    setRelease(null);
    try {
      setRequest(
        await hub.call<AuthRequestView>('POST', `/v1/terminal/login-sessions/${sessionRef.current}/auth-requests`, {
          matter,
          archive: false,
        }),
      );
    } catch (e) {
      setError(e);
    }
  };

  if (holder) {
    const matters = catalogue?.matters.filter((m) => m.self_service) ?? [];
    return (
      <>
        <Header title={t('kiosk_title')} terminal={id.terminal} big />
        <main class="kiosk logged-in" id="logged-in">
          <h2 id="welcome">{t('welcome', { name: holder })}</h2>
          {!request && (
            <>
              <p>{t('self_service')}</p>
              <div class="tiles">
                {matters.map((m) => (
                  <button type="button" class="tile" data-matter={m.code} onClick={() => choose(m.code)}>
                    {currentLang() === 'zh' ? m.name : m.name_en}
                  </button>
                ))}
              </div>
            </>
          )}
          {request && !release && (
            <p class={`state ${request.state}`} role="status" data-state={request.state}>
              {request.state === 'pending' ? t('fetching') : t(request.state as 'refused')}
            </p>
          )}
          {release && (
            <div class="result" id="result">
              <p role="status">
                {t('got', { list: release.certificates.map((c) => c.certificate.body.name).join('、') })}
              </p>
              <button type="button" onClick={() => window.print()}>
                {t('print_result')}
              </button>
              <button
                type="button"
                class="secondary"
                onClick={() => {
                  setRequest(null);
                  setRelease(null);
                }}
              >
                {t('back')}
              </button>
            </div>
          )}
          {error != null && <ErrorBox error={error} onDismiss={() => setError(null)} />}
          <div class="kiosk-foot">
            <span id="idle" aria-live="off">
              {t('auto_logout', { s: Math.max(idle, 0) })}
            </span>
            <button type="button" id="logout" class="secondary" onClick={logout}>
              {t('logout')}
            </button>
          </div>
        </main>
      </>
    );
  }

  return (
    <>
      <Header title={t('kiosk_title')} terminal={id.terminal} big />
      <main class="kiosk idle">
        <section class="panel" aria-labelledby="scan-h">
          <h2 id="scan-h">{t('kiosk_scan_title')}</h2>
          <p>{t('kiosk_scan_hint')}</p>
          {code && <Qr text={code} label={t('kiosk_scan_title')} size={360} />}
          <p class="countdown" aria-live="off">
            {t('refresh_in', { s: left })}
          </p>
        </section>
        <section class="panel" aria-labelledby="show-h">
          <h2 id="show-h">{t('kiosk_show_title')}</h2>
          <p>{t('kiosk_show_hint')}</p>
          <ScanField
            id="identity-code"
            label={t('kiosk_code_label')}
            hint={t('scanner_ready')}
            onScan={identityCode}
            big
          />
          {error != null && <ErrorBox error={error} onDismiss={() => setError(null)} />}
        </section>
      </main>
    </>
  );
}

render(<App />, document.getElementById('app')!);
