//! The URL space: every path Gazette writes is spelled here and nowhere else, so that the
//! files editors supply — articles' pages, bundle files, static files — can be checked
//! against all of them before anything is written. Without that check an article with
//! `slug: tags` (under `permalink: /{slug}/`) or a `static/sections/local/index.html`
//! would silently replace a page Gazette makes, and the build would still say it worked.
//!
//! Paths are site-relative. A folder ends in `/` and its page is `FOLDER/index.html`.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;

use jiff::civil::Date;

use crate::diag::{Diagnostic, Message};
use crate::model::{Redirect, Site};
use crate::render::pages::{plan, Job};
use crate::render::StaticFile;
use crate::validate::Article;

pub const PEOPLE: &str = "people/";
pub const TAGS: &str = "tags/";
pub const ARCHIVE: &str = "archive/";
pub const SEARCH: &str = "search/";
pub const NOT_FOUND: &str = "404.html";
/// The folder of the search index (Pagefind's files).
pub const SEARCH_INDEX: &str = "pagefind/";
pub const ROBOTS: &str = "robots.txt";
pub const SITEMAP: &str = "sitemap.xml";
pub const NEWS_SITEMAP: &str = "news-sitemap.xml";
/// The feed files of a feed folder (the site's root, or a section's): Atom, RSS, JSON Feed.
pub const FEED_FILES: [&str; 3] = ["feed.xml", "rss.xml", "feed.json"];
/// Redirect rules for hosts that read them (Netlify, Cloudflare Pages).
pub const REDIRECTS_FILE: &str = "_redirects";
/// The sitemaps protocol's limit of URLs per file; past it `sitemap.xml` is an index.
pub const URLS_PER_SITEMAP: usize = 50_000;

pub fn section(key: &str) -> String {
    format!("sections/{key}/")
}

pub fn person(slug: &str) -> String {
    format!("{PEOPLE}{slug}/")
}

pub fn tag(slug: &str) -> String {
    format!("{TAGS}{slug}/")
}

pub fn edition(date: Date) -> String {
    format!("editions/{date}/")
}

pub fn month(year: i16, month: i8) -> String {
    format!("{ARCHIVE}{year:04}/{month:02}/")
}

/// Page `page` (1-based) of a listing at `base`.
pub fn paged(base: &str, page: usize) -> String {
    if page <= 1 {
        base.to_string()
    } else {
        format!("{base}page/{page}/")
    }
}

/// Part `n` (1-based) of a sitemap split under an index.
pub fn sitemap_part(n: usize) -> String {
    format!("sitemap-{n}.xml")
}

/// The path part of the base URL, `/` or `/news/`: where the site's root is on its host.
pub fn base_path(base_url: &str) -> String {
    url::Url::parse(base_url).map_or_else(|_| "/".into(), |u| u.path().to_string())
}

/// `file` relative to `dir` (whole when it is not inside), with `/` between its parts on
/// every system: the form paths take in the site.
pub fn relative_key(file: &Path, dir: &Path) -> String {
    file.strip_prefix(dir)
        .unwrap_or(file)
        .to_string_lossy()
        .replace('\\', "/")
}

/// The HTML file of a page folder.
pub fn page_file(folder: &str) -> String {
    format!("{folder}index.html")
}

/// The folder a job's page lives in; "" for the front page (404 is a file, `NOT_FOUND`).
pub fn page_path(site: &Site, job: Job) -> String {
    match job {
        Job::Home | Job::NotFound => String::new(),
        Job::Article(i) => site.articles[i].path.clone(),
        Job::Section { index, page } => paged(&section(&site.sections[index].key), page),
        Job::People => PEOPLE.into(),
        Job::Person { index, page } => paged(&person(&site.people[index].slug), page),
        Job::Tags => TAGS.into(),
        Job::Tag { index, page } => paged(&tag(&site.tags[index].slug), page),
        Job::Edition(i) => edition(site.editions[i].date),
        Job::Archive => ARCHIVE.into(),
        Job::ArchiveMonth(i) => month(site.months[i].year, site.months[i].month),
        Job::Search => SEARCH.into(),
        Job::Withdrawn(i) => site.withdrawn[i].path.clone(),
    }
}

/// The file a job writes.
pub fn job_file(site: &Site, job: Job) -> String {
    match job {
        Job::NotFound => NOT_FOUND.into(),
        _ => page_file(&page_path(site, job)),
    }
}

