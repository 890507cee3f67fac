//! Render: Tera templates over the model, every page in parallel.
//!
//! Input: the model, each article's rendered body, and the theme. Output: one `Output` per
//! HTML page, or a diagnostic naming the template file (and line) that failed. Templates
//! are compiled once per build; values are built once and shared (see `values`).

pub mod head;
mod interface;
pub mod pages;
pub mod theme;
pub mod values;

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;

use rayon::prelude::*;
use tera::{ErrorKind, Kwargs, State, Tera};

use crate::diag::{Diagnostic, Message};
use crate::i18n::Strings;
use crate::model::Site;
use crate::url_space;
use crate::write::{MemorySink, Output, Sink};
pub use pages::{plan, Job};
pub use theme::{StaticFile, Theme};
pub use values::SiteValues;

/// Compiled templates plus what they need to know about static assets.
pub struct Renderer {
    tera: Tera,
    /// Template name → the file it came from.
    sources: HashMap<String, PathBuf>,
    /// The absolute path of the site root (from base_url), for pages served at any depth.
    root_path: String,
}

/// Templates every theme must have.
pub const REQUIRED_TEMPLATES: &[&str] = &[
    "base.html",
    "index.html",
    "article.html",
    "section.html",
    "person.html",
    "people.html",
    "tag.html",
    "tags.html",
    "edition.html",
    "archive.html",
    "search.html",
    "404.html",
];

impl Renderer {
    pub fn new(
        theme: &Theme,
        base_url: &str,
        asset_hashes: bool,
        strings: &Arc<Strings>,
    ) -> Result<Renderer, Vec<Diagnostic>> {
        let mut tera = Tera::new();
        tera.autoescape_on(vec![".html", ".xml"]);
        let hashes: Arc<HashMap<String, String>> = Arc::new(
            theme
                .statics
                .iter()
                .map(|(p, f)| (p.clone(), short_hash(&f.bytes)))
                .collect(),
        );
        tera.register_function(
            "asset",
            move |kwargs: Kwargs, _: &State| -> tera::TeraResult<String> {
                let path: String = kwargs.must_get("path")?;
                let path = path.trim_start_matches('/');
                Ok(match hashes.get(path) {
                    Some(h) if asset_hashes => format!("{path}?v={h}"),
                    _ => path.to_string(),
                })
            },
        );
        interface::register(&mut tera, strings);
        let sources: HashMap<String, PathBuf> = theme
            .templates
            .iter()
            .map(|t| (t.name.clone(), t.shown_path.clone()))
            .collect();
        let missing: Vec<Diagnostic> = REQUIRED_TEMPLATES
            .iter()
            .filter(|t| !sources.contains_key(**t))
            .map(|t| {
                Diagnostic::error(format!("templates/{t}"), msg!("template.missing"))
                    .with_hint(msg!("template.missing.hint"))
            })
            .collect();
        if !missing.is_empty() {
            return Err(missing);
        }
        tera.add_raw_templates(
            theme
                .templates
                .iter()
                .map(|t| (t.name.as_str(), t.text.as_str())),
        )
        .map_err(|e| vec![template_error(&e, &sources, None)])?;
        let root_path = url_space::base_path(base_url);
        Ok(Renderer {
            tera,
            sources,
            root_path,
        })
    }

    /// Renders one page; also returns the articles it shows (see `context`).
    pub fn render_job(
        &self,
        site: &Site,
        values: &SiteValues,
        job: Job,
    ) -> Result<(Output, Vec<usize>), Diagnostic> {
        let (ctx, shown) = self.context(site, values, job);
        // Rendering into bytes skips a UTF-8 re-check of every page Tera would do for a String.
        let mut html = Vec::with_capacity(16 * 1024);
        self.tera
            .render_to(job.template(), &ctx, &mut html)
            .map_err(|e| template_error(&e, &self.sources, Some(job.template())))?;
        Ok((Output::new(url_space::job_file(site, job), html), shown))
    }

