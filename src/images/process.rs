//! One photo's bytes → its derivatives: decode once (with limits), turn the pixels upright
//! by the EXIF orientation, resize to each width, encode WebP and one JPEG. Nothing of the
//! original's metadata is copied: the encoders are handed bare pixels.

use std::io::Cursor;

use image::{DynamicImage, ImageDecoder, ImageFormat, ImageReader, Limits};

use super::{Format, PhotoError, Settings};

/// Past this many pixels a file is treated as a decompression bomb: 100 megapixels is
/// beyond any camera a newsroom uses (phones top out near 50 MP), and decoding it takes
/// 300 MB of memory per photo, times the number of cores.
pub const MAX_PIXELS: u64 = 100_000_000;
/// No side longer than this, whatever the pixel count (a 1 × 200,000 strip is a bomb too).
const MAX_SIDE: u32 = 30_000;

/// An encoded derivative before it is cached.
pub struct Encoded {
    pub width: u32,
    pub height: u32,
    pub format: Format,
    pub bytes: Vec<u8>,
}

/// What decoding one photo yields.
pub struct Processed {
    /// Upright size of the original.
    pub width: u32,
    pub height: u32,
    pub credit: Option<String>,
    pub variants: Vec<Encoded>,
}

/// Formats phones and cameras write that browsers cannot show and we do not decode.
pub fn unsupported_format(bytes: &[u8], extension: &str) -> Option<&'static str> {
    let brand = bytes
        .get(8..12)
        .filter(|_| bytes.get(4..8) == Some(b"ftyp"));
    if let Some(brand) = brand {
        if matches!(
            brand,
            b"heic" | b"heix" | b"hevc" | b"mif1" | b"msf1" | b"heim" | b"heis"
        ) {
            return Some("HEIC/HEIF");
        }
        if brand == b"avif" || brand == b"avis" {
            return Some("AVIF");
        }
        if brand == b"crx " {
            return Some("camera RAW (CR3)");
        }
    }
    match extension {
        "heic" | "heif" | "hif" => Some("HEIC/HEIF"),
        "cr2" | "cr3" | "nef" | "nrw" | "arw" | "dng" | "raf" | "orf" | "rw2" | "pef" | "srw" => {
            Some("camera RAW")
        }
        "tif" | "tiff" => Some("TIFF"),
        _ => None,
    }
}

pub fn process(bytes: &[u8], settings: &Settings) -> Result<Processed, PhotoError> {
    let mut reader = ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|e| PhotoError::Corrupt(e.to_string()))?;
    let format = reader.format().ok_or(PhotoError::Unrecognized)?;
    if !matches!(
        format,
        ImageFormat::Jpeg | ImageFormat::Png | ImageFormat::WebP
    ) {
        return Err(PhotoError::Unsupported(format!("{format:?}")));
    }
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    limits.max_alloc = Some(MAX_PIXELS * 4 + (64 << 20));
    reader.limits(limits);
    let mut decoder = reader.into_decoder().map_err(decode_error)?;
    let (w, h) = decoder.dimensions();
    if u64::from(w) * u64::from(h) > MAX_PIXELS {
        return Err(PhotoError::TooLarge {
            width: w,
            height: h,
        });
    }
    let orientation = decoder.orientation().map_err(decode_error)?;
    let credit = decoder
        .exif_metadata()
        .ok()
        .flatten()
        .and_then(|raw| artist(&raw));
    let mut img = DynamicImage::from_decoder(decoder).map_err(decode_error)?;
    img.apply_orientation(orientation);
    let rgb = img.into_rgb8();
    let (width, height) = rgb.dimensions();
    let original = Pixels {
        width,
        height,
        rgb: rgb.into_raw(),
    };
    let variants = derive(&original, settings)?;
    Ok(Processed {
        width,
        height,
        credit,
        variants,
    })
}

fn decode_error(e: image::ImageError) -> PhotoError {
    match e {
        image::ImageError::Limits(_) => PhotoError::TooLarge {
            width: 0,
            height: 0,
        },
        image::ImageError::Unsupported(u) => PhotoError::Unsupported(u.to_string()),
        other => PhotoError::Corrupt(other.to_string().trim().to_string()),
    }
}

