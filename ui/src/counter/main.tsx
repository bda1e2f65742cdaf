// Counter console (窗口受理): choose the matter, scan the holder's code, push the authorization
// request, watch its state live, receive exactly the approved certificates, fill the form.
import { render } from 'preact';
import { useEffect, useMemo, useState } from 'preact/hooks';
import { Badge, CameraScan, ErrorBox, Header, Qr, ScanField, TerminalGate } from '../shared/components';
import { FaceCapture, type Filmed } from '../shared/face';
import { idProblem } from '../shared/idcheck';
import { Hub, verifySeal, type Identity } from '../shared/hub';
import { t, useLang, currentLang } from '../shared/i18n';
import type {
  AuthRequestView,
  Catalogue,
  DepartmentInfo,
  FaceChallenge,
  FaceOutcome,
  PushEvent,
  Redemption,
  Release,
} from '../shared/types';
import { DeviceDesk } from './device-desk';
import '../shared/style.css';

const SLOT = 'counter';

function App() {
  return (
    <TerminalGate slot={SLOT} title={() => t('counter_title')}>
      {(id) => <Console id={id} />}
    </TerminalGate>
  );
}

function Console({ id }: { id: Identity }) {
  useLang();
  const hub = useMemo(() => new Hub(id), [id]);
  const [catalogue, setCatalogue] = useState<Catalogue | null>(null);
  const [departments, setDepartments] = useState<DepartmentInfo[]>([]);
  const [matter, setMatter] = useState('general_counter_service');
  const [redemption, setRedemption] = useState<Redemption | null>(null);
  const [chosen, setChosen] = useState<string[]>([]);
  const [archive, setArchive] = useState(true);
  const [request, setRequest] = useState<AuthRequestView | null>(null);
  const [release, setRelease] = useState<Release | null>(null);
  const [seals, setSeals] = useState<Record<string, boolean>>({});
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  // A holder without a phone: ID number + name, then a live face check at this counter.
  const [noPhone, setNoPhone] = useState(false);
  const [faceId, setFaceId] = useState('');
  const [faceName, setFaceName] = useState('');
  const [challenge, setChallenge] = useState<FaceChallenge | null>(null);
  const [consent, setConsent] = useState<string[]>([]);

  useEffect(() => {
    hub.call<Catalogue>('GET', '/v1/catalogue', undefined, false).then(setCatalogue, setError);
    hub.call<DepartmentInfo[]>('GET', '/v1/public/departments', undefined, false).then(setDepartments, setError);
  }, [hub]);

  // Live decisions pushed by the hub.
  useEffect(() => {
    const ctl = new AbortController();
    hub.events(
      '/v1/terminal/events',
      (ev: PushEvent) => {
        if (ev.kind === 'auth_decided')
          setRequest((r) =>
            r && r.request_id === ev.request_id ? { ...r, state: ev.state, approved: ev.approved } : r,
          );
      },
      ctl.signal,
      () => document.body.setAttribute('data-push', 'live'),
    );
    return () => ctl.abort();
  }, [hub]);

  // When approved, fetch exactly what was approved (once).
  useEffect(() => {
    if (!request || release || !['approved', 'partly_approved'].includes(request.state)) return;
    hub.call<Release>('POST', `/v1/terminal/auth-requests/${request.request_id}/release`).then(async (r) => {
      setRelease(r);
      const s: Record<string, boolean> = {};
      // Another region's certificates come with their issuers' keys as the holding hub publishes them.
      for (const c of r.certificates)
        s[c.certificate.body.license_id] = await verifySeal(c.certificate, [...departments, ...r.issuers]);
      setSeals(s);
    }, setError);
  }, [request?.state]);

  const m = catalogue?.matters.find((x) => x.code === matter);
  const typeName = (code: string) => {
    const ct = catalogue?.cert_types.find((c) => c.code === code);
    return ct ? (currentLang() === 'zh' ? ct.name : ct.name_en) : code;
  };

  const reset = () => {
    setNoPhone(false);
    setChallenge(null);
    setRedemption(null);
    setRequest(null);
    setRelease(null);
    setSeals({});
    setError(null);
  };

  /** One call to the hub: busy while it runs, its error shown. */
  const act = async (f: () => Promise<void>) => {
    setError(null);
    setBusy(true);
    try {
      await f();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  /** The counter may now act for this holder: offer the matter's certificates they hold. */
  const took = (r: Redemption) => {
    setRedemption(r);
    const wanted = (m?.materials ?? []).map((x) => x.replaced_by).filter((x): x is string => !!x);
    setChosen(wanted.filter((w) => r.available.some((a) => a.type_code === w)));
  };

  const scan = (code: string) => {
    reset();
    return act(async () => took(await hub.call<Redemption>('POST', '/v1/terminal/redeem', { code })));
  };
  const ask = () =>
    act(async () => {
      if (redemption)
        setRequest(
          await hub.call<AuthRequestView>('POST', '/v1/terminal/auth-requests', {
            redemption_id: redemption.redemption_id,
            matter,
            cert_types: chosen,
            archive,
          }),
        );
    });
  const startFace = (e: Event) => {
    e.preventDefault();
    return act(async () =>
      setChallenge(
        await hub.call<FaceChallenge>('POST', '/v1/terminal/face-checks', {
          id_number: faceId.trim().toUpperCase(),
          name: faceName.trim(),
        }),
      ),
    );
  };
  const sendFace = (f: Filmed) =>
    act(async () => {
      if (!challenge) return;
      const o = await hub.call<FaceOutcome>('POST', `/v1/terminal/face-checks/${challenge.id}/frames`, {
        nonce: challenge.nonce,
        frames: f.frames.map((x) => x.split('base64,')[1] ?? x),
        captured_ms: f.capturedMs,
      });
      setChallenge(null);
      setNoPhone(false);
      took(o.redemption!);
    });
  const giveConsent = (approve: string[]) =>
    act(async () => {
      if (request)
        setRequest(
          await hub.call<AuthRequestView>('POST', `/v1/terminal/auth-requests/${request.request_id}/consent`, {
            approve,
          }),
        );
    });
  useEffect(() => setConsent(request?.cert_types ?? []), [request?.request_id]);

  const id_card = release?.certificates.find((c) => c.certificate.body.type_code === 'id_card');
  const receiptUrl = release ? `${location.origin}/v1/public/releases/${release.request_id}` : '';

  return (
    <>
      <Header title={t('counter_title')} terminal={id.terminal} />
      <main class="columns">
        <section class="panel" aria-labelledby="matter-h">
          <h2 id="matter-h">{t('matter')}</h2>
          <label for="matter" class="sr-only">
            {t('matter')}
          </label>
          <select
            id="matter"
            value={matter}
            onChange={(e) => {
              setMatter((e.target as HTMLSelectElement).value);
              reset();
            }}
          >
            {catalogue?.matters.map((x) => (
              <option value={x.code}>{currentLang() === 'zh' ? x.name : x.name_en}</option>
            ))}
          </select>
          <h3>{t('materials')}</h3>
          <ul class="materials">
            {m?.materials.map((x) => (
              <li>
                <span>{x.name}</span>{' '}
                {x.replaced_by ? (
                  <Badge kind="ok">{t('replaceable')}</Badge>
                ) : (
                  <Badge kind="info">{x.required ? t('must_submit') : t('optional')}</Badge>
                )}
              </li>
            ))}
          </ul>
        </section>

        <section class="panel" aria-labelledby="holder-h">
          <h2 id="holder-h">{t('holder')}</h2>
          <ScanField
            id="scan"
            label={t('scan_label')}
            hint={t('scan_hint')}
            button={t('scan_button')}
            onScan={scan}
            disabled={busy}
          />
          <CameraScan onScan={scan} onError={setError} />
          {!redemption && !noPhone && (
            <button
              type="button"
              class="secondary"
              id="no-phone"
              onClick={() => {
                reset();
                setNoPhone(true);
              }}
            >
              {t('no_phone')}
            </button>
          )}
          {noPhone && (
            <div class="face-check" id="face-check">
              <h3>{t('face_check_title')}</h3>
              {!challenge ? (
                <form onSubmit={startFace}>
                  <label for="face-id">{t('id_number')}</label>
                  <input
                    id="face-id"
                    value={faceId}
                    autocomplete="off"
                    onInput={(e) => setFaceId((e.target as HTMLInputElement).value)}
                  />
                  <label for="face-name">{t('name')}</label>
                  <input
                    id="face-name"
                    value={faceName}
                    autocomplete="off"
                    onInput={(e) => setFaceName((e.target as HTMLInputElement).value)}
                  />
                  <div class="actions">
                    <button type="submit" id="face-begin" disabled={busy || !!idProblem(faceId) || !faceName.trim()}>
                      {t('face_start')}
                    </button>
                    <button type="button" class="secondary" onClick={reset}>
                      {t('back')}
                    </button>
                  </div>
                </form>
              ) : (
                <FaceCapture challenge={challenge} busy={busy} onFrames={sendFace} />
              )}
            </div>
          )}
          {error != null && <ErrorBox error={error} onDismiss={() => setError(null)} />}
          {redemption && (
            <div class="redemption" data-kind={redemption.kind}>
              <p class="who">
                {redemption.kind === 'face' && (
                  <>
                    <Badge kind="ok">{t('face_passed')}</Badge>{' '}
                  </>
                )}
                {redemption.kind === 'delegated'
                  ? t('agent_for', {
                      agent: redemption.agent_name_masked ?? '',
                      subject: redemption.subject_name_masked,
                    })
                  : redemption.subject_name_masked}
              </p>
              <h3>{t('available')}</h3>
              <fieldset disabled={!!request}>
                <legend class="sr-only">{t('available')}</legend>
                {(m?.materials ?? [])
                  .filter((x) => x.replaced_by)
                  .map((x) => {
                    const have = redemption.available.find((a) => a.type_code === x.replaced_by);
                    return (
                      <label class="check">
                        <input
                          type="checkbox"
                          name="cert"
                          value={x.replaced_by!}
                          disabled={!have}
                          checked={chosen.includes(x.replaced_by!)}
                          onChange={(e) => {
                            const on = (e.target as HTMLInputElement).checked;
                            setChosen((c) => (on ? [...c, x.replaced_by!] : c.filter((y) => y !== x.replaced_by)));
                          }}
                        />
                        {typeName(x.replaced_by!)} {!have && <Badge kind="warn">{t('not_held')}</Badge>}
                      </label>
                    );
                  })}
                <label class="check">
                  <input
                    type="checkbox"
                    checked={archive}
                    onChange={(e) => setArchive((e.target as HTMLInputElement).checked)}
                  />
                  {t('archive')}
                </label>
              </fieldset>
              {!request && (
                <button type="button" id="ask" onClick={ask} disabled={busy || chosen.length === 0}>
                  {t('request')}
                </button>
              )}
            </div>
          )}
          {request && redemption?.kind === 'face' && request.state === 'pending' && (
            <div class="consent" id="consent" role="group" aria-labelledby="consent-h">
              <h3 id="consent-h">{t('consent_title')}</h3>
              <p>{t('consent_hint', { matter: request.matter_name })}</p>
              {request.cert_types.map((c) => (
                <label class="check">
                  <input
                    type="checkbox"
                    name="consent"
                    value={c}
                    checked={consent.includes(c)}
                    onChange={(e) => {
                      const on = (e.target as HTMLInputElement).checked;
                      setConsent((x) => (on ? [...x, c] : x.filter((y) => y !== c)));
                    }}
                  />
                  {typeName(c)}
                </label>
              ))}
              <div class="actions">
                <button
                  type="button"
                  id="consent-yes"
                  disabled={consent.length === 0}
                  onClick={() => giveConsent(consent)}
                >
                  {t('consent_yes')}
                </button>
                <button type="button" class="secondary" id="consent-no" onClick={() => giveConsent([])}>
                  {t('consent_no')}
                </button>
              </div>
            </div>
          )}
          {request && (
            <p class={`state ${request.state}`} id="request-state" data-state={request.state} role="status">
              {request.state === 'pending'
                ? redemption?.kind === 'face'
                  ? t('waiting_tablet')
                  : t('waiting')
                : t(request.state as 'approved')}
              {request.approved.length > 0 && `：${request.approved.map(typeName).join('、')}`}
            </p>
          )}
        </section>
      </main>

      {release && (
        <section class="panel form" id="form" aria-labelledby="form-h">
          <h2 id="form-h">
            {t('form')} · {m ? (currentLang() === 'zh' ? m.name : m.name_en) : release.matter}
          </h2>
          <div class="form-grid">
            <dl>
              <dt>{t('name')}</dt>
              <dd id="f-name">{release.subject.name}</dd>
              <dt>{release.subject.code_type === '111' ? t('id_number') : '统一社会信用代码'}</dt>
              <dd id="f-id">{release.subject.code}</dd>
              {id_card?.certificate.body.face['住址'] && (
                <>
                  <dt>{t('address')}</dt>
                  <dd id="f-address">{id_card.certificate.body.face['住址']}</dd>
                </>
              )}
              {release.agent && (
                <>
                  <dt>代办人 / Agent</dt>
                  <dd>
                    {release.agent.name} {release.agent.code}
                  </dd>
                </>
              )}
            </dl>
            <Qr text={receiptUrl} label={t('check_qr')} size={160} />
          </div>
          <h3>
            {t('released')}{' '}
            <small id="held-by">
              · {t('held_by')} {release.held_by}
            </small>
          </h3>
          <table>
            <thead>
              <tr>
                <th scope="col">{t('cert_numbers')}</th>
                <th scope="col">证照 / Certificate</th>
                <th scope="col">颁发机构 / Issuer</th>
                <th scope="col">印章 / Seal</th>
              </tr>
            </thead>
            <tbody>
              {release.certificates.map((c) => (
                <tr data-type={c.certificate.body.type_code}>
                  <td>{c.certificate.body.number}</td>
                  <td>{c.certificate.body.name}</td>
                  <td>{c.certificate.body.issuer_name}</td>
                  <td>
                    {seals[c.certificate.body.license_id] === undefined ? (
                      '…'
                    ) : seals[c.certificate.body.license_id] ? (
                      <Badge kind="ok">{t('seal_ok')}</Badge>
                    ) : (
                      <Badge kind="bad">{t('seal_bad')}</Badge>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <div class="actions no-print">
            <button type="button" onClick={() => window.print()}>
              {t('print')}
            </button>
            <button type="button" class="secondary" onClick={reset}>
              {t('new_case')}
            </button>
          </div>
        </section>
      )}
      <DeviceDesk hub={hub} />
    </>
  );
}

render(<App />, document.getElementById('app')!);