    /// Renders the given jobs in parallel into memory; also returns what each page shows.
    pub fn render_jobs(
        &self,
        site: &Site,
        values: &SiteValues,
        jobs: &[Job],
    ) -> Result<(Vec<Output>, Vec<Shown>), Vec<Diagnostic>> {
        let sink = MemorySink::default();
        let shown =
            self.render_into(site, values, jobs, &sink, &indicatif::ProgressBar::hidden())?;
        Ok((sink.into_outputs(), shown))
    }

    /// Renders the given jobs in parallel, each page handed to `sink` as soon as it is
    /// ready, and returns what each page shows; every failure is returned, each template
    /// problem once.
    pub fn render_into(
        &self,
        site: &Site,
        values: &SiteValues,
        jobs: &[Job],
        sink: &dyn Sink,
        progress: &indicatif::ProgressBar,
    ) -> Result<Vec<Shown>, Vec<Diagnostic>> {
        let results: Vec<Result<Shown, Diagnostic>> = jobs
            .par_iter()
            .map(|&job| {
                let r = self
                    .render_job(site, values, job)
                    .and_then(|(o, shown)| sink.put(o).map(|()| (job, shown)));
                progress.inc(1);
                r
            })
            .collect();
        progress.finish_and_clear();
        let (shown, failures): (Vec<_>, Vec<_>) = results.into_iter().partition(Result::is_ok);
        let shown: Vec<Shown> = shown.into_iter().filter_map(Result::ok).collect();
        let failures: Vec<Diagnostic> = failures.into_iter().filter_map(Result::err).collect();
        let mut diags: Vec<Diagnostic> = Vec::new();
        for d in failures {
            // One broken template fails every page using it; say it once.
            if !diags.contains(&d) {
                diags.push(d);
            }
        }
        if diags.is_empty() {
            Ok(shown)
        } else {
            Err(diags)
        }
    }
}

/// A rendered page's job and the articles (indices into `Site::articles`) it shows.
pub type Shown = (Job, Vec<usize>);

/// A Tera error as a diagnostic on the template's own file and line.
fn template_error(
    e: &tera::Error,
    sources: &HashMap<String, PathBuf>,
    rendering: Option<&str>,
) -> Diagnostic {
    let file_of = |name: &str| {
        sources
            .get(name)
            .cloned()
            .unwrap_or_else(|| PathBuf::from(format!("templates/{name}")))
    };
    match e.kind() {
        ErrorKind::SyntaxError(report) | ErrorKind::RenderingError(report) => {
            let name = if report.filename().is_empty() {
                rendering.unwrap_or("")
            } else {
                report.filename()
            };
            let span = report.span();
            let id = if matches!(e.kind(), ErrorKind::SyntaxError(_)) {
                "template.syntax"
            } else {
                "template.error"
            };
            Diagnostic::error(
                file_of(name),
                Message::new(id).arg("detail", report.message()),
            )
            .at(span.start_line.max(1), span.start_col + 1)
            .with_hint(msg!("template.error.hint"))
        }
        _ => {
            let name = rendering.unwrap_or("");
            let mut msg = e.to_string();
            let mut source = std::error::Error::source(e);
            while let Some(s) = source {
                msg.push_str(": ");
                msg.push_str(&s.to_string());
                source = s.source();
            }
            Diagnostic::error(file_of(name), msg!("template.error", detail = msg))
                .with_hint(msg!("template.other.hint"))
        }
    }
}

/// A short content hash (FNV-1a, 64 bit) for cache-busting asset URLs.
pub fn short_hash(bytes: &[u8]) -> String {
    let mut h: u64 = 0xcbf29ce484222325;
    for b in bytes {
        h ^= *b as u64;
        h = h.wrapping_mul(0x100000001b3);
    }
    format!("{:08x}", h >> 32)
}