/// The photographer's name from EXIF `Artist`, if the camera was set up to write one.
fn artist(raw_exif: &[u8]) -> Option<String> {
    let exif = exif::Reader::new().read_raw(raw_exif.to_vec()).ok()?;
    let field = exif.get_field(exif::Tag::Artist, exif::In::PRIMARY)?;
    let exif::Value::Ascii(parts) = &field.value else {
        return None;
    };
    let name = parts
        .iter()
        .map(|p| String::from_utf8_lossy(p).trim().to_string())
        .find(|s| !s.is_empty())?;
    Some(name)
}

/// Target widths for a photo `width` pixels wide: the configured ones below it, and the
/// photo's own width when it is narrower than the largest (never upscaled).
pub fn widths_for(width: u32, settings: &Settings) -> Vec<u32> {
    let mut out: Vec<u32> = settings
        .widths
        .iter()
        .copied()
        .filter(|&w| w < width)
        .collect();
    let largest = settings.widths.iter().copied().max().unwrap_or(width);
    if width <= largest {
        out.push(width);
    }
    out.sort_unstable();
    out.dedup();
    out
}

fn scaled_height(src_w: u32, src_h: u32, w: u32) -> u32 {
    let h = (u64::from(src_h) * u64::from(w) + u64::from(src_w) / 2) / u64::from(src_w);
    (h as u32).max(1)
}

/// Packed 8-bit RGB pixels.
struct Pixels {
    width: u32,
    height: u32,
    rgb: Vec<u8>,
}

/// Resizes largest first and makes each smaller size from the one above it: a 1600-px
/// image is a fine source for 960 and 480, and resampling it is far cheaper than the original.
fn derive(original: &Pixels, settings: &Settings) -> Result<Vec<Encoded>, PhotoError> {
    let (ow, oh) = (original.width, original.height);
    let mut targets: Vec<(u32, Format)> = widths_for(ow, settings)
        .into_iter()
        .map(|w| (w, Format::WebP))
        .collect();
    targets.push((settings.card_width.min(ow), Format::Jpeg));
    // Largest first; at equal widths the JPEG and WebP share one resized image.
    targets.sort_by_key(|t| std::cmp::Reverse(t.0));
    let mut current: Option<Pixels> = None;
    let mut out = Vec::with_capacity(targets.len());
    for (w, format) in targets {
        let reuse = current.as_ref().is_some_and(|c| c.width == w);
        if !reuse && w != ow {
            let src = current.as_ref().unwrap_or(original);
            let h = scaled_height(ow, oh, w);
            let rgb = gazette_pixels::resize_rgb(&src.rgb, src.width, src.height, w, h)
                .map_err(PhotoError::Corrupt)?;
            current = Some(Pixels {
                width: w,
                height: h,
                rgb,
            });
        }
        let img = match &current {
            Some(c) if c.width == w => c,
            _ => original,
        };
        out.push(Encoded {
            width: img.width,
            height: img.height,
            format,
            bytes: encode(img, format, settings)?,
        });
    }
    out.reverse();
    Ok(out)
}

fn encode(img: &Pixels, format: Format, settings: &Settings) -> Result<Vec<u8>, PhotoError> {
    let (w, h) = (img.width, img.height);
    match format {
        Format::WebP => Ok(webp::Encoder::from_rgb(&img.rgb, w, h)
            .encode(settings.webp_quality)
            .to_vec()),
        Format::Jpeg => {
            let mut bytes = Vec::new();
            let mut enc = jpeg_encoder::Encoder::new(&mut bytes, settings.jpeg_quality);
            enc.set_progressive(true);
            let (w16, h16) = (u16::try_from(w), u16::try_from(h));
            let (Ok(w16), Ok(h16)) = (w16, h16) else {
                return Err(PhotoError::TooLarge {
                    width: w,
                    height: h,
                });
            };
            enc.encode(&img.rgb, w16, h16, jpeg_encoder::ColorType::Rgb)
                .map_err(|e| PhotoError::Corrupt(e.to_string()))?;
            Ok(bytes)
        }
    }
}
