//! Finding a theme's templates and static files: the site's own `templates/` and
//! `static/` first, then `themes/NAME/` in the site, then the built-in `bulletin` theme.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use include_dir::{include_dir, Dir};
use walkdir::WalkDir;

use crate::diag::Diagnostic;

/// The default theme, compiled into the binary so a site needs no `themes/` folder.
static BUILTIN: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/themes/bulletin");
pub const BUILTIN_NAME: &str = "bulletin";
/// Templates a theme may lack: the built-in theme's are used instead.
const LATER_TEMPLATES: &[&str] = &["withdrawn.html"];

/// A template and where it came from, for error messages.
#[derive(Debug, Clone)]
pub struct TemplateSource {
    pub name: String,
    pub text: String,
    /// What to show the user: a path relative to the site root, or the built-in theme's.
    pub shown_path: PathBuf,
}

/// A static file and where it came from, for error messages.
#[derive(Debug, Clone)]
pub struct StaticFile {
    pub bytes: Vec<u8>,
    /// A path relative to the site root, or the built-in theme's.
    pub shown_path: PathBuf,
}

#[derive(Debug, Clone, Default)]
pub struct Theme {
    pub templates: Vec<TemplateSource>,
    /// Site-relative output path → file, site's files over the theme's.
    pub statics: BTreeMap<String, StaticFile>,
}

/// Loads theme `name` for the site at `root`, applying the site's overrides.
pub fn load(root: &Path, name: &str, theme_line: (usize, usize)) -> Result<Theme, Vec<Diagnostic>> {
    let mut templates: BTreeMap<String, TemplateSource> = BTreeMap::new();
    let mut statics = BTreeMap::new();
    let mut diags = Vec::new();
    let theme_dir = root.join("themes").join(name);
    if theme_dir.is_dir() {
        read_dir_into(
            root,
            &theme_dir.join("templates"),
            &mut diags,
            |rel, bytes, shown| insert_template(&mut templates, rel, bytes, shown),
        );
        read_dir_into(
            root,
            &theme_dir.join("static"),
            &mut diags,
            |rel, bytes, shown_path| {
                statics.insert(rel, StaticFile { bytes, shown_path });
            },
        );
    } else if name == BUILTIN_NAME {
        for file in files_of(&BUILTIN) {
            let rel = file.path().to_string_lossy().replace('\\', "/");
            let shown = PathBuf::from(format!("(built-in theme {BUILTIN_NAME})/{rel}"));
            if let Some(t) = rel.strip_prefix("templates/") {
                insert_template(
                    &mut templates,
                    t.to_string(),
                    file.contents().to_vec(),
                    shown,
                );
            } else if let Some(s) = rel.strip_prefix("static/") {
                let file = StaticFile {
                    bytes: file.contents().to_vec(),
                    shown_path: shown,
                };
                statics.insert(s.to_string(), file);
            }
        }
    } else {
        let (line, col) = theme_line;
        return Err(vec![Diagnostic::error(
            "site.yaml",
            msg!("theme.missing", name = name),
        )
        .at(line, col)
        .with_hint(msg!(
            "theme.missing.hint",
            name = name,
            builtin = BUILTIN_NAME
        ))]);
    }
    read_dir_into(
        root,
        &root.join("templates"),
        &mut diags,
        |rel, bytes, shown| insert_template(&mut templates, rel, bytes, shown),
    );
    read_dir_into(
        root,
        &root.join("static"),
        &mut diags,
        |rel, bytes, shown_path| {
            statics.insert(rel, StaticFile { bytes, shown_path });
        },
    );
    if !diags.is_empty() {
        return Err(diags);
    }
    // Pages added after a site's own theme was made come from the built-in theme, so the
    // theme still builds and the page still looks like the site (it extends base.html).
    for name in LATER_TEMPLATES {
        let path = format!("templates/{name}");
        if let (false, Some(file)) = (templates.contains_key(*name), BUILTIN.get_file(&path)) {
            let shown = PathBuf::from(format!("(built-in theme {BUILTIN_NAME})/{path}"));
            insert_template(
                &mut templates,
                name.to_string(),
                file.contents().to_vec(),
                shown,
            );
        }
    }
    Ok(Theme {
        templates: templates.into_values().collect(),
        statics,
    })
}

fn insert_template(
    map: &mut BTreeMap<String, TemplateSource>,
    name: String,
    bytes: Vec<u8>,
    shown: PathBuf,
) {
    let text = String::from_utf8_lossy(&bytes).into_owned();
    map.insert(
        name.clone(),
        TemplateSource {
            name,
            text,
            shown_path: shown,
        },
    );
}

/// Every file of the built-in theme: its path in the theme (`templates/base.html`) and bytes.
pub fn builtin_files() -> Vec<(String, &'static [u8])> {
    files_of(&BUILTIN)
        .into_iter()
        .map(|f| (f.path().to_string_lossy().replace('\\', "/"), f.contents()))
        .collect()
}

fn files_of<'a>(dir: &'a Dir<'a>) -> Vec<&'a include_dir::File<'a>> {
    let mut out: Vec<&include_dir::File> = dir.files().collect();
    for d in dir.dirs() {
        out.extend(files_of(d));
    }
    out
}

/// Calls `f(relative name, bytes, shown path)` for every file under `dir`, if it exists.
fn read_dir_into(
    root: &Path,
    dir: &Path,
    diags: &mut Vec<Diagnostic>,
    mut f: impl FnMut(String, Vec<u8>, PathBuf),
) {
    if !dir.is_dir() {
        return;
    }
    let walker = WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            e.depth() == 0 || !crate::load::is_ignored_name(&e.file_name().to_string_lossy())
        });
    for entry in walker {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                let p = e.path().unwrap_or(dir);
                diags.push(Diagnostic::error(
                    p.strip_prefix(root).unwrap_or(p),
                    msg!("io.cannot_read", error = e.to_string()),
                ));
                continue;
            }
        };
        if !entry.file_type().is_file() {
            continue;
        }
        let rel = crate::url_space::relative_key(entry.path(), dir);
        let shown = entry
            .path()
            .strip_prefix(root)
            .unwrap_or(entry.path())
            .to_path_buf();
        match std::fs::read(entry.path()) {
            Ok(bytes) => f(rel, bytes, shown),
            Err(e) => diags.push(Diagnostic::error(
                &shown,
                msg!("io.cannot_read", error = &e),
            )),
        }
    }
}
