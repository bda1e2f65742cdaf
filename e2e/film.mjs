// A clip standing in for the camera (the suites' browsers have no camera with a face): the
// register's photo of 王秀英 in the demo is obama3.jpg; the clip is synthesised by `mz-face
// film` from another photo of the same person (obama.jpg), performing the challenge's moves.
import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

export const PHOTOS = process.env.MZ_FACE_PHOTOS ?? join(process.env.HOME, '.cache/mianzheng/face/photos');
const FACE = process.env.MZ_FACE_BIN ?? join(process.env.MZ_HUB_BIN ?? '', '..', 'mz-face');

let take = 100;

/** Film the moves of `steps` (the challenge's poses: front, move, front, …) into `dir`; the
 * frames' paths, in order. */
export function filmClip(steps, dir) {
  const moves = steps.filter((_, i) => i % 2 === 1);
  execFileSync(FACE, [
    'film',
    join(PHOTOS, 'obama.jpg'),
    '--moves',
    moves.join(','),
    '--out',
    dir,
    '--take',
    String(take++),
  ]);
  return readdirSync(dir)
    .filter((f) => f.endsWith('.jpg'))
    .sort()
    .map((f) => join(dir, f));
}
