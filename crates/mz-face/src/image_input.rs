//! Decoding untrusted image bytes with limits, and the image measures the verifier needs.

use crate::{Backdrop, FaceError, ImageKind, MAX_IMAGE_BYTES, MAX_IMAGE_SIDE};
use image::imageops::FilterType;
use image::{GrayImage, ImageFormat, RgbImage};
use std::io::Cursor;

/// Longest side a live frame is analysed at (HOG detection time grows with the area).
pub const LIVE_SIDE: u32 = 800;
/// Longest side a reference photo is brought to (small ID photos are enlarged).
pub const REFERENCE_SIDE: u32 = 600;

/// Decode JPEG or PNG bytes, refusing oversize input before decoding it, and scale it for
/// analysis. Returns the image and the factor it was scaled by.
pub fn decode(bytes: &[u8], kind: ImageKind) -> Result<(RgbImage, f32), FaceError> {
    if bytes.len() > MAX_IMAGE_BYTES {
        return Err(FaceError::TooLarge(format!(
            "{} bytes; at most {}",
            bytes.len(),
            MAX_IMAGE_BYTES
        )));
    }
    let format = match image::guess_format(bytes) {
        Ok(f @ (ImageFormat::Jpeg | ImageFormat::Png)) => f,
        _ => return Err(FaceError::Unreadable),
    };
    let mut reader = image::io::Reader::with_format(Cursor::new(bytes), format);
    let mut limits = image::io::Limits::default();
    limits.max_image_width = Some(MAX_IMAGE_SIDE);
    limits.max_image_height = Some(MAX_IMAGE_SIDE);
    limits.max_alloc = Some(256 * 1024 * 1024);
    reader.limits(limits);
    let img = reader.decode().map_err(|e| match e {
        image::ImageError::Limits(_) => {
            FaceError::TooLarge(format!("at most {MAX_IMAGE_SIDE} px per side"))
        }
        _ => FaceError::Unreadable,
    })?;
    if img.width() < 32 || img.height() < 32 {
        return Err(FaceError::Unreadable);
    }
    let rgb = img.to_rgb8();
    let longest = rgb.width().max(rgb.height());
    let target = match kind {
        ImageKind::Live => longest.min(LIVE_SIDE),
        ImageKind::Reference if longest < REFERENCE_SIDE => REFERENCE_SIDE,
        ImageKind::Reference => longest.min(LIVE_SIDE),
    };
    if target == longest {
        return Ok((rgb, 1.0));
    }
    let scale = target as f32 / longest as f32;
    let (w, h) = (
        ((rgb.width() as f32) * scale).round().max(1.0) as u32,
        ((rgb.height() as f32) * scale).round().max(1.0) as u32,
    );
    Ok((
        image::imageops::resize(&rgb, w, h, FilterType::Triangle),
        scale,
    ))
}

/// The frame as a small grey thumbnail, with the face's box (widened for hair and shoulders)
/// in thumbnail coordinates.
pub fn backdrop(img: &RgbImage, left: i64, top: i64, right: i64, bottom: i64) -> Backdrop {
    let gray = image::imageops::grayscale(img);
    let small = image::imageops::resize(&gray, Backdrop::W, Backdrop::H, FilterType::Triangle);
    let (sx, sy) = (
        Backdrop::W as f32 / img.width() as f32,
        Backdrop::H as f32 / img.height() as f32,
    );
    let (w, h) = ((right - left) as f32, (bottom - top) as f32);
    let clamp = |v: f32, max: u32| v.round().clamp(0.0, max as f32) as u32;
    Backdrop {
        pixels: small.into_raw(),
        face: [
            clamp((left as f32 - 0.5 * w) * sx, Backdrop::W),
            clamp((top as f32 - 0.6 * h) * sy, Backdrop::H),
            clamp((right as f32 + 0.5 * w) * sx, Backdrop::W),
            clamp((bottom as f32 + 0.8 * h) * sy, Backdrop::H),
        ],
    }
}

