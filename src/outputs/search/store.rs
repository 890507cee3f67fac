//! Finished parts of the search index, kept in `.gazette-cache/search/` beside site.yaml
//! (outside the published folder) so that a build re-indexes only the parts whose
//! stories changed. One file per part: its fingerprint, then its files.
//!
//! A file is replaced whole (`write::replace_file`), so a build killed halfway leaves the
//! old entry or the new one; an entry that cannot be read is simply indexed again.

use std::path::{Path, PathBuf};

use crate::write::Output;

#[derive(Clone)]
pub struct PartStore {
    dir: PathBuf,
}

const MAGIC: &[u8] = b"gazette-search-part 1\n";

impl PartStore {
    /// The store of the site at `root`.
    pub fn beside(root: &Path) -> PartStore {
        PartStore {
            dir: root.join(crate::images::cache::FOLDER).join("search"),
        }
    }

    /// The files of part `name` if they were stored with this fingerprint.
    pub fn get(&self, name: &str, fingerprint: u128) -> Option<Vec<Output>> {
        let bytes = std::fs::read(self.file(name)).ok()?;
        let rest = bytes.strip_prefix(MAGIC)?;
        let (stored, mut rest) = take(rest, 16)?;
        if u128::from_le_bytes(stored.try_into().ok()?) != fingerprint {
            return None;
        }
        let mut files = Vec::new();
        while !rest.is_empty() {
            let (path, after) = take_sized(rest)?;
            let (bytes, after) = take_sized(after)?;
            files.push(Output::new(std::str::from_utf8(path).ok()?, bytes));
            rest = after;
        }
        Some(files)
    }

    /// Keeps part `name`'s files under `fingerprint`. Best effort: a store that cannot be
    /// written only means the next build indexes the part again.
    pub fn put(&self, name: &str, fingerprint: u128, files: &[Output]) {
        let mut bytes = MAGIC.to_vec();
        bytes.extend_from_slice(&fingerprint.to_le_bytes());
        for f in files {
            for piece in [f.path.as_bytes(), &f.bytes] {
                bytes.extend_from_slice(&(piece.len() as u64).to_le_bytes());
                bytes.extend_from_slice(piece);
            }
        }
        let _ = crate::write::replace_file(&self.file(name), &bytes);
    }

    /// Removes the stored parts not named in `names`: those of periods that lost all their
    /// stories, or that an earlier version cut differently, which would otherwise stay
    /// forever. Best effort, like `put`.
    pub fn keep_only(&self, names: &[String]) {
        let Ok(entries) = std::fs::read_dir(&self.dir) else {
            return;
        };
        for path in entries.filter_map(Result::ok).map(|e| e.path()) {
            let part = path.extension().is_some_and(|e| e == "part");
            let name = path.file_stem().and_then(|s| s.to_str());
            if part && !name.is_some_and(|name| names.iter().any(|n| n == name)) {
                let _ = std::fs::remove_file(path);
            }
        }
    }

    fn file(&self, name: &str) -> PathBuf {
        self.dir.join(format!("{name}.part"))
    }
}

fn take(bytes: &[u8], n: usize) -> Option<(&[u8], &[u8])> {
    (bytes.len() >= n).then(|| bytes.split_at(n))
}

fn take_sized(bytes: &[u8]) -> Option<(&[u8], &[u8])> {
    let (len, rest) = take(bytes, 8)?;
    let len = usize::try_from(u64::from_le_bytes(len.try_into().ok()?)).ok()?;
    take(rest, len)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_part_comes_back_only_under_its_fingerprint() {
        let dir = tempfile::tempdir().unwrap();
        let store = PartStore::beside(dir.path());
        let files = vec![
            Output::new("pagefind-entry.json", "{}"),
            Output::new("index/zh_1.pf_index", vec![0u8, 1, 2]),
        ];
        store.put("2024", 7, &files);
        let back = store.get("2024", 7).unwrap();
        assert_eq!(back.len(), 2);
        assert_eq!(back[1].path, "index/zh_1.pf_index");
        assert_eq!(back[1].bytes, [0, 1, 2]);
        assert!(store.get("2024", 8).is_none());
        assert!(store.get("2023", 7).is_none());
        // A torn entry is not trusted.
        let file = store.file("2024");
        let bytes = std::fs::read(&file).unwrap();
        std::fs::write(&file, &bytes[..bytes.len() - 1]).unwrap();
        assert!(store.get("2024", 7).is_none());
    }

    #[test]
    fn only_the_parts_named_are_kept() {
        let dir = tempfile::tempdir().unwrap();
        let store = PartStore::beside(dir.path());
        let files = vec![Output::new("pagefind-entry.json", "{}")];
        for name in ["2023", "2024-q1", "2024-q2"] {
            store.put(name, 7, &files);
        }
        std::fs::write(store.dir.join("notes.txt"), "not a part").unwrap();
        store.keep_only(&["2024-q1".to_string(), "2024-q2".to_string()]);
        assert!(store.get("2023", 7).is_none());
        assert!(store.get("2024-q1", 7).is_some());
        assert!(store.get("2024-q2", 7).is_some());
        assert!(store.dir.join("notes.txt").exists());
    }
}
