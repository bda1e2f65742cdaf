// One message catalogue for every error code, in zh-CN and English, shared by every page and
// the wallet. The hub's codes come from its registry (`ErrorCode`, generated from Rust): the
// `Record` below makes `tsc` fail when a code has no message. Pages match codes, never text.
import type { ErrorCode } from '../bindings';

/** Codes the pages, the wallet and its shell make themselves (not the hub's). */
export type LocalCode =
  | 'unreachable'
  | 'camera_unavailable'
  | 'offline'
  | 'not_enrolled'
  | 'wrong_pin'
  | 'bad_pin'
  | 'pin_mismatch'
  | 'no_handles'
  | 'keyring'
  | 'store'
  | 'client'
  | 'bad_period'
  | 'bad_image'
  | 'no_code'
  | 'bad_input'
  | 'qr';

export type MessageCode = ErrorCode | LocalCode;

/** [zh-CN, English] for each code. */
const messages: Record<MessageCode, [string, string]> = {
  // The request itself is wrong.
  invalid_identifier: ['身份证号码或证照号码无效', 'Invalid ID number or identifier'],
  malformed: ['无法识别此码，请重新扫描', 'Not a code this system can read: scan again'],
  truncated: ['码不完整，请重新扫描', 'The code is incomplete: scan again'],
  unknown_version: ['码的版本不受支持，请更新应用', 'A code version this system does not support: update the app'],
  wrong_kind: ['这不是所需类型的码', 'Not the kind of code needed here'],
  not_yet_valid: ['尚未生效', 'Not valid yet'],
  chain_broken: ['用证记录校验失败', 'The records do not verify'],
  bad_count: ['数量超出范围', 'The number is out of range'],
  bad_frame: ['画面无法读取，请重新核验', 'A picture could not be read: check again'],
  bad_hops: ['跨地区请求转发次数异常', 'The request went through too many hubs'],
  bad_id: ['编号格式不对', 'Not a valid id'],
  bad_json: ['请求格式不对', 'The request is not in the expected form'],
  unknown_field: ['请求含有未知字段', 'The request has a field the hub does not know'],
  bad_kind: ['类型不对', 'Unknown kind'],
  bad_label: ['设备名称不能为空，且不超过 64 个字', 'The device name must be 1–64 characters'],
  bad_peer: ['对端证照系统信息不对', 'The other hub’s details do not fit'],
  bad_photo: ['照片无法使用', 'The photo cannot be used'],
  bad_reason: ['请填写原因（不超过 500 字）', 'Give a reason (at most 500 characters)'],
  bad_role: ['角色不对', 'Unknown role'],
  bad_terminal: ['终端信息不对', 'The terminal’s details do not fit'],
  bad_text: ['内容不能为空且不能过长', 'The text must not be empty or too long'],
  body_too_large: ['提交的内容过大', 'The request is too large'],
  bad_query: ['请求的查询参数有误', "The request's query parameters are wrong"],
  decision_mismatch: ['授权决定与请求不符', 'The decision is for another request'],
  frame_count: ['画面数量不对，请重新核验', 'Wrong number of pictures: check again'],
  bad_capture_times: ['画面的拍摄时间不对，请重新核验', 'The frames’ capture times are wrong: check again'],
  grant_in_past: ['委托期限已过或起止时间不对', 'The delegation would end before it begins'],
  holder_mismatch: ['不是本人的签名', 'Signed by someone other than the holder'],
  holder_name_mismatch: ['姓名与持证人不符', 'The name does not match the holder'],
  not_child_region: ['不是下级地区', 'Not a region below this hub'],
  not_parent_region: ['不是上级地区', 'Not the region above this hub'],
  not_proxy_matter: ['该事项不能代办', 'This matter cannot be applied for by someone else'],
  not_requested: ['请求中没有该证照', 'That certificate was not requested'],
  nothing_requested: ['没有选择任何证照', 'Nothing was requested'],
  object_clock_skew: ['设备时间不准，请校准时间后重试', 'The device’s clock is off: set it and retry'],
  query_too_short: ['查询内容太短', 'The query is too short'],
  revocation_mismatch: ['撤销与委托不符', 'The revocation is for another delegation'],
  terminal_mismatch: ['不是本终端的请求', 'Not this terminal’s request'],
  type_mismatch: ['证照类型不符', 'The certificate type does not match'],
  wrong_subject: ['持证主体不符', 'The certificate is about someone else'],
  // Who is asking is not established.
  bad_signature: ['码的签名无效，可能被篡改', 'The signature is invalid'],
  bad_request_signature: ['请求签名无效', 'The request signature is invalid'],
  clock_skew: ['本机时间不准，请校准时间后重试', 'This device’s clock is off: set it and retry'],
  replayed_request: ['重复的请求已被拒绝', 'A repeated request was refused'],
  session_expired: ['登录已过期，请重试', 'The session has ended: retry'],
  stale_request: ['请求已过时，请重试', 'The request is stale: retry'],
  unauthenticated: ['未登记或未登录', 'Not registered or not signed in'],
  unknown_key: ['本设备或终端未登记或已停用', 'This device or terminal is not registered or was disabled'],
  // Known, but not allowed.
  not_needed_by_matter: ['本事项不需要该证照，不能请求', 'This matter does not need that certificate'],
  bad_enrolment_code: ['登记码无效或已使用', 'Unknown or used enrolment code'],
  counter_only: ['只能在窗口办理', 'Only a service counter can do this'],
  grant_expired: ['委托已过期', 'The delegation has expired'],
  grant_revoked: ['委托已被撤销', 'The delegation was revoked'],
  holder_decides: ['只能由本人决定', 'Only the holder can decide this'],
  identity_mismatch: ['证件号码与姓名（名称）不匹配', 'The number and the name do not match the register'],
  no_wallet: [
    '此人没有已确认的免证码钱包，无法在手机上授权：请收取纸质证照，或在窗口刷脸核验',
    'This person has no confirmed wallet to approve on: take the paper certificates, or check their face at the counter',
  ],
  not_a_kiosk: ['只能在自助终端办理', 'Only a self-service kiosk can do this'],
  not_agent: ['出示人不是该委托的代办人', 'The person presenting is not the delegated agent'],
  not_disclosable: ['该证照不公开', 'This certificate is not public'],
  not_issuer: ['本部门无权颁发或注销该证照', 'This department may not issue or revoke that certificate'],
  not_legal_representative: ['不是该企业的法定代表人', 'Not the enterprise’s legal representative'],
  not_principal: ['不是委托人', 'Not the delegation’s principal'],
  not_self_service: ['该事项不能在自助终端办理', 'Not offered at kiosks'],
  not_your_region: ['不属于该证照系统的地区', 'Not that hub’s region'],
  outside_grant: ['超出委托范围', 'Outside the delegation'],
  refused: ['办事人拒绝了授权', 'The holder refused'],
  approval_withdrawn: ['授权的设备已被移除，授权作废，请重新申请', 'The device that approved was removed: ask again'],
  unknown_seal_key: ['印章密钥未登记', 'The seal’s key is not registered'],
  wrong_role: ['无权进行此操作', 'Not allowed for this caller'],
  device_pending: [
    '本设备尚未确认：请完成人脸核验、在您的其他设备上批准，或到窗口出示设备确认码',
    'This device is not confirmed yet: pass the face check, approve it on another of your devices, or show its code at a counter',
  ],
  session_from_session: ['会话不能再开新会话，请用密钥签名', 'A session cannot open another; sign with the key'],
  matter_not_handled: ['本窗口所属部门不受理该事项', "This terminal's department does not handle this matter"],
  request_timeout: ['请求内容未及时到达，请重试', 'The request did not arrive in time; try again'],
  outside_code: [
    '该亮证码只对应一项证照，不能申请其他证照；请办事人出示电子身份码',
    'This show-code is for one certificate only; ask for the identity code',
  ],
  device_not_pending: ['该设备不在等待确认', 'This device is not waiting for confirmation'],
  device_removed: ['该设备已被移除', 'This device was already removed'],
  unregistered_terminal: ['这不是已登记的终端的码，请勿登录', 'Not a registered terminal: do not log in'],
  // Not found.
  not_found: ['未找到（码无效或已注销）', 'Not found (invalid or withdrawn)'],
  unknown: ['未知的证照类型或事项', 'Unknown certificate type or matter'],
  no_such_route: ['没有这个接口', 'No such route'],
  method_not_allowed: ['这个接口不接受这种请求方式', 'This route does not take this method'],
  // The state does not allow it.
  already_decided: ['已经作出过决定', 'Already decided'],
  already_issued: ['该证照已颁发', 'Already issued'],
  already_registered: ['已登记，无需重复申请', 'Already registered'],
  already_released: ['证照已获取过', 'Already received'],
  already_resolved: ['异议已处理', 'The objection is already resolved'],
  already_revoked: ['已撤销', 'Already revoked'],
  application_filed: ['申请已提交', 'The application is already filed'],
  challenge_closed: ['核验失败次数过多，请重新开始', 'Too many failed attempts: start again'],
  challenge_used: ['此次核验已完成', 'This check is already done'],
  code_already_used: ['此码已使用过，请刷新后重新出示', 'This code was already used: show a fresh one'],
  department_exists: ['该部门已存在', 'That department exists'],
  device_already_enrolled: ['本设备已登记', 'This device is already enrolled'],
  grant_exists: ['已有相同的委托', 'A delegation like this exists'],
  key_in_use: ['该密钥已登记', 'This key is already registered'],
  no_department: ['本地没有受理该事项的部门', 'No department here handles this'],
  no_reference_photo: [
    '人口库中没有此人的照片，请到窗口办理',
    'The register holds no photo of this person: apply at a counter',
  ],
  not_decided: ['办事人尚未决定', 'The holder has not decided yet'],
  not_held: ['办事人没有该有效证照', 'The holder has no valid certificate of that type'],
  no_proof: ['该事项不出具证明', 'This matter gives no proof'],
  not_guardian: [
    '所填监护人不是该未成年人在户籍登记中的父母，或被查询人已成年',
    'The guardian named is not a registered parent of the child, or the person is not a child',
  ],
  not_released: ['办事人的证照尚未获授权交付', "The holder's certificates were not released yet"],
  proof_closed: ['该证明申请已答复或已过期', 'This proof order was answered already or has expired'],
  not_logged_in: ['尚未登录', 'Nobody is logged in'],
  not_valid: ['证照不在有效状态', 'The certificate is not valid'],
  objection_open: ['已有未处理的异议', 'An objection about this is open'],
  peer_exists: ['该地区的证照系统已登记', 'A hub for that region is registered'],
  redemption_used: ['此码已发起过授权请求，请重新扫码', 'This code already has a request: scan a fresh code'],
  session_used: ['本次登录已被使用', 'This login was already used'],
  too_many_handles: ['离线码已足够，无需再取', 'This device holds enough offline codes'],
  expired: ['码或请求已过期，请重新出示或重新发起', 'The code or request has expired: show a fresh one or start again'],
  oversize: ['码或内容过大', 'The code or content is too large'],
  // Well-formed, decided against.
  not_eligible: [
    '不符合条件：高龄津贴面向80周岁及以上老人',
    'Not eligible: the allowance is for people aged 80 or over',
  ],
  image_unreadable: ['图片无法读取', 'The image cannot be read'],
  image_too_large: ['图片过大', 'The image is too large'],
  no_face: ['没有检测到人脸，请正对摄像头、光线充足', 'No face found: face the camera in good light'],
  several_faces: ['画面中有多张脸，请只让被核验人入镜', 'More than one face: only the person being checked, please'],
  face_too_small: ['脸太小，请靠近摄像头', 'The face is too small: come closer'],
  face_blurred: ['画面模糊，请保持不动', 'The picture is blurred: hold still'],
  different_people: ['前后不是同一个人，请只让被核验人入镜', 'The frames show different people'],
  challenge_not_performed: ['没有按顺序完成动作，请重新核验', 'The moves were not done in order: check again'],
  motion_discontinuous: [
    '画面中的头部动作不连贯，请慢慢完成动作并保持拍摄',
    'The head jumped between frames: move slowly and keep filming',
  ],
  frames_mirrored: ['画面是镜像的，请直接用摄像头拍摄', 'A frame is mirrored: film with the camera directly'],
  frames_repeated: ['同一画面出现了两次，请用摄像头拍摄', 'The same picture appears twice: film with the camera'],
  frames_replayed: ['这些画面以前提交过，请现在重新拍摄', 'These frames were sent before: film the check now'],
  frames_not_for_challenge: [
    '这些画面不是为本次核验拍摄的，请重新开始',
    'These frames were not filmed for this check: start again',
  ],
  face_mismatch: ['人脸与人口库照片不一致', "The face does not match the register's photo"],
  too_many_attempts: ['尝试次数过多，请稍后再试', 'Too many attempts: try again later'],
  // The hub or another part failed.
  storage: ['证照系统存储故障，请稍后再试', 'The hub’s storage failed: try again later'],
  internal: ['证照系统内部错误，请稍后再试', 'The hub failed: try again later'],
  unexpected_response: ['证照系统的应答无法识别', 'The hub answered something unexpected'],
  face_unavailable: ['人脸核验暂不可用', 'Face checking is not available now'],
  server_busy: ['系统繁忙，请稍后重试', 'The hub is busy: try again shortly'],
  no_route: ['连接不到该地区的证照系统', 'No hub is known for that region'],
  peer_unreachable: ['持证地的证照系统暂时连接不上，请稍后再试', 'The hub that holds it cannot be reached now'],
  // The pages', the wallet's and its shell's own.
  unreachable: ['连接不到证照系统，请检查网络后重试', 'The hub cannot be reached: check the network and retry'],
  camera_unavailable: [
    '摄像头不可用或未获授权，请改用扫码枪、图片或粘贴',
    'No camera, or access was refused: use the scanner, an image or paste',
  ],
  offline: ['连接不到证照系统，请联网后重试', 'The hub cannot be reached: try again when online'],
  not_enrolled: ['本设备尚未登记', 'This device is not enrolled'],
  wrong_pin: ['密码错误', 'Wrong PIN'],
  pin_required: ['请先输入密码', 'Enter your PIN first'],
  bad_pin_verifier: ['密码数据有误，请重新输入', 'The PIN could not be read: enter it again'],
  pin_locked: ['密码错误次数过多，授权已暂时锁定，请稍后再试', 'Too many wrong PINs: approvals are locked for a while'],
  bad_pin: ['密码须为6位数字', 'The PIN must be 6 digits'],
  pin_mismatch: ['两次密码不一致', 'The PINs differ'],
  no_handles: ['离线可用的码已用完，请联网', 'No offline codes left: connect once'],
  keyring: ['无法使用系统钥匙串', 'The system keyring is unavailable'],
  store: ['本机数据无法读取或保存', 'The data on this device cannot be read or saved'],
  client: ['应用出错，请重试', 'The app failed: retry'],
  bad_period: ['委托期限为 1 至 366 天', 'A delegation lasts 1 to 366 days'],
  bad_image: ['图片无法读取', 'The image cannot be read'],
  no_code: ['图片中没有找到二维码', 'No QR code in the image'],
  bad_input: ['输入不对', 'Invalid input'],
  qr: ['二维码生成失败', 'The QR code could not be made'],
};

/** The message for `code` in `lang`; `fallback` (the hub's own text) for a code from a newer hub. */
export function errorMessage(code: string, lang: 'zh' | 'en', fallback: string): string {
  const m = (messages as Record<string, [string, string] | undefined>)[code];
  return m ? m[lang === 'zh' ? 0 : 1] : fallback;
}
