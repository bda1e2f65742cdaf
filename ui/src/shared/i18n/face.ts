// The live face check's words (zh-CN first, English): its prompts and the filming.

export const zh = {
  film_front: '请正视镜头',
  film_turn_left: '请慢慢向左转头',
  film_turn_right: '请慢慢向右转头',
  film_look_up: '请慢慢抬头',
  film_start: '开始人脸核验',
  film_filming: '第 {i}/{n} 步',
  film_hold: '正在拍摄',
  film_no_camera: '没有可用的摄像头：请选择按提示动作拍摄的视频画面（按文件名顺序，每秒 5 帧）。',
  film_use_files: '改为选择视频画面',
  film_frames_label: '视频画面（{min}–{max} 张）',
  film_send: '提交核验',
  film_guide: '请让被核验人面对摄像头，光线充足，画面中只有一张脸。按提示依次慢慢完成动作，镜头会一直拍摄。',
  film_sending: '正在核验…',
};

export const en: Record<keyof typeof zh, string> = {
  film_front: 'Look straight at the camera',
  film_turn_left: 'Slowly turn your head to your left',
  film_turn_right: 'Slowly turn your head to your right',
  film_look_up: 'Slowly raise your chin and look up',
  film_start: 'Start the face check',
  film_filming: 'Step {i} of {n}',
  film_hold: 'filming',
  film_no_camera:
    'No camera available: choose the frames of a clip filmed while following the prompts (in file-name order, 5 frames a second).',
  film_use_files: 'Choose clip frames instead',
  film_frames_label: 'Clip frames ({min}–{max})',
  film_send: 'Send for checking',
  film_guide:
    'Face the camera in good light, with only one face in view. Follow the prompts slowly, one after another: the camera keeps filming.',
  film_sending: 'Checking…',
};
