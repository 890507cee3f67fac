//! Article photos → light, metadata-free derivatives.
//!
//! Input: an article's bundle files. Output: for each photo (JPEG, PNG or WebP) a [`Photo`]:
//! its upright size, the photographer named in its EXIF, and derivatives — WebP at a few
//! widths (never wider than the original) for `srcset`, and one JPEG at the social-card
//! width that is both `og:image` and the fallback for browsers without WebP. Derivatives are
//! made once per source content and settings and kept in a cache folder beside the site
//! ([`cache`]), so an unchanged photo costs a file lookup on the next build.
//! Errors: [`PhotoError`] per photo (unreadable, corrupt, a decompression bomb, a format
//! browsers cannot show such as HEIC or camera RAW); the pipeline places them at the
//! article line that uses the photo.

pub mod cache;
mod process;

use std::path::Path;
use std::sync::Arc;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::diag::{Diagnostic, Message};
use crate::validate::Article;
use crate::write::Output;
pub use cache::Cache;
pub use process::MAX_PIXELS;

/// Files we turn into derivatives. GIF (animation) and SVG (vector) are published as they are.
const RASTER_EXTENSIONS: &[&str] = &["jpg", "jpeg", "png", "webp"];
/// Files we refuse with a hint to convert: what phones and cameras write but browsers cannot show.
const REFUSED_EXTENSIONS: &[&str] = &[
    "heic", "heif", "hif", "cr2", "cr3", "nef", "nrw", "arw", "dng", "raf", "orf", "rw2", "pef",
    "srw", "tif", "tiff",
];

/// How derivatives are made; part of every cache key.
#[derive(Debug, Clone, PartialEq)]
pub struct Settings {
    /// `srcset` widths in pixels. 480 fills a phone's column at DPR 1 and a listing at DPR 2;
    /// 960 a phone at DPR 2 and the 40-rem article column at DPR 1.5; 1600 large screens.
    pub widths: Vec<u32>,
    /// Width of the JPEG: 1200 px is what Facebook, X and WeChat ask of a link preview.
    pub card_width: u32,
    /// libwebp quality 0–100; 72 keeps photo detail at about a third of JPEG 85's bytes.
    pub webp_quality: f32,
    pub jpeg_quality: u8,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            widths: vec![480, 960, 1600],
            card_width: 1200,
            webp_quality: 72.0,
            jpeg_quality: 80,
        }
    }
}

impl Settings {
    /// A stable text of the settings, hashed into cache keys (bump `v` when encoders change).
    fn tag(&self) -> String {
        format!(
            "v1 {:?} {} {} {}",
            self.widths, self.card_width, self.webp_quality, self.jpeg_quality
        )
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Format {
    WebP,
    Jpeg,
}

impl Format {
    pub fn extension(self) -> &'static str {
        match self {
            Format::WebP => "webp",
            Format::Jpeg => "jpg",
        }
    }
    pub fn mime(self) -> &'static str {
        match self {
            Format::WebP => "image/webp",
            Format::Jpeg => "image/jpeg",
        }
    }
}

/// One published derivative. `file` is relative to the article's page folder.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Variant {
    pub file: String,
    pub width: u32,
    pub height: u32,
    pub format: Format,
}

/// A processed photo, as pages and templates see it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Photo {
    /// Upright pixel size of the original.
    pub width: u32,
    pub height: u32,
    /// The photographer, from EXIF `Artist`; shown only where a theme chooses to.
    pub credit: Option<String>,
    /// WebP derivatives, narrowest first.
    pub webp: Vec<Variant>,
    /// The JPEG: social card and fallback.
    pub card: Variant,
    /// Cache entry holding the derivatives' bytes.
    pub(crate) key: String,
}

impl Photo {
    /// The narrowest WebP at least `width` pixels wide (or the widest there is).
    pub fn at_least(&self, width: u32) -> &Variant {
        self.webp
            .iter()
            .find(|v| v.width >= width)
            .or(self.webp.last())
            .unwrap_or(&self.card)
    }
}

/// Why a photo cannot be published.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PhotoError {
    Read(String),
    /// A format we recognise but do not publish (HEIC, RAW, TIFF, AVIF).
    Unsupported(String),
    Unrecognized,
    Corrupt(String),
    /// Over [`MAX_PIXELS`]: a decompression bomb or a panorama past any page's need.
    TooLarge {
        width: u32,
        height: u32,
    },
}

