// zh-CN first, English switchable. The UI matches error codes, never message text.
import { useEffect, useState } from 'preact/hooks';
import { errorMessage } from './errors';

export type Lang = 'zh' | 'en';
const lang = { value: ((localStorage.getItem('mz-lang') as Lang) || 'zh') as Lang };
const listeners = new Set<() => void>();

export function setLang(l: Lang) {
  lang.value = l;
  localStorage.setItem('mz-lang', l);
  document.documentElement.lang = l === 'zh' ? 'zh-CN' : 'en';
  listeners.forEach((f) => f());
}

export function currentLang(): Lang {
  return lang.value;
}

/** Re-render the calling component when the language changes. */
export function useLang(): Lang {
  const [, bump] = useState(0);
  useEffect(() => {
    const f = () => bump((n) => n + 1);
    listeners.add(f);
    return () => void listeners.delete(f);
  }, []);
  return lang.value;
}

const zh = {
  counter_title: '窗口受理',
  kiosk_title: '24小时自助终端',
  switch_lang: 'English',
  enrol_title: '登记本终端',
  enrol_hint: '输入管理员用 mz-hub terminal 命令得到的一次性登记码。本终端会在浏览器内生成不可导出的密钥。',
  enrol_code: '登记码',
  enrol_button: '登记',
  matter: '办理事项',
  materials: '申请材料',
  replaceable: '免提交',
  must_submit: '需提交',
  optional: '选交',
  scan_label: '扫描办事人的亮证码或电子身份码',
  scan_hint: '扫码枪扫描后自动提交；也可粘贴后按回车。',
  scan_button: '核验',
  holder: '办事人',
  agent_for: '{agent} 代 {subject} 办理',
  available: '可用电子证照',
  none_available: '没有可用于本事项的电子证照',
  request: '推送授权请求',
  archive: '办结后归档',
  waiting: '等待办事人在手机上授权…',
  approved: '已授权',
  partly_approved: '部分授权',
  refused: '办事人拒绝了授权',
  withdrawn: '授权的设备已被移除，授权作废',
  expired: '请求已过期',
  released: '已获取的电子证照',
  held_by: '证照库：',
  seal_ok: '印章有效',
  seal_bad: '印章无效',
  form: '受理表单（自动填充）',
  name: '姓名',
  id_number: '公民身份号码',
  address: '住址',
  cert_numbers: '证照编号',
  print: '打印 / 保存 PDF',
  check_qr: '扫码核验本表单',
  new_case: '受理下一位',
  kiosk_scan_title: '扫码登录',
  kiosk_scan_hint: '打开免证办 APP，扫描屏幕上的二维码',
  kiosk_show_title: '亮码登录',
  kiosk_show_hint: '在 APP 中打开电子身份码，对准下方扫码口',
  kiosk_code_label: '电子身份码（扫码口）',
  refresh_in: '{s} 秒后刷新',
  welcome: '您好，{name}',
  self_service: '请选择要办理的事项',
  logout: '退出登录',
  auto_logout: '无操作 {s} 秒后自动退出',
  fetching: '请在手机上确认授权…',
  got: '已获取：{list}',
  print_result: '打印证明',
  back: '返回',
  no_phone: '办事人没有手机？刷脸核验',
  desk_title: '新设备确认（核对身份证后）',
  desk_hint: '请先核对办事人的居民身份证原件与本人，再输入证件号码并扫描其手机上的设备确认码。',
  desk_id: '身份证号码（读卡或按证件输入）',
  desk_code: '设备确认码',
  desk_go: '确认该设备',
  desk_done: '已确认 {name} 的设备「{label}」',
  desk_remove: '手机丢失：移除此人的全部设备',
  desk_removed: '已移除 {name} 的 {n} 台设备',
  face_check_title: '窗口刷脸核验（实人）',
  face_start: '开始核验',
  face_passed: '人脸核验通过',
  consent_title: '请办事人本人在平板上确认',
  waiting_tablet: '等待办事人在平板上确认…',
  consent_hint: '以下电子证照将提供给本窗口办理“{matter}”。请勾选同意提供的证照。',
  consent_yes: '确认提供所选证照',
  consent_no: '不同意提供',
  unenrolled: '本终端尚未登记',
  terminal: '终端',
  place: '地点',
  not_held: '办事人无此证',
  camera: '用摄像头扫码',
  camera_stop: '关闭摄像头',
  camera_hint: '将办事人的码对准摄像头',
  scanner_ready: '扫码口已就绪，扫码后自动登录',
};
type Key = keyof typeof zh;
const en: Record<Key, string> = {
  counter_title: 'Service counter',
  kiosk_title: '24-hour self-service kiosk',
  switch_lang: '中文',
  enrol_title: 'Register this terminal',
  enrol_hint:
    'Enter the one-time enrolment code from `mz-hub terminal`. This terminal makes a non-extractable key in the browser.',
  enrol_code: 'Enrolment code',
  enrol_button: 'Register',
  matter: 'Matter',
  materials: 'Materials',
  replaceable: 'E-certificate replaces',
  must_submit: 'Submit',
  optional: 'Optional',
  scan_label: "Scan the holder's show-code or identity code",
  scan_hint: 'A USB scanner submits by itself; or paste and press Enter.',
  scan_button: 'Verify',
  holder: 'Holder',
  agent_for: '{agent} acting for {subject}',
  available: 'Available e-certificates',
  none_available: 'No e-certificate for this matter',
  request: 'Send authorization request',
  archive: 'Archive when done',
  waiting: 'Waiting for the holder to approve on their phone…',
  approved: 'Approved',
  partly_approved: 'Partly approved',
  refused: 'The holder refused',
  withdrawn: 'The approving device was removed: the approval is void',
  expired: 'The request expired',
  released: 'Certificates received',
  held_by: 'held by',
  seal_ok: 'Seal valid',
  seal_bad: 'Seal INVALID',
  form: 'Application form (filled)',
  name: 'Name',
  id_number: 'ID number',
  address: 'Address',
  cert_numbers: 'Certificate numbers',
  print: 'Print / save PDF',
  check_qr: 'Scan to check this form',
  new_case: 'Next applicant',
  kiosk_scan_title: 'Scan to log in',
  kiosk_scan_hint: 'Open the Mianzheng app and scan the code on screen',
  kiosk_show_title: 'Show your code',
  kiosk_show_hint: 'Open your identity code in the app and hold it to the scanner below',
  kiosk_code_label: 'Identity code (scanner)',
  refresh_in: 'refreshes in {s} s',
  welcome: 'Welcome, {name}',
  self_service: 'Choose a service',
  logout: 'Log out',
  auto_logout: 'Logs out after {s} s without use',
  fetching: 'Please approve on your phone…',
  got: 'Received: {list}',
  print_result: 'Print',
  back: 'Back',
  no_phone: 'No phone? Check the face',
  desk_title: 'Confirm a new device (after checking the ID card)',
  desk_hint:
    "Check the person's resident ID card against them first, then enter its number and scan the device code their phone shows.",
  desk_id: 'ID number (card reader, or as on the card)',
  desk_code: 'Device code',
  desk_go: 'Confirm the device',
  desk_done: "Confirmed {name}'s device “{label}”",
  desk_remove: "Lost phone: remove all of this person's devices",
  desk_removed: 'Removed {n} device(s) of {name}',
  face_check_title: 'Face check at the counter (real person)',
  face_start: 'Start the check',
  face_passed: 'Face check passed',
  consent_title: 'The holder confirms on the tablet',
  waiting_tablet: 'Waiting for the holder to confirm on the tablet…',
  consent_hint: 'These e-certificates will be given to this counter for “{matter}”. Tick the ones you agree to give.',
  consent_yes: 'Give the ticked certificates',
  consent_no: 'Refuse',
  unenrolled: 'This terminal is not registered',
  terminal: 'Terminal',
  place: 'Place',
  not_held: 'not held',
  camera: 'Scan with the camera',
  camera_stop: 'Stop the camera',
  camera_hint: "Hold the holder's code to the camera",
  scanner_ready: 'Scanner ready: you are logged in as soon as it reads your code',
};

export function t(key: Key, vars: Record<string, string | number> = {}): string {
  let s = (lang.value === 'zh' ? zh : en)[key];
  for (const [k, v] of Object.entries(vars)) s = s.replace(`{${k}}`, String(v));
  return s;
}

/** The message for an error code in the current language (see `errors.ts`). */
export function explain(code: string, fallback: string): string {
  return errorMessage(code, lang.value, fallback);
}
