//! The page plan: every HTML page of the site as a `Job`, and the context each gets.
//!
//! Planning is separate from rendering so `serve` can re-render a subset: the jobs an
//! edit touches are found by filtering this same list.

use std::cell::RefCell;

use tera::{Context, Value};

use super::values::{edition_ref, extend, list, map, SiteValues};
use super::{head, Renderer};
use crate::markdown::relative_url;
use crate::model::Site;
use crate::url_space::{self, page_path, paged as paged_path};

/// One HTML page to render.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Job {
    Home,
    Article(usize),
    Section {
        index: usize,
        page: usize,
    },
    People,
    Person {
        index: usize,
        page: usize,
    },
    Tags,
    Tag {
        index: usize,
        page: usize,
    },
    Edition(usize),
    Archive,
    ArchiveMonth(usize),
    Search,
    NotFound,
    /// A story taken down: the notice at its address.
    Withdrawn(usize),
}

impl Job {
    /// The template this job renders.
    pub fn template(&self) -> &'static str {
        match self {
            Job::Home => "index.html",
            Job::Article(_) => "article.html",
            Job::Section { .. } => "section.html",
            Job::People => "people.html",
            Job::Person { .. } => "person.html",
            Job::Tags => "tags.html",
            Job::Tag { .. } => "tag.html",
            Job::Edition(_) => "edition.html",
            Job::Archive | Job::ArchiveMonth(_) => "archive.html",
            Job::Search => "search.html",
            Job::NotFound => "404.html",
            Job::Withdrawn(_) => "withdrawn.html",
        }
    }
}

/// Number of listing pages for `n` articles (an empty listing still has its first page).
pub fn page_count(n: usize, per_page: usize) -> usize {
    n.div_ceil(per_page.max(1)).max(1)
}

/// Every page of the site, in a fixed order.
pub fn plan(site: &Site) -> Vec<Job> {
    let per = site.config.paginate;
    let mut jobs = vec![
        Job::Home,
        Job::People,
        Job::Tags,
        Job::Archive,
        Job::Search,
        Job::NotFound,
    ];
    jobs.extend((0..site.articles.len()).map(Job::Article));
    for (index, s) in site.sections.iter().enumerate() {
        jobs.extend(
            (1..=page_count(s.articles.len(), per)).map(|page| Job::Section { index, page }),
        );
    }
    for (index, p) in site.people.iter().enumerate() {
        jobs.extend(
            (1..=page_count(p.articles.len(), per)).map(|page| Job::Person { index, page }),
        );
    }
    for (index, t) in site.tags.iter().enumerate() {
        jobs.extend((1..=page_count(t.articles.len(), per)).map(|page| Job::Tag { index, page }));
    }
    jobs.extend((0..site.editions.len()).map(Job::Edition));
    jobs.extend((0..site.months.len()).map(Job::ArchiveMonth));
    jobs.extend((0..site.withdrawn.len()).map(Job::Withdrawn));
    jobs
}

/// Hands out article values for one page and records which articles the page showed.
struct Shown<'a> {
    values: &'a SiteValues,
    taken: RefCell<Vec<usize>>,
}

impl Shown<'_> {
    fn article(&self, i: usize) -> Value {
        self.taken.borrow_mut().push(i);
        self.values.articles[i].clone()
    }

    fn articles(&self, ids: &[usize]) -> Value {
        list(ids.iter().map(|&i| self.article(i)))
    }

    fn maybe(&self, i: Option<usize>) -> Value {
        i.map_or_else(Value::none, |i| self.article(i))
    }
}

impl Renderer {
    /// Builds the template context for one job, and records which articles it shows (by
    /// index, in the order taken): the preview re-renders a page when one of them changes,
    /// so what a page shows is known from the one place that decides it.
    pub fn context(&self, site: &Site, v: &SiteValues, job: Job) -> (Context, Vec<usize>) {
        let shown = Shown {
            values: v,
            taken: RefCell::new(Vec::new()),
        };
        let mut ctx = self.page_context(site, v, job);
        let per = site.config.paginate;
        match job {
            Job::Home => front_page(&mut ctx, site, v, &shown),
            Job::Article(i) => article_page(&mut ctx, site, i, &shown),
            Job::Section { index, page } => {
                let s = &site.sections[index];
                let listing = Listing::new(&url_space::section(&s.key), &s.articles, per);
                listing.put(&mut ctx, "section", &v.sections[index], page, &shown);
            }
            Job::People => ctx.insert_value("people", list(v.people.iter().cloned())),
            Job::Person { index, page } => {
                let p = &site.people[index];
                let listing = Listing::new(&url_space::person(&p.slug), &p.articles, per);
                listing.put(&mut ctx, "person", &v.people[index], page, &shown);
            }
            Job::Tags => ctx.insert_value("tags", list(v.tags.iter().cloned())),
            Job::Tag { index, page } => {
                let t = &site.tags[index];
                let listing = Listing::new(&url_space::tag(&t.slug), &t.articles, per);
                listing.put(&mut ctx, "tag", &v.tags[index], page, &shown);
            }
            Job::Edition(i) => edition_page(&mut ctx, site, v, i, &shown),
            Job::Archive | Job::ArchiveMonth(_) => {
                ctx.insert_value("years", self.archive_years(site));
                let month = match job {
                    Job::ArchiveMonth(m) => archive_month(site, m, &shown),
                    _ => Value::none(),
                };
                ctx.insert_value("month", month);
            }
            Job::Withdrawn(i) => ctx.insert_value("article", withdrawn(site, i)),
            Job::Search | Job::NotFound => {}
        }
        (ctx, shown.taken.into_inner())
    }

