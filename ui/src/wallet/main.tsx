// The 免证 wallet's window. Every action is a Tauri command implemented by mz-wallet.
import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { commands, on } from './commands';
import { Badge, CameraScan, Header } from '../shared/components';
import { idProblem } from '../shared/idcheck';
import { currentLang, setLang, useLang } from '../shared/i18n';
import { FaceCapture } from '../shared/face';
import type {
  Card,
  EnterpriseRef,
  ApplicationView,
  ProxyApplicationCreated,
  AuditEntryView,
  AuthRequestView,
  CardsView,
  CertType,
  GrantsView,
  GrantView,
  ShownCode,
  Status,
  TerminalInfo,
} from '../shared/types';
import { w, type K } from './text';
import { Err, OwnFaceCheck, PinGate, needsPin, useFaceCheck, PinInput } from './parts';
import { Devices, NewDevicePrompt, PendingDevice } from './devices';
import '../shared/style.css';
import './wallet.css';

function App() {
  const lang = useLang();
  const [status, setStatus] = useState<Status | null>(null);
  // The shell writes the prompts' desktop notifications in the window's language.
  useEffect(() => {
    commands.setLanguage({ lang }).catch(() => {});
  }, [lang]);
  const [care, setCare] = useState(localStorage.getItem('mz-care') === '1');
  const reload = () => commands.status().then(setStatus);
  useEffect(() => {
    reload();
  }, []);
  useEffect(() => {
    document.documentElement.classList.toggle('care', care);
    localStorage.setItem('mz-care', care ? '1' : '0');
  }, [care]);
  if (!status) return null;
  if (status.error)
    return (
      <main class="panel">
        <Err e={status.error} />
      </main>
    );
  return (
    <>
      <Header title={w('app')} />
      {!status.enrolled ? (
        <Enrol onDone={reload} />
      ) : status.device_state === 'pending' ? (
        <PendingDevice status={status} onConfirmed={reload} />
      ) : (
        <Home status={status} care={care} setCare={setCare} />
      )}
    </>
  );
}

