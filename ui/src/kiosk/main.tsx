// 24-hour kiosk (自助终端): a rotating signed login code to scan (扫码登录) and, beside it, the
// holder's identity code from the scanner (亮码登录). Switches on the push, logs out by itself.
// The login and the session's work are in use-login.ts; this file lays out the two screens.
import { render } from 'preact';
import { useEffect, useMemo, useState } from 'preact/hooks';
import { hubApi } from '../shared/api';
import { ErrorBox, Header, Qr, ScanField, TerminalGate } from '../shared/components';
import { Hub, type Identity } from '../shared/hub';
import { t, useLang, currentLang } from '../shared/i18n';
import type { Catalogue, HubInfo, RequestState } from '../shared/types';
import { useKiosk } from './use-login';
import type { KioskProof } from './use-proof';
import { ProofDocument } from '../shared/proof';
import '../shared/style.css';

const SLOT = 'kiosk';

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
  const api = useMemo(() => hubApi(hub), [hub]);
  const [info, setInfo] = useState<HubInfo | null>(null);
  const [catalogue, setCatalogue] = useState<Catalogue | null>(null);
  const [loadError, setLoadError] = useState<unknown>(null);
  useEffect(() => {
    api.hubInfo().then(setInfo, setLoadError);
    api.catalogue().then(setCatalogue, setLoadError);
  }, [api]);
  const k = useKiosk(hub, api, id, info, catalogue);
  const error = k.error ?? loadError;
  const dismiss = () => {
    k.setError(null);
    setLoadError(null);
  };
  return (
    <>
      <Header title={t('kiosk_title')} terminal={id.terminal} big />
      {k.holder ? (
        <LoggedIn k={k} holder={k.holder} catalogue={catalogue} error={error} dismiss={dismiss} />
      ) : (
        <LoginScreen k={k} error={error} dismiss={dismiss} />
      )}
    </>
  );
}

type Kiosk = ReturnType<typeof useKiosk>;
type ErrorProps = { error: unknown; dismiss: () => void };

/** Logged in: the self-service matters, the request's state, the result, logout. */
function LoggedIn({
  k,
  holder,
  catalogue,
  error,
  dismiss,
}: { k: Kiosk; holder: string; catalogue: Catalogue | null } & ErrorProps) {
  const matters = catalogue?.matters.filter((m) => m.self_service) ?? [];
  const { request, release } = k;
  return (
    <main class="kiosk logged-in" id="logged-in">
      <h2 id="welcome">{t('welcome', { name: holder })}</h2>
      {!request && (
        <>
          <p>{t('self_service')}</p>
          <div class="tiles">
            {matters.map((m) => (
              <button type="button" class="tile" data-matter={m.code} onClick={() => k.choose(m.code)}>
                {currentLang() === 'zh' ? m.name : m.name_en}
              </button>
            ))}
          </div>
        </>
      )}
      {request && !release && (
        <p class={`state ${request.state}`} role="status" data-state={request.state}>
          {request.state === 'pending'
            ? t('fetching')
            : t(`request_${request.state as Exclude<RequestState, 'pending'>}`)}
        </p>
      )}
      {release && (
        <div class="result" id="result">
          <p role="status">{t('got', { list: release.certificates.map((c) => c.certificate.body.name).join('、') })}</p>
          {k.proof ? (
            <ProofResult proof={k.proof} catalogue={catalogue} />
          ) : (
            <button type="button" onClick={() => window.print()}>
              {t('print_result')}
            </button>
          )}
          <button type="button" class="secondary no-print" onClick={k.back}>
            {t('back')}
          </button>
        </div>
      )}
      {error != null && <ErrorBox error={error} onDismiss={dismiss} />}
      <div class="kiosk-foot">
        <span id="idle" aria-live="off">
          {t('auto_logout', { s: Math.max(k.idle, 0) })}
        </span>
        <button type="button" id="logout" class="secondary" onClick={k.logout}>
          {t('logout')}
        </button>
      </div>
    </main>
  );
}

/** The proof the matter gives: waiting for the department, its refusal, or the sealed proof to print. */
function ProofResult({ proof, catalogue }: { proof: KioskProof; catalogue: Catalogue | null }) {
  const o = proof.order;
  const fields = catalogue?.cert_types.find((c) => c.code === o.cert_type)?.fields;
  if (o.state === 'issued' && o.certificate && o.issuer)
    return (
      <>
        <ProofDocument certificate={o.certificate} issuer={o.issuer} fields={fields} token={proof.token || undefined} />
        <button type="button" id="print-proof" class="no-print" onClick={() => window.print()}>
          {t('print_proof')}
        </button>
      </>
    );
  const text =
    o.state === 'pending'
      ? t('proof_pending', { dept: o.department_name, name: o.cert_name })
      : o.state === 'refused'
        ? t('proof_refused', { dept: o.department_name, reason: o.reason ?? '' })
        : t('proof_expired');
  return (
    <p class={`state ${o.state}`} role="status" id="proof-state" data-proof={o.state}>
      {text}
    </p>
  );
}

/** Nobody logged in: the rotating code to scan, and the scanner for an identity code. */
function LoginScreen({ k, error, dismiss }: { k: Kiosk } & ErrorProps) {
  return (
    <main class="kiosk idle">
      <section class="panel" aria-labelledby="scan-h">
        <h2 id="scan-h">{t('kiosk_scan_title')}</h2>
        <p>{t('kiosk_scan_hint')}</p>
        {k.code && <Qr text={k.code} label={t('kiosk_scan_title')} size={360} />}
        <p class="countdown" aria-live="off">
          {t('refresh_in', { s: k.left })}
        </p>
      </section>
      <section class="panel" aria-labelledby="show-h">
        <h2 id="show-h">{t('kiosk_show_title')}</h2>
        <p>{t('kiosk_show_hint')}</p>
        <ScanField
          id="identity-code"
          label={t('kiosk_code_label')}
          hint={t('scanner_ready')}
          onScan={k.identityCode}
          big
        />
        {error != null && <ErrorBox error={error} onDismiss={dismiss} />}
      </section>
    </main>
  );
}

render(<App />, document.getElementById('app')!);