    /// What every page has: the site, the way back to its root, the page's own title and
    /// address, feeds and the `<head>` meta.
    fn page_context(&self, site: &Site, v: &SiteValues, job: Job) -> Context {
        let path = page_path(site, job);
        let mut ctx = Context::new();
        ctx.insert_value("site", v.site.clone());
        let root = if job == Job::NotFound {
            self.root_path.clone()
        } else {
            relative_url(&path, "")
        };
        ctx.insert("root", &root);
        let (title, description) = self.page_meta(site, v, job);
        ctx.insert_value(
            "page",
            map([
                ("kind", kind(job).into()),
                ("path", path.as_str().into()),
                (
                    "permalink",
                    format!("{}{}", site.config.base_url, path).into(),
                ),
                ("title", title.as_str().into()),
                ("description", description.as_str().into()),
            ]),
        );
        // Site-wide feeds on every page, plus the section's own on its pages and articles.
        let section = match job {
            Job::Section { index, .. } => Some(index),
            Job::Article(i) => Some(site.section_of(&site.articles[i])),
            _ => None,
        };
        let feeds = section.map_or(&v.feeds, |s| &v.section_feeds[s]);
        ctx.insert_value("feeds", feeds.clone());
        ctx.insert_value(
            "head_extra",
            Value::safe_string(&head::head_extra(site, job, &path, &title, &description)),
        );
        ctx
    }

    fn archive_years(&self, site: &Site) -> Value {
        let mut years: Vec<(i16, Vec<Value>, usize)> = Vec::new();
        for m in &site.months {
            if years.last().map(|y| y.0) != Some(m.year) {
                years.push((m.year, Vec::new(), 0));
            }
            if let Some(y) = years.last_mut() {
                y.2 += m.articles.len();
                y.1.push(map([
                    ("year", m.year.into()),
                    ("month", m.month.into()),
                    ("label", site.config.strings.month(m.year, m.month).into()),
                    ("path", url_space::month(m.year, m.month).into()),
                    ("count", m.articles.len().into()),
                ]));
            }
        }
        list(years.into_iter().map(|(year, months, count)| {
            map([
                ("year", year.into()),
                ("count", count.into()),
                ("months", list(months)),
            ])
        }))
    }

    /// A page's title and description. An article's description is its summary, written
    /// or derived, the same text listings show under its headline.
    fn page_meta(&self, site: &Site, v: &SiteValues, job: Job) -> (String, String) {
        let c = &site.config;
        let t = &c.strings;
        let numbered = |title: &str, page: usize| {
            if page > 1 {
                t.fill(
                    "title.numbered",
                    None,
                    &[("title", title), ("page", &page.to_string())],
                )
            } else {
                title.to_string()
            }
        };
        match job {
            Job::Home => (String::new(), c.description.clone()),
            Job::Article(i) => (
                site.articles[i].title.clone(),
                (v.articles[i].get_from_path("summary"))
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_string(),
            ),
            Job::Section { index, page } => (
                numbered(&site.sections[index].name, page),
                site.sections[index].description.clone(),
            ),
            Job::People => (t.get("title.people").into(), String::new()),
            Job::Person { index, page } => (
                numbered(&site.people[index].name, page),
                site.people[index].bio.clone(),
            ),
            Job::Tags => (t.get("title.tags").into(), String::new()),
            Job::Tag { index, page } => (
                numbered(&t.with("title.tag", "tag", &site.tags[index].name), page),
                String::new(),
            ),
            Job::Edition(i) => (
                t.with("title.edition", "date", &t.date(site.editions[i].date)),
                String::new(),
            ),
            Job::Archive => (t.get("title.archive").into(), String::new()),
            Job::ArchiveMonth(i) => (
                t.with(
                    "title.archive_month",
                    "month",
                    &t.month(site.months[i].year, site.months[i].month),
                ),
                String::new(),
            ),
            Job::Search => (t.get("title.search").into(), String::new()),
            Job::NotFound => (t.get("title.not_found").into(), String::new()),
            Job::Withdrawn(i) => (
                t.with("withdrawn.title", "title", &site.withdrawn[i].title),
                String::new(),
            ),
        }
    }
}