function Enrol({ onDone }: { onDone: () => void }) {
  useLang();
  const [id, setId] = useState('');
  const [name, setName] = useState('');
  const [pin, setPin] = useState('');
  const [pin2, setPin2] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const problem = id ? idProblem(id) : null;
  const submit = async (e: Event) => {
    e.preventDefault();
    if (pin !== pin2) return setError({ code: 'pin_mismatch', message: '' });
    setBusy(true);
    setError(null);
    try {
      await commands.enrol({ idNumber: id.trim().toUpperCase(), name: name.trim(), pin });
      onDone();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <main class="panel" id="enrol">
      <h2>{w('enrol')}</h2>
      <form onSubmit={submit}>
        <label for="id">{w('id_number')}</label>
        <input
          id="id"
          value={id}
          inputMode="text"
          autocomplete="off"
          aria-invalid={!!problem && id.length >= 18}
          aria-describedby="id-hint"
          onInput={(e) => setId((e.target as HTMLInputElement).value)}
        />
        <p id="id-hint" class={problem && (id.length >= 18 || problem === 'chars') ? 'hint bad' : 'hint'}>
          {problem ? w(`id_${problem}` as K) : id ? '✓' : ''}
        </p>
        <label for="name">{w('name')}</label>
        <input
          id="name"
          value={name}
          autocomplete="off"
          onInput={(e) => setName((e.target as HTMLInputElement).value)}
        />
        <label for="pin">{w('pin')}</label>
        <PinInput id="pin" value={pin} onValue={setPin} />
        <label for="pin2">{w('pin2')}</label>
        <PinInput id="pin2" value={pin2} onValue={setPin2} />
        <p class="hint">{w('enrol_note')}</p>
        <button type="submit" id="enrol-go" disabled={busy || !!problem || !name.trim() || pin.length !== 6}>
          {w('enrol_go')}
        </button>
      </form>
      <Err e={error} />
    </main>
  );
}

type Tab = 'cards' | 'code' | 'scan' | 'grants' | 'proxy' | 'records' | 'settings';

function Home({ status, care, setCare }: { status: Status; care: boolean; setCare: (b: boolean) => void }) {
  // Care mode: large type, high contrast, fewer choices (no records tab).
  // Enterprise mode (a legal representative): the enterprise's certificates and its grants to
  // staff, apart from the person's own.
  const [mode, setMode] = useState('');
  const ent = care ? null : (status.enterprises.find((e) => e.uscc === mode) ?? null);
  const tabs: Tab[] = care
    ? ['cards', 'code', 'scan', 'settings']
    : ent
      ? ['cards', 'grants']
      : ['cards', 'code', 'scan', 'grants', 'proxy', 'records', 'settings'];
  useLang();
  const [tab, setTab] = useState<Tab>('cards');
  const switchTo = (uscc: string) => {
    setMode(uscc);
    setTab('cards');
  };
  const [prompt, setPrompt] = useState<AuthRequestView | null>(null);
  const [newDevice, setNewDevice] = useState<{ key_id: string; label: string } | null>(null);
  useEffect(() => {
    const added = on(
      'device_added',
      (ev) => ev.kind === 'device_added' && setNewDevice({ key_id: ev.key_id, label: ev.label }),
    );
    return () => {
      added.then((f) => f());
    };
  }, []);
  useEffect(() => {
    commands
      .pending()
      .then((p) => p.length && setPrompt(p[0]))
      .catch(() => undefined);
    const un = on('auth_request', setPrompt);
    const live = (on: boolean) => document.body.setAttribute('data-push', on ? 'live' : 'lost');
    const ready = on('push_ready', () => live(true));
    const lost = on('push_lost', () => live(false));
    // subscribed first, then ask: no event can slip between
    Promise.all([ready, lost])
      .then(() => commands.pushLive())
      .then(live);
    return () => {
      un.then((f) => f());
      ready.then((f) => f());
      lost.then((f) => f());
    };
  }, []);
  return (
    <>
      {status.enterprises.length > 0 && !care && (
        <div class="modes" role="group" aria-label={w('mode')} id="modes">
          <button type="button" id="mode-me" aria-pressed={!ent} onClick={() => switchTo('')}>
            {w('mode_me')}
          </button>
          {status.enterprises.map((e) => (
            <button
              type="button"
              class="mode-enterprise"
              data-uscc={e.uscc}
              aria-pressed={ent?.uscc === e.uscc}
              onClick={() => switchTo(e.uscc)}
            >
              {w('mode_enterprise')} · {e.name}
            </button>
          ))}
        </div>
      )}
      {ent ? (
        <p class="who enterprise" id="who" data-mode="enterprise">
          {ent.name} · {ent.uscc} · {w('legal_rep')} {status.name}
        </p>
      ) : (
        <p class="who" id="who" data-mode="person">
          {status.name} · {status.id_number_masked}
        </p>
      )}
      <nav class="tabs" aria-label={w('app')}>
        {tabs.map((t) => (
          <button
            type="button"
            id={`tab-${t}`}
            aria-current={tab === t ? 'page' : undefined}
            class={tab === t ? 'on' : ''}
            onClick={() => setTab(t)}
          >
            {w(t)}
          </button>
        ))}
      </nav>
      {tab === 'cards' && (
        <Cards key={mode} holder={ent ? ent.uscc : status.enterprises.length > 0 && !care ? null : undefined} />
      )}
      {tab === 'code' && <Code />}
      {tab === 'scan' && <Scan />}
      {tab === 'grants' && <Grants key={mode} enterprise={ent} />}
      {tab === 'records' && <Records />}
      {tab === 'proxy' && <Proxy />}
      {tab === 'settings' && (
        <main class="panel" id="settings">
          <OwnFaceCheck assurance={status.assurance} />
          <Devices />
          <label class="check">
            <input
              type="checkbox"
              id="care"
              checked={care}
              onChange={(e) => setCare((e.target as HTMLInputElement).checked)}
            />
            {w('care')}
          </label>
          <button type="button" onClick={() => setLang(currentLang() === 'zh' ? 'en' : 'zh')}>
            {w('language')}
          </button>
        </main>
      )}
      {prompt && <Prompt req={prompt} onDone={() => setPrompt(null)} />}
      {newDevice && <NewDevicePrompt device={newDevice} onDone={() => setNewDevice(null)} />}
    </>
  );
}

/** Whether a card is the person's own (`uscc` null) or the enterprise's with that 统一社会信用代码. */
function heldBy(c: Card, uscc: string | null): boolean {
  const b = c.view.certificate.body;
  return uscc ? b.holder_code === uscc : b.holder_code_type === '111';
}

/** Every card (`holder` undefined: no enterprise mode), the person's own (null), or an
 * enterprise's (its 统一社会信用代码). */
function Cards({ holder }: { holder?: string | null }) {
  useLang();
  const [view, setView] = useState<CardsView | null>(null);
  const [open, setOpen] = useState<string | null>(null);
  useEffect(() => {
    commands.cards().then(setView);
    commands
      .sync()
      .catch(() => undefined)
      .finally(() => commands.cards().then(setView));
  }, []);
  if (!view) return null;
  const mine = holder === undefined ? view.cards : view.cards.filter((c) => heldBy(c, holder));
  return (
    <main
      class="cards"
      id="cards"
      data-fresh={String(view.fresh)}
      data-holder={holder === undefined ? 'all' : (holder ?? 'me')}
    >
      {!view.fresh && (
        <div class="stale" role="status">
          {w('stale')}
          {view.synced_at && ` (${w('synced', { t: new Date(view.synced_at * 1000).toLocaleString() })})`}
        </div>
      )}
      {holder && mine.length === 0 && <p>{w('ent_cards_none')}</p>}
      {mine.map((c) => {
        const b = c.view.certificate.body;
        const st = c.view.status as 'valid' | 'expired' | 'revoked' | 'superseded';
        return (
          <article class={`card ${st}`} data-type={b.type_code}>
            <button
              type="button"
              class="card-head"
              aria-expanded={open === b.license_id}
              onClick={() => setOpen(open === b.license_id ? null : b.license_id)}
            >
              <span class="card-name">{b.name}</span>
              <span>
                <Badge kind={st === 'valid' ? 'ok' : 'bad'}>{w(st)}</Badge>{' '}
                <Badge kind={c.seal_ok ? 'ok' : 'bad'}>{c.seal_ok ? w('seal_ok') : w('seal_bad')}</Badge>
              </span>
            </button>
            <p class="card-meta">
              {b.holder_name} · {w('issuer')} {b.issuer_name} · {w('validity')} {b.valid_from} –{' '}
              {b.valid_to ?? w('long_term')}
            </p>
            {open === b.license_id && (
              <dl class="face">
                {Object.entries(b.face).map(([k, v]) => (
                  <>
                    <dt>{k}</dt>
                    <dd>{v}</dd>
                  </>
                ))}
                <dt>证照编号</dt>
                <dd>{b.number}</dd>
                <dt>电子证照标识</dt>
                <dd class="mono">{b.license_id}</dd>
                <dt>{w('seal_alg')}</dt>
                <dd data-alg={c.view.certificate.seal.alg}>
                  {c.view.certificate.seal.alg === 'SM2-SM3' ? w('sm2') : 'ECDSA P-256'}
                </dd>
              </dl>
            )}
          </article>
        );
      })}
    </main>
  );
}

function Code() {
  useLang();
  const [code, setCode] = useState<ShownCode | null>(null);
  const [left, setLeft] = useState(30);
  const [error, setError] = useState<unknown>(null);
  const [round, setRound] = useState(0);
  useEffect(() => {
    let stop = false;
    const next = () =>
      commands.nextCode({ kind: 'identity' }).then((c) => {
        if (!stop) {
          setCode(c);
          setLeft(30);
          setError(null);
        }
      }, setError);
    next();
    const tick = setInterval(() => setLeft((l) => (l <= 1 ? (next(), 30) : l - 1)), 1000);
    return () => {
      stop = true;
      clearInterval(tick);
    };
  }, [round]);
  return (
    <main class="panel code-screen">
      <h2>{w('identity_code')}</h2>
      {needsPin(error) ? <PinGate onUnlocked={() => setRound((r) => r + 1)} /> : <Err e={error} />}
      {code && (
        <div
          class="big-qr"
          id="qr"
          role="img"
          aria-label={w('identity_code')}
          data-code={code.code}
          dangerouslySetInnerHTML={{ __html: code.svg }}
        />
      )}
      {!needsPin(error) && (
        <>
          <p class="countdown" id="countdown">
            {w('refresh', { s: left })}
          </p>
          <button type="button" id="new-code" class="secondary" onClick={() => setRound((r) => r + 1)}>
            {w('new_code')}
          </button>
        </>
      )}
    </main>
  );
}

function Prompt({ req, onDone }: { req: AuthRequestView; onDone: () => void }) {
  useLang();
  const [chosen, setChosen] = useState<string[]>(req.cert_types);
  const [pin, setPin] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState<string | null>(null);
  // How many decisions the wallet has answered (data-answers: each try is visible).
  const [answers, setAnswers] = useState(0);
  // One decision at a time: a second click while the first is answered would send it twice.
  const [sending, setSending] = useState(false);
  const send = async (approve: string[]) => {
    setError(null);
    setSending(true);
    try {
      const r = await commands.decide({ requestId: req.request_id, approve, pin });
      setDone(r.state === 'refused' ? w('refused') : w('approved_n', { n: r.approved.length }));
      setTimeout(onDone, 1500);
    } catch (e) {
      setError(e);
    } finally {
      setSending(false);
      setAnswers((n) => n + 1);
    }
  };
  return (
    <div class="modal" role="dialog" aria-modal="true" aria-labelledby="prompt-h" id="prompt" data-answers={answers}>
      <div class="panel">
        <h2 id="prompt-h">{w('prompt')}</h2>
        <dl>
          <dt>{w('requester')}</dt>
          <dd id="prompt-requester">
            {req.requester.name}（{req.requester.department}）
          </dd>
          <dt>{w('place')}</dt>
          <dd>{req.requester.place}</dd>
          <dt>{w('matter')}</dt>
          <dd id="prompt-matter">{req.matter_name}</dd>
        </dl>
        <p>{req.archive ? w('archive_yes') : w('archive_no')}</p>
        <fieldset>
          {req.cert_types.map((c) => (
            <label class="check">
              <input
                type="checkbox"
                name="approve"
                value={c}
                checked={chosen.includes(c)}
                onChange={(e) =>
                  setChosen((x) => ((e.target as HTMLInputElement).checked ? [...x, c] : x.filter((y) => y !== c)))
                }
              />
              {typeName(c)}
            </label>
          ))}
        </fieldset>
        <label for="prompt-pin">{w('enter_pin')}</label>
        <PinInput id="prompt-pin" value={pin} onValue={setPin} />
        <Err e={error} />
        {done ? (
          <p role="status" id="prompt-done">
            {done}
          </p>
        ) : (
          <div class="actions">
            <button type="button" id="approve" disabled={sending || pin.length !== 6} onClick={() => send(chosen)}>
              {w('approve')}
            </button>
            <button
              type="button"
              id="refuse"
              class="secondary"
              disabled={sending || pin.length !== 6}
              onClick={() => send([])}
            >
              {w('refuse')}
            </button>
            <button type="button" id="prompt-later" class="secondary" onClick={onDone}>
              {w('later')}
            </button>
          </div>
        )}
      </div>
    </div>
  );
}

// The catalogue's certificate types, from Rust (names and the numbers codes carry).
let TYPES: CertType[] = [];
const typesReady = commands.catalogue().then(
  (t) => (TYPES = t ?? []),
  () => (TYPES = []),
);
function typeName(c: string) {
  const t = TYPES.find((x) => x.code === c);
  return t ? (currentLang() === 'zh' ? t.name : t.name_en) : c;
}

/** Grants made as myself, or (`enterprise`) as the enterprise's legal representative to staff. */
function Grants({ enterprise: ent }: { enterprise: EnterpriseRef | null }) {
  useLang();
  const [view, setView] = useState<GrantsView | null>(null);
  const [mine, setMine] = useState<string[]>([]);
  const [agentId, setAgentId] = useState('');
  const [agentName, setAgentName] = useState('');
  const [days, setDays] = useState(7);
  const [chosen, setChosen] = useState<string[]>([]);
  const enterprise = ent?.uscc ?? '';
  const [pin, setPin] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [shown, setShown] = useState<ShownCode | null>(null);
  const reload = () => commands.grants().then(setView);
  useEffect(() => {
    reload();
    typesReady
      .then(() => commands.cards())
      .then((c) =>
        setMine([
          ...new Set(
            c.cards
              .filter((x) => x.view.status === 'valid' && heldBy(x, ent?.uscc ?? null))
              .map((x) => x.view.certificate.body.type_code),
          ),
        ]),
      );
  }, []);
  const granted = (view?.granted ?? []).filter((g) =>
    ent ? g.principal_kind === 'enterprise' && g.principal_name_masked === ent.name : g.principal_kind === 'person',
  );
  const problem = agentId ? idProblem(agentId) : 'length';
  const submit = async (e: Event) => {
    e.preventDefault();
    setError(null);
    try {
      await commands.grant({
        agentId: agentId.trim().toUpperCase(),
        agentName: agentName.trim(),
        certTypes: chosen,
        days,
        enterprise: enterprise || null,
        pin,
      });
      setAgentId('');
      setAgentName('');
      setChosen([]);
      await commands.sync().catch(() => undefined);
      reload();
    } catch (err) {
      setError(err);
    }
  };
  const revoke = async (g: GrantView) => {
    setError(null);
    try {
      await commands.revokeGrant({ grantId: g.grant_id, pin });
      reload();
    } catch (err) {
      setError(err);
    }
  };
  const [presenting, setPresenting] = useState<GrantView | null>(null);
  const present = async (g: GrantView) => {
    setError(null);
    setPresenting(g);
    try {
      const no = TYPES.find((t) => t.code === g.cert_types[0])?.no;
      setShown(await commands.nextCode({ kind: 'delegated', certType: no, grant: g.grant_id }));
    } catch (err) {
      setError(err);
    }
  };
  const until = (t: number) => new Date(t * 1000).toLocaleDateString();
  return (
    <main class="panel" id="grants">
      <h2>{w(ent ? 'ent_grant_new' : 'grant_new')}</h2>
      <form onSubmit={submit} id="grant-form" data-as={ent ? 'enterprise' : 'me'}>
        <label for="agent-id">{w(ent ? 'staff_id' : 'agent_id')}</label>
        <input
          id="agent-id"
          value={agentId}
          autocomplete="off"
          onInput={(e) => setAgentId((e.target as HTMLInputElement).value)}
          aria-describedby="agent-id-hint"
        />
        <p id="agent-id-hint" class={agentId.length >= 18 && problem ? 'hint bad' : 'hint'}>
          {agentId && problem && problem !== 'length' ? w(`id_${problem}` as K) : ''}
        </p>
        <label for="agent-name">{w(ent ? 'staff_name' : 'agent_name')}</label>
        <input
          id="agent-name"
          value={agentName}
          autocomplete="off"
          onInput={(e) => setAgentName((e.target as HTMLInputElement).value)}
        />
        <fieldset>
          <legend>{w('which')}</legend>
          {mine.map((c) => (
            <label class="check">
              <input
                type="checkbox"
                name="grant-type"
                value={c}
                checked={chosen.includes(c)}
                onChange={(e) =>
                  setChosen((x) => ((e.target as HTMLInputElement).checked ? [...x, c] : x.filter((y) => y !== c)))
                }
              />
              {typeName(c)}
            </label>
          ))}
        </fieldset>
        <label for="grant-days">{w('days')}</label>
        <input
          id="grant-days"
          type="number"
          min={1}
          max={366}
          value={days}
          onInput={(e) => setDays(Number((e.target as HTMLInputElement).value))}
        />
        <label for="grant-pin">{w('enter_pin')}</label>
        <PinInput id="grant-pin" value={pin} onValue={setPin} />
        <button
          type="submit"
          id="grant-go"
          disabled={!!problem || !agentName.trim() || chosen.length === 0 || pin.length !== 6}
        >
          {w('grant_go')}
        </button>
      </form>
      {needsPin(error) && presenting ? <PinGate onUnlocked={() => present(presenting)} /> : <Err e={error} />}
      <h2>{w(ent ? 'ent_granted' : 'granted')}</h2>
      <ul class="grants" id="granted">
        {granted.map((g) => (
          <li data-grant={g.grant_id} data-revoked={String(g.revoked_at != null)}>
            {g.principal_kind === 'enterprise' ? `${g.principal_name_masked} → ` : '→ '}
            {g.agent_name_masked}：{g.cert_types.map(typeName).join('、')} · {w('until', { t: until(g.valid_to) })} ·{' '}
            {w('uses', { n: g.uses })}{' '}
            {g.revoked_at != null ? (
              <Badge kind="bad">{w('grant_revoked')}</Badge>
            ) : (
              <button type="button" class="secondary revoke" disabled={pin.length !== 6} onClick={() => revoke(g)}>
                {w('revoke')}
              </button>
            )}
          </li>
        ))}
      </ul>
      {!ent && (
        <>
          <h2>{w('received')}</h2>
          <ul class="grants" id="received">
            {(view?.received ?? []).map((g) => (
              <li data-grant={g.grant_id}>
                {g.principal_name_masked}：{g.cert_types.map(typeName).join('、')} ·{' '}
                {w('until', { t: until(g.valid_to) })}{' '}
                {g.revoked_at == null && (
                  <button type="button" class="secondary" onClick={() => present(g)}>
                    {w('present')}
                  </button>
                )}
              </li>
            ))}
          </ul>
          {shown && (
            <div
              class="big-qr"
              id="delegated-qr"
              role="img"
              aria-label={w('present')}
              data-code={shown.code}
              dangerouslySetInnerHTML={{ __html: shown.svg }}
            />
          )}
        </>
      )}
    </main>
  );
}

function Scan() {
  useLang();
  const [text, setText] = useState('');
  const [terminal, setTerminal] = useState<TerminalInfo | null>(null);
  const [pin, setPin] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState<string | null>(null);
  const read = async (t: string) => {
    setError(null);
    setTerminal(null);
    setDone(null);
    try {
      setText(t);
      setTerminal(await commands.readLoginCode({ text: t }));
    } catch (e) {
      setError(e);
    }
  };
  const fromFile = async (f: File) => {
    try {
      await read(await commands.decodeImage({ bytes: Array.from(new Uint8Array(await f.arrayBuffer())) }));
    } catch (e) {
      setError(e);
    }
  };
  return (
    <main class="panel" id="scan">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          read(text.replace(/^[\r\n\t]+|[\r\n\t]+$/g, ''));
        }}
      >
        <label for="paste">{w('paste')}</label>
        <input
          id="paste"
          value={text}
          autocomplete="off"
          onInput={(e) => setText((e.target as HTMLInputElement).value)}
        />
        <button type="submit">{w('read')}</button>
      </form>
      <CameraScan onScan={read} onError={setError} decode={decodeInRust} />
      <label for="image">{w('from_image')}</label>
      <input
        id="image"
        type="file"
        accept="image/png,image/jpeg"
        onChange={(e) => {
          const f = (e.target as HTMLInputElement).files?.[0];
          if (f) fromFile(f);
        }}
      />
      <Err e={error} />
      {terminal && !done && (
        <div class="login-ask" id="login-ask">
          <h2>{w('login_to', { name: terminal.name })}</h2>
          <p>
            {w('place')}：{terminal.place}（{terminal.department}）
          </p>
          <label for="login-pin">{w('enter_pin')}</label>
          <PinInput id="login-pin" value={pin} onValue={setPin} />
          <button
            type="button"
            id="login-go"
            disabled={pin.length !== 6}
            onClick={async () => {
              try {
                setDone(await commands.approveLogin({ text, pin }));
              } catch (e) {
                setError(e);
              }
            }}
          >
            {w('login_go')}
          </button>
        </div>
      )}
      {done && (
        <p role="status" id="login-done">
          {w('logged_in', { name: done })}
        </p>
      )}
    </main>
  );
}