/// Variance of the 4-neighbour Laplacian of a grey image: a standard focus measure.
pub fn laplacian_variance(g: &GrayImage) -> f32 {
    let (w, h) = g.dimensions();
    if w < 3 || h < 3 {
        return 0.0;
    }
    let (mut sum, mut sum2, mut n) = (0f64, 0f64, 0f64);
    for y in 1..h - 1 {
        for x in 1..w - 1 {
            let p = |dx: i32, dy: i32| {
                g.get_pixel((x as i32 + dx) as u32, (y as i32 + dy) as u32)
                    .0[0] as f64
            };
            let l = p(-1, 0) + p(1, 0) + p(0, -1) + p(0, 1) - 4.0 * p(0, 0);
            sum += l;
            sum2 += l * l;
            n += 1.0;
        }
    }
    let mean = sum / n;
    (sum2 / n - mean * mean) as f32
}

/// The face region, grey, at a fixed size so sharpness compares across image sizes.
pub fn face_crop(img: &RgbImage, left: i64, top: i64, right: i64, bottom: i64) -> GrayImage {
    let l = left.clamp(0, img.width() as i64 - 1) as u32;
    let t = top.clamp(0, img.height() as i64 - 1) as u32;
    let r = right.clamp(l as i64 + 1, img.width() as i64) as u32;
    let b = bottom.clamp(t as i64 + 1, img.height() as i64) as u32;
    let crop = image::imageops::crop_imm(img, l, t, r - l, b - t).to_image();
    let grey = image::DynamicImage::ImageRgb8(crop).to_luma8();
    image::imageops::resize(&grey, 128, 128, FilterType::Triangle)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn jpeg(w: u32, h: u32) -> Vec<u8> {
        let img = RgbImage::from_fn(w, h, |x, y| {
            image::Rgb([(x % 256) as u8, (y % 256) as u8, 90])
        });
        let mut out = Cursor::new(Vec::new());
        image::DynamicImage::ImageRgb8(img)
            .write_to(&mut out, ImageFormat::Jpeg)
            .unwrap();
        out.into_inner()
    }

    #[test]
    fn refuses_corrupt_truncated_and_huge_images() {
        assert_eq!(
            decode(b"", ImageKind::Live).unwrap_err(),
            FaceError::Unreadable
        );
        assert_eq!(
            decode(b"GIF89a......", ImageKind::Live).unwrap_err(),
            FaceError::Unreadable
        );
        let good = jpeg(200, 150);
        assert!(decode(&good, ImageKind::Live).is_ok());
        assert_eq!(
            decode(&good[..good.len() / 3], ImageKind::Live).unwrap_err(),
            FaceError::Unreadable
        );
        assert!(matches!(
            decode(&vec![0xFF; MAX_IMAGE_BYTES + 1], ImageKind::Live),
            Err(FaceError::TooLarge(_))
        ));
        // A small file that claims enormous dimensions is refused before it is decoded.
        let huge = {
            let img = image::GrayImage::new(1, 1);
            let mut out = Cursor::new(Vec::new());
            image::DynamicImage::ImageLuma8(img)
                .write_to(&mut out, ImageFormat::Png)
                .unwrap();
            let mut b = out.into_inner();
            // IHDR width and height live at bytes 16..24; the CRC no longer matches either way.
            b[16..20].copy_from_slice(&100_000u32.to_be_bytes());
            b[20..24].copy_from_slice(&100_000u32.to_be_bytes());
            b
        };
        assert!(decode(&huge, ImageKind::Live).is_err());
    }

    #[test]
    fn scales_live_frames_down_and_reference_photos_up() {
        let (img, s) = decode(&jpeg(1600, 1200), ImageKind::Live).unwrap();
        assert_eq!((img.width(), img.height()), (800, 600));
        assert!((s - 0.5).abs() < 1e-6);
        let (img, s) = decode(&jpeg(102, 126), ImageKind::Reference).unwrap();
        assert_eq!(img.height(), REFERENCE_SIDE);
        assert!(s > 4.0);
        let (img, _) = decode(&jpeg(640, 480), ImageKind::Live).unwrap();
        assert_eq!(img.width(), 640);
    }

    #[test]
    fn blurring_lowers_the_focus_measure() {
        let img = RgbImage::from_fn(128, 128, |x, y| {
            if (x / 4 + y / 4) % 2 == 0 {
                image::Rgb([255, 255, 255])
            } else {
                image::Rgb([0, 0, 0])
            }
        });
        let sharp = laplacian_variance(&image::DynamicImage::ImageRgb8(img.clone()).to_luma8());
        let blurred = laplacian_variance(
            &image::DynamicImage::ImageRgb8(image::imageops::blur(&img, 3.0)).to_luma8(),
        );
        assert!(sharp > 10.0 * blurred, "sharp {sharp} blurred {blurred}");
    }
}