/// The front page: the lead story, the newest few of each section, the latest stories
/// and recent editions.
fn front_page(ctx: &mut Context, site: &Site, v: &SiteValues, shown: &Shown<'_>) {
    let marked_lead = site
        .articles
        .iter()
        .position(|a| a.extra.get("lead").and_then(|l| l.as_bool()) == Some(true));
    let lead = marked_lead.or((!site.articles.is_empty()).then_some(0));
    ctx.insert_value("lead", shown.maybe(lead));
    let fronts = site
        .sections
        .iter()
        .enumerate()
        .filter(|(_, s)| !s.articles.is_empty())
        .map(|(i, s)| {
            let ids: Vec<usize> = (s.articles.iter().copied())
                .filter(|&a| Some(a) != lead)
                .take(4)
                .collect();
            map([
                ("section", v.sections[i].clone()),
                ("articles", shown.articles(&ids)),
            ])
        });
    ctx.insert_value("section_fronts", list(fronts));
    let latest: Vec<usize> = (0..site.articles.len().min(10)).collect();
    ctx.insert_value("latest", shown.articles(&latest));
    ctx.insert_value("editions", list(v.editions.iter().take(7).cloned()));
    ctx.insert_value(
        "newest_edition",
        v.editions.first().cloned().unwrap_or(Value::none()),
    );
}

/// An article with its neighbours in its section and related stories.
fn article_page(ctx: &mut Context, site: &Site, i: usize, shown: &Shown<'_>) {
    ctx.insert_value("article", shown.article(i));
    let s = &site.sections[site.section_of(&site.articles[i])].articles;
    let pos = s.iter().position(|&x| x == i);
    // Section lists are newest first: the previous (older) story is the next index.
    let older = pos.and_then(|p| s.get(p + 1)).copied();
    let newer = pos
        .and_then(|p| p.checked_sub(1))
        .and_then(|p| s.get(p))
        .copied();
    ctx.insert_value("prev", shown.maybe(older));
    ctx.insert_value("next", shown.maybe(newer));
    ctx.insert_value("related", shown.articles(&related(site, i, 4)));
}

/// A day's bulletin grouped by section, with the editions before and after it.
fn edition_page(ctx: &mut Context, site: &Site, v: &SiteValues, i: usize, shown: &Shown<'_>) {
    let e = &site.editions[i];
    let groups = site.sections.iter().enumerate().filter_map(|(si, s)| {
        let mut ids: Vec<usize> = (e.articles.iter().copied())
            .filter(|&a| site.articles[a].section == s.key)
            .collect();
        if ids.is_empty() {
            return None;
        }
        // Within a section, the printed page order when editors give one.
        ids.sort_by_key(|&a| {
            let page = site.articles[a].extra.get("page");
            page.and_then(|p| p.as_i64()).unwrap_or(i64::MAX)
        });
        Some(map([
            ("section", v.sections[si].clone()),
            ("articles", shown.articles(&ids)),
        ]))
    });
    let edition = extend(
        &edition_ref(e, &site.config.strings),
        [("groups", list(groups))],
    );
    ctx.insert_value("edition", edition);
    // Editions are newest first: the older one is the next index.
    let at = |n: Option<usize>| n.and_then(|n| v.editions.get(n)).cloned();
    ctx.insert_value("prev_edition", at(Some(i + 1)).unwrap_or(Value::none()));
    ctx.insert_value(
        "next_edition",
        at(i.checked_sub(1)).unwrap_or(Value::none()),
    );
}

/// What a takedown notice shows: the headline and dates, never the story.
fn withdrawn(site: &Site, i: usize) -> Value {
    let a = &site.withdrawn[i];
    let strings = &site.config.strings;
    let (label, reason) = match &a.unpublished {
        Some(w) => (strings.date(w.date.date()), w.reason.as_str()),
        None => (String::new(), ""),
    };
    map([
        ("title", a.title.as_str().into()),
        ("path", a.path.as_str().into()),
        ("date_label", strings.date(a.date.date()).into()),
        ("withdrawn_label", label.into()),
        ("reason", reason.into()),
    ])
}

fn archive_month(site: &Site, m: usize, shown: &Shown<'_>) -> Value {
    let mo = &site.months[m];
    map([
        ("year", mo.year.into()),
        ("month", mo.month.into()),
        ("label", site.config.strings.month(mo.year, mo.month).into()),
        ("path", url_space::month(mo.year, mo.month).into()),
        ("count", mo.articles.len().into()),
        ("articles", shown.articles(&mo.articles)),
    ])
}