/** Send filmed frames; the hub decides. */

function Proxy() {
  useLang();
  const [id, setId] = useState('');
  const [name, setName] = useState('');
  const [open, setOpen] = useState<ProxyApplicationCreated | null>(null);
  const [filed, setFiled] = useState<ApplicationView | null>(null);
  const [mine, setMine] = useState<ApplicationView[]>([]);
  const [error, setError] = useState<unknown>(null);
  const reload = () => commands.proxyApplications().then(setMine, () => undefined);
  useEffect(() => {
    reload();
  }, []);
  const f = useFaceCheck((o) => {
    setFiled(o.application ?? null);
    setOpen(null);
    setId('');
    setName('');
    reload();
  });
  const problem = id ? idProblem(id) : 'length';
  const submit = async (e: Event) => {
    e.preventDefault();
    setError(null);
    f.setError(null);
    setFiled(null);
    try {
      setOpen(
        await commands.proxyApplication({
          matter: 'elderly_allowance',
          idNumber: id.trim().toUpperCase(),
          name: name.trim(),
        }),
      );
    } catch (err) {
      setError(err);
    }
  };
  return (
    <main class="panel" id="proxy">
      <h2>{w('proxy_title')}</h2>
      <p class="hint">{w('proxy_hint')}</p>
      {!open && (
        <form onSubmit={submit} id="proxy-form">
          <label for="elder-id">{w('elder_id')}</label>
          <input
            id="elder-id"
            value={id}
            autocomplete="off"
            aria-describedby="elder-id-hint"
            onInput={(e) => setId((e.target as HTMLInputElement).value)}
          />
          <p id="elder-id-hint" class={id.length >= 18 && problem ? 'hint bad' : 'hint'}>
            {id && problem && problem !== 'length' ? w(`id_${problem}` as K) : ''}
          </p>
          <label for="elder-name">{w('elder_name')}</label>
          <input
            id="elder-name"
            value={name}
            autocomplete="off"
            onInput={(e) => setName((e.target as HTMLInputElement).value)}
          />
          <button type="submit" id="proxy-go" disabled={!!problem || !name.trim()}>
            {w('proxy_go')}
          </button>
        </form>
      )}
      <Err e={error} />
      {open && (
        <>
          <p>
            {open.application.matter_name} · {open.application.applicant_masked} ·{' '}
            {w('age', { n: open.application.applicant_age })}
          </p>
          <FaceCapture challenge={open.challenge} busy={f.busy} onFrames={(fr) => f.send(open.challenge, fr)} />
          <Err e={f.error} />
          {f.error != null && (
            <button
              type="button"
              class="secondary"
              id="proxy-again"
              onClick={() => {
                setOpen(null);
                f.setError(null);
              }}
            >
              {w('again')}
            </button>
          )}
        </>
      )}
      {filed && (
        <div role="status" id="proxy-filed" class="done">
          <p>
            <Badge kind="ok">{w('st_filed')}</Badge> {w('filed', { matter: filed.matter_name, dept: filed.department })}
          </p>
          <p>
            {w('released_certs')}：{filed.released.map((r) => r.name).join('、')}
          </p>
        </div>
      )}
      <h2>{w('my_proxies')}</h2>
      {mine.length === 0 && <p>{w('none')}</p>}
      <ul id="my-proxies">
        {mine.map((a) => (
          <li data-state={a.state}>
            {a.matter_name} · {a.applicant_masked} ·{' '}
            <Badge kind={a.state === 'filed' ? 'ok' : 'warn'}>{w(`st_${a.state}` as K)}</Badge> ·{' '}
            {new Date(a.created_at * 1000).toLocaleString()}
          </li>
        ))}
      </ul>
    </main>
  );
}

