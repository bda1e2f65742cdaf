// Generated from Rust by `MZ_UPDATE_BINDINGS=1 cargo test -p mz-wallet-app --test bindings`. Do not edit.
// The wallet shell's own types, its commands (src-tauri/src/lib.rs `commands!`) and events (`events!`).

import { invoke } from '@tauri-apps/api/core';
import { listen, type UnlistenFn } from '@tauri-apps/api/event';
import type { ApplicationView, AuditEntryView, AuthRequestView, CertType, CertificateView, DeviceConfirmation, DeviceList, DeviceState, EnterpriseRef, FaceChallenge, FaceOutcome, GrantView, GrantsView, ProxyApplicationCreated, PushEvent, TerminalInfo } from '../shared/bindings';

export type PendingEnrolment = { confirm_by: Array<DeviceConfirmation>, counter_code: string, counter_code_expires_at: number, };

export type Card = { view: CertificateView, 
/**
 * The issuing department's seal verified on this device at the last sync.
 */
seal_ok: boolean, };

export type CardsView = { cards: Array<Card>, synced_at: number | null, 
/**
 * False when the hub could not be reached at the last try or the cards are old.
 */
fresh: boolean, };

export type Status = { enrolled: boolean, 
/**
 * This device as the hub last said: pending until it is confirmed.
 */
device_state: DeviceState | null, 
/**
 * While pending: how it can be confirmed, and its counter code.
 */
pending: PendingEnrolment | null, assurance: string | null, name: string | null, id_number_masked: string | null, hub: string, error: CmdError | null, 
/**
 * Enterprises this holder represents (enterprise mode).
 */
enterprises: Array<EnterpriseRef>, };

export type ShownCode = { code: string, 
/**
 * The QR code as SVG, rendered here in Rust.
 */
svg: string, };

export type CmdError = { code: string, message: string, };

export const commands = {
  status: () => invoke<Status>('status'),
  enrol: (args: { idNumber: string; name: string; pin: string }) => invoke<string>('enrol', args),
  setLanguage: (args: { lang: string }) => invoke<void>('set_language', args),
  sync: () => invoke<void>('sync'),
  cards: () => invoke<CardsView>('cards'),
  nextCode: (args: { kind: string; certType?: number | null; ordinal?: number | null; grant?: string | null }) => invoke<ShownCode>('next_code', args),
  unlock: (args: { pin: string }) => invoke<void>('unlock', args),
  counterCode: () => invoke<ShownCode>('counter_code'),
  devices: () => invoke<DeviceList>('devices'),
  approveDevice: (args: { keyId: string; pin: string }) => invoke<DeviceList>('approve_device', args),
  removeDevice: (args: { keyId: string; pin: string }) => invoke<DeviceList>('remove_device', args),
  pushLive: () => invoke<boolean>('push_live'),
  pending: () => invoke<Array<AuthRequestView>>('pending'),
  decide: (args: { requestId: string; approve: Array<string>; pin: string }) => invoke<AuthRequestView>('decide', args),
  decodeImage: (args: { bytes: Array<number> }) => invoke<string>('decode_image', args),
  readLoginCode: (args: { text: string }) => invoke<TerminalInfo>('read_login_code', args),
  approveLogin: (args: { text: string; pin: string }) => invoke<string>('approve_login', args),
  faceChallenge: () => invoke<FaceChallenge>('face_challenge'),
  proxyApplication: (args: { matter: string; idNumber: string; name: string }) => invoke<ProxyApplicationCreated>('proxy_application', args),
  proxyApplications: () => invoke<Array<ApplicationView>>('proxy_applications'),
  faceFrames: (args: { challenge: FaceChallenge; frames: Array<string>; capturedMs: Array<number> }) => invoke<FaceOutcome>('face_frames', args),
  grants: () => invoke<GrantsView | null>('grants'),
  catalogue: () => invoke<Array<CertType>>('catalogue'),
  grant: (args: { agentId: string; agentName: string; certTypes: Array<string>; days: number; enterprise?: string | null; pin: string }) => invoke<GrantView>('grant', args),
  revokeGrant: (args: { grantId: string; pin: string }) => invoke<GrantView>('revoke_grant', args),
  exportRecords: () => invoke<string>('export_records'),
  records: () => invoke<Array<AuditEntryView>>('records'),
};

/** The shell's events and their payloads. */
export type Events = {
  push_ready: null;
  push_lost: null;
  auth_request: AuthRequestView;
  grant_used: PushEvent;
  device_added: PushEvent;
};

/** Listen to one of the shell's events, typed by its name. */
export function on<K extends keyof Events>(event: K, handler: (payload: Events[K]) => void): Promise<UnlistenFn> {
  return listen<Events[K]>(event, (e) => handler(e.payload));
}
