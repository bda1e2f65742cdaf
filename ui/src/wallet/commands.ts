// Generated from Rust by `MZ_UPDATE_BINDINGS=1 cargo test -p mz-wallet-app --test bindings`. Do not edit.
// The wallet shell's commands (src-tauri/src/lib.rs `commands!`) and events (`events!`).

import { invoke } from '@tauri-apps/api/core';
import { listen, type UnlistenFn } from '@tauri-apps/api/event';
import type { ApplicationView, AuditEntryView, AuthRequestView, CardsView, CertType, DeviceList, FaceChallenge, FaceOutcome, GrantView, GrantsView, ProxyApplicationCreated, PushEvent, ShownCode, Status, TerminalInfo } from '../shared/bindings';

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