/// A section's, person's or tag's pages: one shape for all three.
struct Listing<'a> {
    base: String,
    ids: &'a [usize],
    per_page: usize,
}

impl<'a> Listing<'a> {
    fn new(base: &str, ids: &'a [usize], per_page: usize) -> Self {
        Listing {
            base: base.to_string(),
            ids,
            per_page,
        }
    }

    /// Puts the listing's own value under `key` and page `page` of its articles.
    fn put(
        &self,
        ctx: &mut Context,
        key: &'static str,
        own: &Value,
        page: usize,
        shown: &Shown<'_>,
    ) {
        ctx.insert_value(key, own.clone());
        ctx.insert_value("paginator", self.paginator(page, shown));
    }

    fn paginator(&self, page: usize, shown: &Shown<'_>) -> Value {
        let ids = self.ids;
        let total = page_count(ids.len(), self.per_page);
        let start = ((page - 1) * self.per_page).min(ids.len());
        let end = (start + self.per_page).min(ids.len());
        let link = |p: usize| {
            if p >= 1 && p <= total {
                paged_path(&self.base, p)
            } else {
                String::new()
            }
        };
        // Only the pages a pager may show: listing every page on every page would make a
        // long section's pagination quadratic (800 pages × 800 links at 100,000 articles).
        let mut numbers: Vec<usize> = [1, 2, total.saturating_sub(1), total]
            .into_iter()
            .chain(page.saturating_sub(3)..=page + 3)
            .filter(|&n| n >= 1 && n <= total)
            .collect();
        numbers.sort_unstable();
        numbers.dedup();
        let pages = numbers.into_iter().map(|n| {
            map([
                ("number", n.into()),
                ("path", paged_path(&self.base, n).into()),
                ("current", (n == page).into()),
            ])
        });
        map([
            ("articles", shown.articles(&ids[start..end])),
            ("number", page.into()),
            ("total", total.into()),
            ("prev", link(page.wrapping_sub(1)).into()),
            ("next", link(page + 1).into()),
            ("pages", list(pages)),
        ])
    }
}

fn kind(job: Job) -> &'static str {
    match job {
        Job::Home => "index",
        Job::Article(_) => "article",
        Job::Section { .. } => "section",
        Job::People => "people",
        Job::Person { .. } => "person",
        Job::Tags => "tags",
        Job::Tag { .. } => "tag",
        Job::Edition(_) => "edition",
        Job::Archive | Job::ArchiveMonth(_) => "archive",
        Job::Search => "search",
        Job::NotFound => "404",
        Job::Withdrawn(_) => "withdrawn",
    }
}

/// Up to `n` other articles sharing the most tags (ties: nearest in time), else from the
/// same section. Only stories near this one in each tag count: a tag with thousands of
/// stories must not make every article page cost thousands of steps, and a story from the
/// same weeks is the better "related" link anyway.
pub fn related(site: &Site, i: usize, n: usize) -> Vec<usize> {
    /// Stories on each side of this one, per tag.
    const WINDOW: usize = 25;
    let a = &site.articles[i];
    let mut candidates: Vec<usize> = Vec::with_capacity(a.tags.len() * WINDOW * 2);
    for t in &a.tags {
        if let Some(&ti) = site.tag_by_name.get(t) {
            // Indices are newest first, so each tag's list is sorted ascending.
            let list = &site.tags[ti].articles;
            let at = list.binary_search(&i).unwrap_or_else(|p| p);
            let window = &list[at.saturating_sub(WINDOW)..(at + WINDOW + 1).min(list.len())];
            candidates.extend(window.iter().copied().filter(|&o| o != i));
        }
    }
    candidates.sort_unstable();
    let mut ranked: Vec<(usize, usize)> = Vec::new(); // (shared tags, index)
    for o in candidates {
        match ranked.last_mut() {
            Some((count, last)) if *last == o => *count += 1,
            _ => ranked.push((1, o)),
        }
    }
    ranked.sort_by(|x, y| {
        y.0.cmp(&x.0)
            .then(x.1.abs_diff(i).cmp(&y.1.abs_diff(i)))
            .then(x.1.cmp(&y.1))
    });
    let mut out: Vec<usize> = ranked.into_iter().take(n).map(|(_, o)| o).collect();
    if out.len() < n {
        let s = &site.sections[site.section_of(a)].articles;
        let fill: Vec<usize> = s
            .iter()
            .copied()
            .filter(|&o| o != i && !out.contains(&o))
            .take(n - out.len())
            .collect();
        out.extend(fill);
    }
    out
}
