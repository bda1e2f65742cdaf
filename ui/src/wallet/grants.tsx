// Delegation (授权代办): let an agent, or an enterprise's staff, use certificates for some days;
// the grants made, and revoking one.
import { useEffect, useState } from 'preact/hooks';
import { commands, type ShownCode } from './commands';
import { Badge, TextField, CertChecks } from '../shared/components';
import { idProblem } from '../shared/idcheck';
import { t, useLang, type Key } from '../shared/i18n';
import type { EnterpriseRef, GrantsView, GrantView } from '../shared/types';
import { BigQr, Err, PinGate, needsPin, PinInput } from './parts';
import { heldBy } from './cards';
import { TYPES, loadTypes, typeName } from './catalogue';

/** Grants made as myself, or (`enterprise`) as the enterprise's legal representative to staff. */
export function Grants({ enterprise: ent }: { enterprise: EnterpriseRef | null }) {
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
    loadTypes()
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
      const no = TYPES.find((ct) => ct.code === g.cert_types[0])?.no;
      setShown(await commands.nextCode({ kind: 'delegated', certType: no, grant: g.grant_id }));
    } catch (err) {
      setError(err);
    }
  };
  const until = (t: number) => new Date(t * 1000).toLocaleDateString();
  return (
    <main class="panel" id="grants">
      <h2>{t(ent ? 'ent_grant_new' : 'grant_new')}</h2>
      <form onSubmit={submit} id="grant-form" data-as={ent ? 'enterprise' : 'me'}>
        <label for="agent-id">{t(ent ? 'staff_id' : 'agent_id')}</label>
        <input
          id="agent-id"
          value={agentId}
          autocomplete="off"
          onInput={(e) => setAgentId((e.target as HTMLInputElement).value)}
          aria-describedby="agent-id-hint"
        />
        <p id="agent-id-hint" class={agentId.length >= 18 && problem ? 'hint bad' : 'hint'}>
          {agentId && problem && problem !== 'length' ? t(`id_${problem}` as Key) : ''}
        </p>
        <TextField
          id="agent-name"
          label={t(ent ? 'staff_name' : 'agent_name')}
          value={agentName}
          onValue={setAgentName}
        />
        <fieldset>
          <legend>{t('which')}</legend>
          <CertChecks name="grant-type" codes={mine} chosen={chosen} onChange={setChosen} typeName={typeName} />
        </fieldset>
        <label for="grant-days">{t('days')}</label>
        <input
          id="grant-days"
          type="number"
          min={1}
          max={366}
          value={days}
          onInput={(e) => setDays(Number((e.target as HTMLInputElement).value))}
        />
        <label for="grant-pin">{t('enter_pin')}</label>
        <PinInput id="grant-pin" value={pin} onValue={setPin} />
        <button
          type="submit"
          id="grant-go"
          disabled={!!problem || !agentName.trim() || chosen.length === 0 || pin.length !== 6}
        >
          {t('grant_go')}
        </button>
      </form>
      {needsPin(error) && presenting ? <PinGate onUnlocked={() => present(presenting)} /> : <Err e={error} />}
      <h2>{t(ent ? 'ent_granted' : 'granted')}</h2>
      <ul class="grants" id="granted">
        {granted.map((g) => (
          <li data-grant={g.grant_id} data-revoked={String(g.revoked_at != null)}>
            {g.principal_kind === 'enterprise' ? `${g.principal_name_masked} → ` : '→ '}
            {g.agent_name_masked}：{g.cert_types.map(typeName).join('、')} · {t('until', { t: until(g.valid_to) })} ·{' '}
            {t('uses', { n: g.uses })}{' '}
            {g.revoked_at != null ? (
              <Badge kind="bad">{t('grant_revoked')}</Badge>
            ) : (
              <button type="button" class="secondary revoke" disabled={pin.length !== 6} onClick={() => revoke(g)}>
                {t('revoke')}
              </button>
            )}
          </li>
        ))}
      </ul>
      {!ent && (
        <>
          <h2>{t('received')}</h2>
          <ul class="grants" id="received">
            {(view?.received ?? []).map((g) => (
              <li data-grant={g.grant_id}>
                {g.principal_name_masked}：{g.cert_types.map(typeName).join('、')} ·{' '}
                {t('until', { t: until(g.valid_to) })}{' '}
                {g.revoked_at == null && (
                  <button type="button" class="secondary" onClick={() => present(g)}>
                    {t('present')}
                  </button>
                )}
              </li>
            ))}
          </ul>
          {shown && <BigQr id="delegated-qr" label={t('present')} code={shown} />}
        </>
      )}
    </main>
  );
}
