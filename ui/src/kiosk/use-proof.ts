// The proof a kiosk's self-service matter gives (房查证明, 参保证明): ordered once the holder's
// certificates are released, issued or refused by the department's own proof desk, announced by
// a push (`proof_answered`), read again when the order's time is up if nothing came.
import { useEffect, useRef, useState } from 'preact/hooks';
import type { HubApi } from '../shared/api';
import type { ProofOrderView } from '../shared/bindings';
import type { AuthRequestView, Catalogue, Release } from '../shared/types';

/** The order as the kiosk knows it, with the check token the hub gave once (printed on the proof). */
export type KioskProof = { order: ProofOrderView; token: string };

export function useProof(
  api: HubApi,
  catalogue: Catalogue | null,
  request: AuthRequestView | null,
  release: Release | null,
  setError: (e: unknown) => void,
) {
  const [view, setView] = useState<KioskProof | null>(null);
  const current = useRef<KioskProof | null>(null);
  // Answers pushed before the order's own answer reached the page (the desk can be that quick).
  const early = useRef(new Set<string>());
  const show = (v: KioskProof | null) => {
    current.current = v;
    setView(v);
  };
  const reread = async (orderId: string) => {
    const v = current.current;
    if (!v || v.order.order_id !== orderId) return early.current.add(orderId);
    try {
      show({ order: await api.proofOrder(orderId), token: v.token });
    } catch (e) {
      setError(e);
    }
  };
  useEffect(() => {
    const gives = catalogue?.matters.find((m) => m.code === request?.matter)?.issues;
    if (!release || !request || !gives) return;
    api.orderProof({ request_id: request.request_id }).then((order) => {
      show({ order, token: order.check_token ?? '' });
      if (early.current.delete(order.order_id)) reread(order.order_id);
    }, setError);
  }, [release?.request_id]);
  // Nothing pushed by the order's end: read it again (it shows as expired, or the answer).
  const order = view?.order;
  useEffect(() => {
    if (order?.state !== 'pending') return;
    const wait = Math.max(order.expires_at * 1000 - Date.now(), 0) + 1000;
    const timer = setTimeout(() => reread(order.order_id), wait);
    return () => clearTimeout(timer);
  }, [order?.order_id, order?.state]);
  return { view, answered: reread, clear: () => show(null) };
}
