// The 免证 wallet's window. Every action is a Tauri command implemented by mz-wallet.
// Each tab is its own file; this one holds the window, enrolment's gate and the tabs.
import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { commands, on, type Status } from './commands';
import { Header } from '../shared/components';
import { currentLang, setLang, t, useLang } from '../shared/i18n';
import type { AuthRequestView } from '../shared/types';
import { Err, OwnFaceCheck } from './parts';
import { Devices, NewDevicePrompt, PendingDevice } from './devices';
import { Enrol } from './enrol';
import { Cards, Code } from './cards';
import { Prompt } from './prompt';
import { Grants } from './grants';
import { Scan } from './scan';
import { Proxy } from './proxy';
import { Records } from './records';
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
      <Header title={t('app')} />
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
        <div class="modes" role="group" aria-label={t('mode')} id="modes">
          <button type="button" id="mode-me" aria-pressed={!ent} onClick={() => switchTo('')}>
            {t('mode_me')}
          </button>
          {status.enterprises.map((e) => (
            <button
              type="button"
              class="mode-enterprise"
              data-uscc={e.uscc}
              aria-pressed={ent?.uscc === e.uscc}
              onClick={() => switchTo(e.uscc)}
            >
              {t('mode_enterprise')} · {e.name}
            </button>
          ))}
        </div>
      )}
      {ent ? (
        <p class="who enterprise" id="who" data-mode="enterprise">
          {ent.name} · {ent.uscc} · {t('legal_rep')} {status.name}
        </p>
      ) : (
        <p class="who" id="who" data-mode="person">
          {status.name} · {status.id_number_masked}
        </p>
      )}
      <nav class="tabs" aria-label={t('app')}>
        {tabs.map((name) => (
          <button
            type="button"
            id={`tab-${name}`}
            aria-current={tab === name ? 'page' : undefined}
            class={tab === name ? 'on' : ''}
            onClick={() => setTab(name)}
          >
            {t(name)}
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
            {t('care')}
          </label>
          <button type="button" onClick={() => setLang(currentLang() === 'zh' ? 'en' : 'zh')}>
            {t('language')}
          </button>
        </main>
      )}
      {prompt && <Prompt req={prompt} onDone={() => setPrompt(null)} />}
      {newDevice && <NewDevicePrompt device={newDevice} onDone={() => setNewDevice(null)} />}
    </>
  );
}

render(<App />, document.getElementById('app')!);
