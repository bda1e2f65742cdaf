// The holder's certificates (one card each, the seal checked on this device) and the codes
// the wallet shows: the identity code and a certificate's show-code.
import { useEffect, useState } from 'preact/hooks';
import { commands, type Card, type CardsView, type ShownCode } from './commands';
import { Badge } from '../shared/components';
import { t, useLang } from '../shared/i18n';
import { BigQr, Err, PinGate, needsPin } from './parts';

/** Whether a card is the person's own (`uscc` null) or the enterprise's with that 统一社会信用代码. */
export function heldBy(c: Card, uscc: string | null): boolean {
  const b = c.view.certificate.body;
  return uscc ? b.holder_code === uscc : b.holder_code_type === '111';
}

/** Every card (`holder` undefined: no enterprise mode), the person's own (null), or an
 * enterprise's (its 统一社会信用代码). */
export function Cards({ holder }: { holder?: string | null }) {
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
          {t('stale')}
          {view.synced_at && ` (${t('synced', { t: new Date(view.synced_at * 1000).toLocaleString() })})`}
        </div>
      )}
      {holder && mine.length === 0 && <p>{t('ent_cards_none')}</p>}
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
                <Badge kind={st === 'valid' ? 'ok' : 'bad'}>{t(`cert_${st}`)}</Badge>{' '}
                <Badge kind={c.seal_ok ? 'ok' : 'bad'}>{c.seal_ok ? t('seal_ok') : t('seal_bad')}</Badge>
              </span>
            </button>
            <p class="card-meta">
              {b.holder_name} · {t('issuer')} {b.issuer_name} · {t('validity')} {b.valid_from} –{' '}
              {b.valid_to ?? t('long_term')}
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
                <dt>{t('seal_alg')}</dt>
                <dd data-alg={c.view.certificate.seal.alg}>
                  {c.view.certificate.seal.alg === 'SM2-SM3' ? t('sm2') : 'ECDSA P-256'}
                </dd>
              </dl>
            )}
            {open === b.license_id && st === 'valid' && <ShowCode card={c} />}
          </article>
        );
      })}
    </main>
  );
}

/** 亮证: this one certificate's show-code (an enterprise's, shown by its legal representative). */
function ShowCode({ card }: { card: Card }) {
  const [code, setCode] = useState<ShownCode | null>(null);
  const [error, setError] = useState<unknown>(null);
  const show = () => {
    setError(null);
    commands
      .nextCode({ kind: 'show', certType: card.view.type_no, ordinal: card.view.ordinal })
      .then(setCode, setError);
  };
  const qrId = `show-${card.view.certificate.body.license_id}`;
  // The code is shown below the card's fields: bring it into view for the counter's scanner.
  useEffect(() => document.getElementById(qrId)?.scrollIntoView({ block: 'center' }), [code]);
  return (
    <div class="show-code">
      <button type="button" class="show-this" onClick={show}>
        {t(code ? 'show_again' : 'show_this')}
      </button>
      {needsPin(error) ? <PinGate onUnlocked={show} /> : <Err e={error} />}
      {code && <BigQr id={qrId} label={t('show_this')} code={code} />}
    </div>
  );
}

export function Code() {
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
      <h2>{t('identity_code')}</h2>
      {needsPin(error) ? <PinGate onUnlocked={() => setRound((r) => r + 1)} /> : <Err e={error} />}
      {code && <BigQr id="qr" label={t('identity_code')} code={code} />}
      {!needsPin(error) && (
        <>
          <p class="countdown" id="countdown">
            {t('refresh', { s: left })}
          </p>
          <button type="button" id="new-code" class="secondary" onClick={() => setRound((r) => r + 1)}>
            {t('new_code')}
          </button>
        </>
      )}
    </main>
  );
}
