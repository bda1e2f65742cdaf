// My records: every use of my certificates and codes, as the hub's audit chain holds them;
// exported as JSON Lines.
import { useEffect, useState } from 'preact/hooks';
import { commands } from './commands';
import { eventName, t, useLang } from '../shared/i18n';
import type { AuditEntryView } from '../shared/types';
import { Err } from './parts';

export function detailText(d: AuditEntryView['detail']): string {
  if (d && typeof d === 'object' && !Array.isArray(d)) return String(d.terminal ?? d.matter ?? '');
  return '';
}

export function Records() {
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
        {t('export')}
      </button>
      {saved && (
        <p role="status" id="export-done" data-path={saved}>
          {t('exported', { path: saved })}
        </p>
      )}
      <Err e={error} />
      {rows.length === 0 && <p>{t('none')}</p>}
      <ol class="records">
        {rows
          .slice()
          .reverse()
          .map((r) => (
            <li data-event={r.event}>
              <time>{new Date(r.at * 1000).toLocaleString()}</time> <strong>{eventName(r.event)}</strong>{' '}
              {detailText(r.detail)}
            </li>
          ))}
      </ol>
    </main>
  );
}
