// Counter console (窗口受理): choose the matter, scan the holder's code, push the authorization
// request, watch its state live, receive exactly the approved certificates, fill the form.
// The case's state and calls are in use-case.ts; each part of the page is its own component.
import { render } from 'preact';
import { useMemo, useState } from 'preact/hooks';
import { hubApi } from '../shared/api';
import { CameraScan, ErrorBox, Header, ScanField, TerminalGate } from '../shared/components';
import { Hub, type Identity } from '../shared/hub';
import { t, useLang } from '../shared/i18n';
import { DeviceDesk } from './device-desk';
import { CertificateChoice, ConsentAtCounter, RequestLine } from './holder';
import { MatterPanel, typeNamer } from './matter';
import { NoPhoneCheck } from './no-phone';
import { StaffLookup } from './lookup';
import { ReleaseForm } from './release-form';
import { useCase, useRegisters } from './use-case';
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
  const api = useMemo(() => hubApi(hub), [hub]);
  const registers = useRegisters(api);
  const { catalogue, departments } = registers;
  const c = useCase(hub, api, departments);
  const [matter, setMatter] = useState('general_counter_service');
  // A holder without a phone: ID number + name, then a live face check at this counter.
  const [noPhone, setNoPhone] = useState(false);
  // Staff look the holder up by ID number or 统一社会信用代码 (统一受理).
  const [lookup, setLookup] = useState(false);
  const closeForms = () => {
    setNoPhone(false);
    setLookup(false);
  };
  const reset = () => {
    closeForms();
    c.reset();
  };
  /** Another subject of the same case (the enterprise, the child): the form keeps the first. */
  const addSubject = () => {
    closeForms();
    c.nextPart();
  };
  const scan = (code: string) => {
    closeForms();
    return c.scan(code);
  };
  const m = catalogue?.matters.find((x) => x.code === matter);
  const typeName = typeNamer(catalogue);
  const { redemption, request, release } = c;
  const releases = release ? [...c.earlier, release] : c.earlier;
  const atTablet = redemption?.kind === 'face';
  const error = c.error ?? registers.error;
  const dismiss = () => {
    c.setError(null);
    registers.dismiss();
  };
  return (
    <>
      <Header title={t('counter_title')} terminal={id.terminal} />
      <main class="columns">
        <MatterPanel
          catalogue={catalogue}
          matter={matter}
          onChange={(code) => {
            setMatter(code);
            reset();
          }}
        />
        <section class="panel" aria-labelledby="holder-h">
          <h2 id="holder-h">{t('holder')}</h2>
          <ScanField
            id="scan"
            label={t('scan_label')}
            hint={t('scan_hint')}
            button={t('scan_button')}
            onScan={scan}
            disabled={c.busy}
          />
          <CameraScan onScan={scan} onError={c.setError} />
          {!redemption && !noPhone && !lookup && !request && (
            <div class="actions">
              <button
                type="button"
                class="secondary"
                id="no-phone"
                onClick={() => {
                  addSubject();
                  setNoPhone(true);
                }}
              >
                {t('no_phone')}
              </button>
              <button
                type="button"
                class="secondary"
                id="lookup-open"
                onClick={() => {
                  addSubject();
                  setLookup(true);
                }}
              >
                {t('staff_lookup')}
              </button>
            </div>
          )}
          {lookup && !request && (
            <StaffLookup
              api={api}
              matter={m}
              busy={c.busy}
              act={c.act}
              typeName={typeName}
              onAsked={c.setRequest}
              onCancel={addSubject}
              guardian={c.earlier.map((r) => r.subject).find((x) => x.code_type === '111')}
            />
          )}
          {noPhone && (
            <NoPhoneCheck
              api={api}
              busy={c.busy}
              act={c.act}
              onPassed={(r) => {
                setNoPhone(false);
                c.setRedemption(r);
              }}
              onCancel={addSubject}
            />
          )}
          {error != null && <ErrorBox error={error} onDismiss={dismiss} />}
          {redemption && (
            <CertificateChoice
              redemption={redemption}
              matter={m}
              asked={!!request}
              busy={c.busy}
              typeName={typeName}
              onAsk={(types, archive) => c.ask(matter, types, archive)}
            />
          )}
          {request && atTablet && request.state === 'pending' && (
            <ConsentAtCounter request={request} typeName={typeName} onDecide={c.consent} />
          )}
          {request && <RequestLine request={request} atTablet={atTablet} typeName={typeName} />}
        </section>
      </main>
      {releases.length > 0 && (
        <ReleaseForm
          releases={releases}
          matter={m}
          seals={c.seals}
          onAdd={release ? addSubject : undefined}
          onNext={reset}
        />
      )}
      <DeviceDesk api={api} />
    </>
  );
}

render(<App />, document.getElementById('app')!);
