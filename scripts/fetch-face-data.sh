#!/usr/bin/env bash
# Fetch the face models and the offline test photos from PyPI, once, into a cache outside the
# clone. Pinned by version and SHA-256. Only the 5-point landmark model and the ResNet
# embedding model are kept: the 68-point model's training data forbids commercial use.
set -euo pipefail
cache="${MZ_FACE_CACHE:-$HOME/.cache/mianzheng/face}"
models="$cache/models" photos="$cache/photos"
if [ -s "$models/dlib_face_recognition_resnet_model_v1.dat" ] && [ -s "$models/shape_predictor_5_face_landmarks.dat" ] \
   && [ -s "$photos/obama.jpg" ]; then
  exit 0
fi
mkdir -p "$models" "$photos"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
python3 -m pip download --quiet --no-deps --no-binary :all: \
  face_recognition_models==0.3.0 face_recognition==1.3.0 -d "$tmp"
(cd "$tmp" && sha256sum -c - <<'SUMS'
b79bd200a88c87c9a9d446c990ae71c5a626d1f3730174e6d570157ff1d896cf  face_recognition_models-0.3.0.tar.gz
5e5efdd1686aa566af0d3cc1313b131e4b197657a8ffd03669e6d3fad92705ec  face_recognition-1.3.0.tar.gz
SUMS
)
tar -xzf "$tmp/face_recognition_models-0.3.0.tar.gz" -C "$tmp" \
  face_recognition_models-0.3.0/face_recognition_models/models/dlib_face_recognition_resnet_model_v1.dat \
  face_recognition_models-0.3.0/face_recognition_models/models/shape_predictor_5_face_landmarks.dat
mv "$tmp"/face_recognition_models-0.3.0/face_recognition_models/models/*.dat "$models/"
# Test photos (MIT, from face_recognition's own tests): three photos of one person, one of another.
tar -xzf "$tmp/face_recognition-1.3.0.tar.gz" -C "$tmp" face_recognition-1.3.0/tests/test_images
cp "$tmp"/face_recognition-1.3.0/tests/test_images/*.jpg "$photos/"
echo "face data in $cache" >&2