/// Content types, UTF-8 for every text type (Chinese pages must never be guessed).
pub fn content_type(key: &str) -> &'static str {
    let name = key.rsplit('/').next().unwrap_or(key);
    match name {
        "feed.xml" => return "application/atom+xml; charset=utf-8",
        "rss.xml" => return "application/rss+xml; charset=utf-8",
        "feed.json" => return "application/feed+json; charset=utf-8",
        _ => {}
    }
    let ext = name
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json; charset=utf-8",
        "xml" => "application/xml; charset=utf-8",
        "txt" => "text/plain; charset=utf-8",
        "svg" => "image/svg+xml; charset=utf-8",
        "jpg" | "jpeg" => "image/jpeg",
        "png" => "image/png",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "ico" => "image/x-icon",
        "woff2" => "font/woff2",
        "wasm" => "application/wasm",
        _ => "application/octet-stream",
    }
}

/// Who writes a path, to name both sides of a collision.
#[derive(Clone, Copy)]
enum Claim<'a> {
    Page(Job),
    /// A feed, a sitemap, robots.txt: named by its path.
    File,
    /// Anything under `SEARCH_INDEX`.
    SearchIndex,
    By(Supplied<'a>),
}

/// A file editors or the theme supply.
#[derive(Clone, Copy)]
enum Supplied<'a> {
    Article(&'a Article),
    /// One of an article's `aliases`.
    Alias(&'a Article),
    BundleFile(&'a Path),
    Static(&'a Path),
}

impl Claim<'_> {
    fn describe(self, site: &Site, path: &str) -> Message {
        match self {
            Claim::Page(job) => describe_page(site, job),
            Claim::File => msg!("claim.file", path = path),
            Claim::SearchIndex => msg!("claim.search_index", path = SEARCH_INDEX),
            Claim::By(Supplied::Article(a)) => msg!("claim.article", file = a.source.display()),
            Claim::By(Supplied::Alias(a)) => msg!("claim.alias", file = a.source.display()),
            Claim::By(Supplied::BundleFile(p)) => msg!("claim.bundle_file", file = p.display()),
            Claim::By(Supplied::Static(p)) => msg!("claim.static", file = p.display()),
        }
    }
}

fn describe_page(site: &Site, job: Job) -> Message {
    let numbered = |what: Message, page: usize| match page {
        1 => what,
        n => msg!("claim.page_n", n = n, what = what),
    };
    match job {
        Job::Home => msg!("claim.home"),
        Job::Article(i) => msg!("claim.article", file = site.articles[i].source.display()),
        Job::Section { index, page } => {
            numbered(msg!("claim.section", key = &site.sections[index].key), page)
        }
        Job::People => msg!("claim.people"),
        Job::Person { index, page } => {
            numbered(msg!("claim.person", name = &site.people[index].name), page)
        }
        Job::Tags => msg!("claim.tags"),
        Job::Tag { index, page } => {
            numbered(msg!("claim.tag", name = &site.tags[index].name), page)
        }
        Job::Edition(i) => msg!("claim.edition", date = site.editions[i].date.to_string()),
        Job::Archive => msg!("claim.archive"),
        Job::ArchiveMonth(i) => msg!(
            "claim.archive_month",
            month = format!("{}-{:02}", site.months[i].year, site.months[i].month)
        ),
        Job::Search => msg!("claim.search"),
        Job::NotFound => msg!("claim.not_found"),
        Job::Withdrawn(i) => msg!("claim.withdrawn", file = site.withdrawn[i].source.display()),
    }
}

/// Every path Gazette makes itself, article pages aside, with what makes it.
fn generated(site: &Site) -> Vec<(String, Claim<'static>)> {
    let jobs = plan(site);
    let mut out = Vec::with_capacity(jobs.len() + 4 * site.sections.len() + 8);
    let mut sitemap_urls = 0;
    for job in jobs {
        if !matches!(job, Job::NotFound | Job::Search | Job::Withdrawn(_)) {
            sitemap_urls += 1;
        }
        if !matches!(job, Job::Article(_)) {
            out.push((job_file(site, job), Claim::Page(job)));
        }
    }
    let section_dirs = site.sections.iter().map(|s| section(&s.key));
    for dir in std::iter::once(String::new()).chain(section_dirs) {
        out.extend(FEED_FILES.map(|f| (format!("{dir}{f}"), Claim::File)));
    }
    for file in [SITEMAP, NEWS_SITEMAP] {
        out.push((file.into(), Claim::File));
    }
    if site.base_path == "/" {
        out.push((ROBOTS.into(), Claim::File));
    }
    if site.config.redirects_file {
        out.push((REDIRECTS_FILE.into(), Claim::File));
    }
    if sitemap_urls > URLS_PER_SITEMAP {
        let parts = sitemap_urls.div_ceil(URLS_PER_SITEMAP);
        out.extend((1..=parts).map(|n| (sitemap_part(n), Claim::File)));
    }
    out
}

/// Every path of the site: what Gazette makes, article pages and their earlier addresses,
/// bundle files and static files. Claimed once per site; links are judged against it.
pub struct UrlSpace {
    taken: HashSet<String>,
}

impl UrlSpace {
    pub fn contains(&self, path: &str) -> bool {
        self.taken.contains(path)
    }
}

/// Claims every path of the site. A file supplied by the theme or editors that would land
/// on a path something else writes is an error at the later file, naming the other; this
/// runs before anything is rendered, in `build`, `check` and `serve` alike. (Two articles
/// with one URL are the model's to report.)
pub fn claim(site: &Site, statics: &BTreeMap<String, StaticFile>) -> (UrlSpace, Vec<Diagnostic>) {
    let mut space = Claims {
        site,
        taken: generated(site).into_iter().collect(),
        diags: Vec::new(),
    };
    for (path, file) in statics {
        space.claim(path.clone(), Supplied::Static(&file.shown_path));
    }
    for a in &site.articles {
        space.claim(page_file(&a.path), Supplied::Article(a));
    }
    for a in &site.articles {
        for alias in &a.aliases {
            space.claim(page_file(alias), Supplied::Alias(a));
        }
    }
    for a in site.articles.iter().filter(|a| a.is_bundle) {
        for asset in &a.assets {
            space.claim(bundle_file(a, asset), Supplied::BundleFile(asset));
        }
    }
    let taken = space.taken.into_keys().collect();
    (UrlSpace { taken }, space.diags)
}

/// Addresses that redirect to an article: its `aliases` (claimed, and their clashes
/// reported, by `claim`), then every address it was published at before, from the site's
/// URL history, that nothing uses now; those are claimed here.
pub fn redirects(
    site: &Site,
    history: &crate::pipeline::history::History,
    space: &mut UrlSpace,
) -> Vec<Redirect> {
    let mut seen: HashSet<&str> = HashSet::new();
    let mut out: Vec<Redirect> = Vec::new();
    for (to, a) in site.articles.iter().enumerate() {
        for from in &a.aliases {
            if seen.insert(from) {
                out.push(Redirect {
                    from: from.clone(),
                    to,
                });
            }
        }
    }
    if history.0.is_empty() {
        return out;
    }
    let index: HashMap<&Path, usize> = (site.articles.iter().enumerate())
        .map(|(i, a)| (a.source.as_path(), i))
        .collect();
    for (from, source) in &history.0 {
        let Some(&to) = index.get(source.as_path()) else {
            continue; // the story is gone: nothing to lead to
        };
        if site.articles[to].path != *from && space.taken.insert(page_file(from)) {
            out.push(Redirect {
                from: from.clone(),
                to,
            });
        }
    }
    out
}

/// Where a bundle's file is published: beside its article's page.
pub fn bundle_file(a: &Article, asset: &Path) -> String {
    format!("{}{}", a.path, a.bundle_relative(asset))
}

struct Claims<'a> {
    site: &'a Site,
    taken: HashMap<String, Claim<'a>>,
    diags: Vec<Diagnostic>,
}

impl<'a> Claims<'a> {
    fn claim(&mut self, path: String, by: Supplied<'a>) {
        let held = if self.site.config.search && path.starts_with(SEARCH_INDEX) {
            Some(Claim::SearchIndex)
        } else {
            self.taken.get(&path).copied()
        };
        match (held, by) {
            (None, _) => {
                self.taken.insert(path, Claim::By(by));
            }
            (Some(Claim::By(Supplied::Article(_))), Supplied::Article(_)) => {}
            (Some(other), _) => {
                let what = other.describe(self.site, &path);
                self.diags.push(collision(by, &path, what));
            }
        }
    }
}

fn collision(by: Supplied<'_>, path: &str, what: Message) -> Diagnostic {
    match by {
        Supplied::Article(a) => {
            let (line, col) = a.position_of("slug");
            Diagnostic::error(
                &a.source,
                msg!("collision.article", path = &a.path, what = what),
            )
            .at(line, col)
            .with_hint(msg!("collision.article.hint"))
        }
        Supplied::Alias(a) => {
            let (line, col) = a.position_of("aliases");
            Diagnostic::error(&a.source, msg!("collision.alias", path = path, what = what))
                .at(line, col)
                .with_hint(msg!("collision.alias.hint"))
        }
        Supplied::BundleFile(p) => {
            Diagnostic::error(p, msg!("collision.file", path = path, what = what))
                .with_hint(msg!("collision.bundle_file.hint"))
        }
        Supplied::Static(p) => {
            Diagnostic::error(p, msg!("collision.file", path = path, what = what))
                .with_hint(msg!("collision.static.hint"))
        }
    }
}