impl PhotoError {
    pub fn message(&self, name: &str) -> Message {
        let limit = MAX_PIXELS / 1_000_000;
        match self {
            PhotoError::Read(e) => msg!("photo.read", name = name, error = e),
            PhotoError::Unsupported(f) => msg!("photo.unsupported", name = name, format = f),
            PhotoError::Unrecognized => msg!("photo.unrecognized", name = name),
            PhotoError::Corrupt(e) => msg!("photo.corrupt", name = name, error = e),
            PhotoError::TooLarge { width, height } if *width > 0 => msg!(
                "photo.too_large",
                name = name,
                size = format!("{width}×{height}"),
                limit = limit
            ),
            PhotoError::TooLarge { .. } => {
                msg!("photo.declares_too_large", name = name, limit = limit)
            }
        }
    }

    pub fn hint(&self) -> Message {
        match self {
            PhotoError::Read(_) => msg!("photo.read.hint"),
            PhotoError::Unsupported(_) | PhotoError::Unrecognized => msg!("photo.convert.hint"),
            PhotoError::Corrupt(_) => msg!("photo.corrupt.hint"),
            PhotoError::TooLarge { .. } => msg!("photo.too_large.hint"),
        }
    }

    /// The error placed at `line:col` of the article that uses the photo.
    pub fn diagnostic(&self, source: &Path, name: &str, line: usize, col: usize) -> Diagnostic {
        Diagnostic::error(source, self.message(name))
            .at(line, col)
            .with_hint(self.hint())
    }
}

fn extension(path: &Path) -> String {
    path.extension()
        .and_then(|e| e.to_str())
        .unwrap_or_default()
        .to_ascii_lowercase()
}

/// Whether a bundle file is a photo this stage handles (made into derivatives or refused).
pub fn is_photo(path: &Path) -> bool {
    let ext = extension(path);
    RASTER_EXTENSIONS.contains(&ext.as_str()) || REFUSED_EXTENSIONS.contains(&ext.as_str())
}

/// Derivative file name for the photo `name` (bundle-relative): `dir/stem-480.webp`.
fn variant_file(name: &str, suffix: &str, format: Format) -> String {
    let stem = match name.rfind('.') {
        Some(dot) if dot > name.rfind('/').map_or(0, |s| s + 1) => &name[..dot],
        _ => name,
    };
    format!("{stem}-{suffix}.{}", format.extension())
}

/// The social-card URL of a cover `image:` relative to its page, for `og:image` and feeds;
/// a file we publish as it is (GIF, SVG) is its own card.
pub fn card_file(name: &str) -> String {
    if RASTER_EXTENSIONS.contains(&extension(Path::new(name)).as_str()) {
        variant_file(name, "card", Format::Jpeg)
    } else {
        name.to_string()
    }
}

/// Every photo of an article's bundle, made or fetched from the cache, in parallel;
/// keyed by the name the article uses (relative to its folder, `/`-separated).
pub fn photos_of(
    root: &Path,
    a: &Article,
    cache: &Cache,
) -> Vec<(String, Result<Arc<Photo>, PhotoError>)> {
    a.assets
        .par_iter()
        .filter(|p| is_photo(p))
        .map(|p| {
            let name = a.bundle_relative(p);
            let photo = cache.photo(&root.join(p), &name).map(Arc::new);
            (name, photo)
        })
        .collect()
}

/// The derivatives of `photo` as output files beside the article's page.
pub fn outputs(a: &Article, photo: &Photo, cache: &Cache) -> Result<Vec<Output>, Diagnostic> {
    photo
        .webp
        .iter()
        .chain(std::iter::once(&photo.card))
        .map(|v| {
            let bytes = cache.read_variant(photo, v)?;
            Ok(Output::new(format!("{}{}", a.path, v.file), bytes))
        })
        .collect()
}

#[cfg(test)]
impl Photo {
    /// A photo as the cache would describe it, for markup tests.
    pub fn sample(name: &str, width: u32, height: u32) -> Photo {
        let settings = Settings::default();
        let webp = process::widths_for(width, &settings)
            .into_iter()
            .map(|w| Variant {
                file: variant_file(name, &w.to_string(), Format::WebP),
                width: w,
                height: height * w / width,
                format: Format::WebP,
            })
            .collect();
        let cw = settings.card_width.min(width);
        Photo {
            width,
            height,
            credit: None,
            webp,
            card: Variant {
                file: variant_file(name, "card", Format::Jpeg),
                width: cw,
                height: height * cw / width,
                format: Format::Jpeg,
            },
            key: String::new(),
        }
    }
}
