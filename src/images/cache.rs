//! The photo cache: derivatives kept across builds in `.gazette-cache/photos/` beside
//! `site.yaml` (outside the output, ignored by git), so an unchanged photo is never decoded
//! again — by `build` or `serve`.
//!
//! An entry is a folder named by the source's content hash and the settings' hash, holding
//! `photo.json` (sizes, credit) and one file per derivative. Hashing a 5 MB photo on every
//! build would cost more than the rest of a warm build, so `by-path/` remembers each source
//! path's size and modification time with the content hash they had; the file is read and
//! hashed again only when either changes. Entries are written into a temporary folder and
//! renamed into place, so a build killed halfway or two builds at once never leave a torn one.

use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

use serde::{Deserialize, Serialize};
use xxhash_rust::xxh3::{xxh3_128, xxh3_64};

use super::process::{self, Processed};
use super::{variant_file, Format, Photo, PhotoError, Settings, Variant};
use crate::diag::Diagnostic;

/// The cache folder, relative to the site root.
pub const FOLDER: &str = ".gazette-cache";

pub struct Cache {
    dir: PathBuf,
    settings: Settings,
    settings_hash: String,
}

#[derive(Serialize, Deserialize)]
struct Manifest {
    width: u32,
    height: u32,
    credit: Option<String>,
    variants: Vec<(u32, u32, Format)>,
}

impl Cache {
    /// The cache of the site at `root`, with the default settings.
    pub fn beside(root: &Path) -> Cache {
        Cache::with_settings(root, Settings::default())
    }

    pub fn with_settings(root: &Path, settings: Settings) -> Cache {
        let settings_hash = format!("{:016x}", xxh3_64(settings.tag().as_bytes()));
        Cache {
            dir: root.join(FOLDER).join("photos"),
            settings,
            settings_hash,
        }
    }

    /// The photo at `path`, published under `name`: from the cache, or made and cached.
    pub fn photo(&self, path: &Path, name: &str) -> Result<Photo, PhotoError> {
        let meta = std::fs::metadata(path).map_err(|e| PhotoError::Read(e.to_string()))?;
        let mtime = meta
            .modified()
            .ok()
            .and_then(|m| m.duration_since(UNIX_EPOCH).ok())
            .map_or(0, |d| d.as_nanos());
        let stat = format!("{} {mtime}", meta.len());
        let index = self.dir.join("by-path").join(format!(
            "{:016x}",
            xxh3_64(path.to_string_lossy().as_bytes())
        ));
        let remembered = std::fs::read_to_string(&index).ok().and_then(|t| {
            let (s, hash) = t.rsplit_once(' ')?;
            (s == stat).then(|| hash.trim().to_string())
        });
        let mut bytes = None;
        let content = match remembered {
            Some(hash) => hash,
            None => {
                let b = std::fs::read(path).map_err(|e| PhotoError::Read(e.to_string()))?;
                let hash = format!("{:032x}", xxh3_128(&b));
                // Best effort: without the index the next build only hashes again.
                let _ = std::fs::create_dir_all(self.dir.join("by-path"))
                    .and_then(|()| std::fs::write(&index, format!("{stat} {hash}")));
                bytes = Some(b);
                hash
            }
        };
        let key = format!("{content}-{}", self.settings_hash);
        if let Some(manifest) = self.read_manifest(&key) {
            return Ok(photo_from(manifest, name, key));
        }
        let bytes = match bytes {
            Some(b) => b,
            None => std::fs::read(path).map_err(|e| PhotoError::Read(e.to_string()))?,
        };
        let ext = super::extension(path);
        if let Some(format) = process::unsupported_format(&bytes, &ext) {
            return Err(PhotoError::Unsupported(format.to_string()));
        }
        let processed = process::process(&bytes, &self.settings)?;
        let manifest = self.store(&key, processed);
        Ok(photo_from(manifest, name, key))
    }

    fn read_manifest(&self, key: &str) -> Option<Manifest> {
        let text = std::fs::read(self.dir.join(key).join("photo.json")).ok()?;
        serde_json::from_slice(&text).ok()
    }

    /// Writes an entry (best effort: a read-only cache only means the work is done again).
    fn store(&self, key: &str, processed: Processed) -> Manifest {
        let manifest = Manifest {
            width: processed.width,
            height: processed.height,
            credit: processed.credit,
            variants: processed
                .variants
                .iter()
                .map(|v| (v.width, v.height, v.format))
                .collect(),
        };
        let tmp = self.dir.join(format!(
            ".tmp-{key}-{}-{:?}",
            std::process::id(),
            std::thread::current().id()
        ));
        let written = (|| -> std::io::Result<()> {
            std::fs::create_dir_all(&tmp)?;
            for v in &processed.variants {
                std::fs::write(tmp.join(entry_file(v.width, v.format)), &v.bytes)?;
            }
            let json = serde_json::to_vec(&manifest).map_err(std::io::Error::other)?;
            std::fs::write(tmp.join("photo.json"), json)?;
            std::fs::rename(&tmp, self.dir.join(key))
        })();
        if written.is_err() {
            let _ = std::fs::remove_dir_all(&tmp);
        }
        manifest
    }

    /// The bytes of one derivative of `photo`.
    pub fn read_variant(&self, photo: &Photo, v: &Variant) -> Result<Vec<u8>, Diagnostic> {
        let path = self
            .dir
            .join(&photo.key)
            .join(entry_file(v.width, v.format));
        std::fs::read(&path).map_err(|e| {
            Diagnostic::error(&path, msg!("photo.cache_read", error = &e))
                .with_hint(msg!("photo.cache_read.hint", folder = FOLDER))
        })
    }
}

fn entry_file(width: u32, format: Format) -> String {
    format!("{width}.{}", format.extension())
}

fn photo_from(m: Manifest, name: &str, key: String) -> Photo {
    let variant = |&(width, height, format): &(u32, u32, Format), suffix: String| Variant {
        file: variant_file(name, &suffix, format),
        width,
        height,
        format,
    };
    let webp = m
        .variants
        .iter()
        .filter(|v| v.2 == Format::WebP)
        .map(|v| variant(v, v.0.to_string()))
        .collect();
    let card = m
        .variants
        .iter()
        .find(|v| v.2 == Format::Jpeg)
        .map(|v| variant(v, "card".to_string()))
        .unwrap_or_else(|| Variant {
            file: variant_file(name, "card", Format::Jpeg),
            width: m.width,
            height: m.height,
            format: Format::Jpeg,
        });
    Photo {
        width: m.width,
        height: m.height,
        credit: m.credit,
        webp,
        card,
        key,
    }
}