/** A camera frame decoded in Rust (rqrr), as the image files are. */
async function decodeInRust(frame: HTMLCanvasElement): Promise<string | null> {
  const blob = await new Promise<Blob | null>((ok) => frame.toBlob(ok, 'image/jpeg', 0.9));
  if (!blob) return null;
  return commands.decodeImage({ bytes: Array.from(new Uint8Array(await blob.arrayBuffer())) }).catch(() => null);
}

function detailText(d: AuditEntryView['detail']): string {
  if (d && typeof d === 'object' && !Array.isArray(d)) return String(d.terminal ?? d.matter ?? '');
  return '';
}

function Records() {
  useLang();
  const [rows, setRows] = useState<AuditEntryView[]>([]);
  const [saved, setSaved] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    commands.records().then(setRows);
  }, []);
  return (
    <main class="panel" id="records">
      <button
        type="button"
        id="export"
        class="secondary"
        onClick={() => commands.exportRecords().then(setSaved, setError)}
      >
        {w('export')}
      </button>
      {saved && (
        <p role="status" id="export-done" data-path={saved}>
          {w('exported', { path: saved })}
        </p>
      )}
      <Err e={error} />
      {rows.length === 0 && <p>{w('none')}</p>}
      <ol class="records">
        {rows
          .slice()
          .reverse()
          .map((r) => (
            <li>
              <time>{new Date(r.at * 1000).toLocaleString()}</time> <strong>{r.event}</strong> {detailText(r.detail)}
            </li>
          ))}
      </ol>
    </main>
  );
}

render(<App />, document.getElementById('app')!);
