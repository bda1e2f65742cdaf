// What the holder's records call each audit event (the chain's own names stay in the export).
import type { Lang } from './index';

const EVENTS: Record<string, [string, string]> = {
  redeem: ['窗口扫描了你的码', 'A terminal scanned your code'],
  lookup: ['窗口按证件号码查询', 'Looked up by ID number at a counter'],
  auth_request: ['收到用证请求', 'Asked to use certificates'],
  approve: ['你同意了用证请求', 'You approved a request'],
  refuse: ['你拒绝了用证请求', 'You refused a request'],
  release: ['证照已交付', 'Certificates released'],
  archived: ['已预归档', 'Kept as an archive record'],
  archive_read: ['归档记录被调阅', 'Archive record read'],
  login: ['登录自助终端', 'Logged in at a kiosk'],
  logout: ['退出自助终端', 'Logged out of a kiosk'],
  issue: ['发证', 'Certificate issued'],
  revoke_certificate: ['证照被注销', 'Certificate revoked'],
  grant: ['授权他人使用', 'Granted to someone'],
  grant_received: ['收到授权', 'Received a grant'],
  grant_revoked: ['授权已撤销', 'Grant revoked'],
  agent_act: ['代办人使用了授权', 'An agent used a grant'],
  objection: ['提出异议', 'Objection raised'],
  objection_resolved: ['异议已处理', 'Objection resolved'],
  device_enrolled: ['新设备登记', 'New device enrolled'],
  device_confirmed: ['设备已确认', 'Device confirmed'],
  device_removed: ['设备已移除', 'Device removed'],
  face_check_passed: ['刷脸核验通过', 'Face check passed'],
  face_check_refused: ['刷脸核验未通过', 'Face check refused'],
  application_filed: ['申请已提交', 'Application filed'],
  pin_locked: ['PIN 输错次数过多，已锁定', 'PIN locked after wrong tries'],
  proof_ordered: ['申请出具证明', 'Proof ordered'],
  proof_issued: ['证明已出具', 'Proof issued'],
  proof_refused: ['证明未能出具', 'Proof refused'],
  proof_checked: ['你的证明被扫码核验', 'Your printed proof was checked'],
};

/** The event's name for people, or its own name when there is none. */
export function eventLabel(event: string, lang: Lang): string {
  const l = EVENTS[event];
  return l ? l[lang === 'zh' ? 0 : 1] : event;
}
