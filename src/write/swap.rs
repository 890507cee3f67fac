//! Putting a finished site in place of the live one, so that a reader (or a kill) sees the
//! old site or the new one, never a mix.
//!
//! On Linux `renameat2(RENAME_EXCHANGE)` swaps two folders in one step. Where the system
//! or the file system lacks it, the old site is renamed aside and the new one renamed in:
//! two steps, with a moment in between when the output folder does not exist (but is
//! never half old, half new).

use std::path::Path;

use crate::diag::Diagnostic;

/// How the new site went in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Swapped {
    /// The two folders traded places: the old site is now at the staging path.
    Exchanged,
    /// The old site was moved to `old` and the new one renamed in.
    MovedAside,
    /// There was no old site.
    Placed,
}

/// Puts `staging` at `dir`; the previous site ends up at `staging` or `old`, as returned.
pub fn swap_in(staging: &Path, dir: &Path, old: &Path) -> Result<Swapped, Diagnostic> {
    if !dir.exists() {
        std::fs::rename(staging, dir).map_err(|e| {
            Diagnostic::error(dir, msg!("write.move_into_place", error = &e))
                .with_hint(msg!("write.unpublished.hint", staging = staging.display()))
        })?;
        return Ok(Swapped::Placed);
    }
    if exchange(staging, dir).is_ok() {
        return Ok(Swapped::Exchanged);
    }
    std::fs::rename(dir, old).map_err(|e| {
        Diagnostic::error(dir, msg!("write.move_aside", error = &e))
            .with_hint(msg!("write.move_aside.hint"))
    })?;
    if let Err(e) = std::fs::rename(staging, dir) {
        let restored = std::fs::rename(old, dir).is_ok();
        let state = if restored {
            msg!("write.restored.hint")
        } else {
            msg!(
                "write.nothing_live.hint",
                dir = dir.display(),
                old = old.display(),
                staging = staging.display()
            )
        };
        return Err(
            Diagnostic::error(dir, msg!("write.move_into_place", error = &e)).with_hint(state),
        );
    }
    Ok(Swapped::MovedAside)
}

#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> std::io::Result<()> {
    use rustix::fs::{renameat_with, RenameFlags, CWD};
    renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE).map_err(std::io::Error::from)
}

#[cfg(not(target_os = "linux"))]
fn exchange(_: &Path, _: &Path) -> std::io::Result<()> {
    Err(std::io::Error::from(std::io::ErrorKind::Unsupported))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn two_folders_trade_places() {
        let tmp = std::env::temp_dir().join(format!("gazette-swap-{}", std::process::id()));
        let (a, b, old) = (tmp.join("a"), tmp.join("b"), tmp.join("old"));
        let _ = std::fs::remove_dir_all(&tmp);
        std::fs::create_dir_all(&a).unwrap();
        std::fs::create_dir_all(&b).unwrap();
        std::fs::write(a.join("new.txt"), "new").unwrap();
        std::fs::write(b.join("old.txt"), "old").unwrap();
        let how = swap_in(&a, &b, &old).unwrap();
        assert!(b.join("new.txt").exists());
        match how {
            Swapped::Exchanged => assert!(a.join("old.txt").exists()),
            Swapped::MovedAside => assert!(old.join("old.txt").exists()),
            Swapped::Placed => panic!("there was an old site"),
        }
        let _ = std::fs::remove_dir_all(&tmp);
    }
}
