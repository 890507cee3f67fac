//! The page plan: every HTML page of the site as a `Job`, and the context each gets.
//!
//! Planning is separate from rendering so `serve` can re-render a subset: the jobs an
//! edit touches are found by filtering this same list.

use tera::{Context, Value};

use super::values::{edition_path, edition_ref, extend, list, map, SiteValues};
use super::{head, Renderer};
use crate::markdown::relative_url;
use crate::model::Site;

/// One HTML page to render.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Job {
    Home,
    Article(usize),
    Section { index: usize, page: usize },
    People,
    Person { index: usize, page: usize },
    Tags,
    Tag { index: usize, page: usize },
    Edition(usize),
    Archive,
    ArchiveMonth(usize),
    Search,
    NotFound,
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
        }
    }
}

/// Number of listing pages for `n` articles (an empty listing still has its first page).
pub fn page_count(n: usize, per_page: usize) -> usize {
    n.div_ceil(per_page.max(1)).max(1)
}

/// Path of page `page` (1-based) of a listing at `base`.
pub fn paged_path(base: &str, page: usize) -> String {
    if page <= 1 {
        base.to_string()
    } else {
        format!("{base}page/{page}/")
    }
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
    jobs
}

/// The page path (site-relative folder) a job writes to; `None` for 404, which is a file.
pub fn page_path(site: &Site, job: Job) -> String {
    match job {
        Job::Home => String::new(),
        Job::Article(i) => site.articles[i].path.clone(),
        Job::Section { index, page } => {
            paged_path(&format!("sections/{}/", site.sections[index].key), page)
        }
        Job::People => "people/".into(),
        Job::Person { index, page } => {
            paged_path(&format!("people/{}/", site.people[index].slug), page)
        }
        Job::Tags => "tags/".into(),
        Job::Tag { index, page } => paged_path(&format!("tags/{}/", site.tags[index].slug), page),
        Job::Edition(i) => edition_path(site.editions[i].date),
        Job::Archive => "archive/".into(),
        Job::ArchiveMonth(i) => month_path(site.months[i].year, site.months[i].month),
        Job::Search => "search/".into(),
        Job::NotFound => String::new(),
    }
}

fn month_path(year: i16, month: i8) -> String {
    format!("archive/{year:04}/{month:02}/")
}

impl Renderer {
    /// Builds the template context for one job, and records which articles it shows (by
    /// index, in the order taken): the preview re-renders a page when one of them changes,
    /// so what a page shows is known from the one place that decides it.
    pub fn context(&self, site: &Site, v: &SiteValues, job: Job) -> (Context, Vec<usize>) {
        let shown = std::cell::RefCell::new(Vec::new());
        let article = |i: usize| {
            shown.borrow_mut().push(i);
            v.articles[i].clone()
        };
        let path = page_path(site, job);
        let mut ctx = Context::new();
        ctx.insert_value("site", v.site.clone());
        let root = if job == Job::NotFound {
            self.root_path.clone()
        } else {
            relative_url(&path, "")
        };
        ctx.insert("root", &root);
        let (title, description) = self.page_meta(site, job);
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
        let per = site.config.paginate;
        let articles = |ids: &[usize]| list(ids.iter().map(|&i| article(i)));
        match job {
            Job::Home => {
                let lead = site
                    .articles
                    .iter()
                    .position(|a| a.extra.get("lead").and_then(|l| l.as_bool()) == Some(true))
                    .or(if site.articles.is_empty() {
                        None
                    } else {
                        Some(0)
                    });
                ctx.insert_value("lead", lead.map(article).unwrap_or(Value::none()));
                let fronts = site
                    .sections
                    .iter()
                    .enumerate()
                    .filter(|(_, s)| !s.articles.is_empty())
                    .map(|(i, s)| {
                        let ids: Vec<usize> = s
                            .articles
                            .iter()
                            .copied()
                            .filter(|&a| Some(a) != lead)
                            .take(4)
                            .collect();
                        map([
                            ("section", v.sections[i].clone()),
                            ("articles", articles(&ids)),
                        ])
                    });
                ctx.insert_value("section_fronts", list(fronts));
                let latest: Vec<usize> = (0..site.articles.len().min(10)).collect();
                ctx.insert_value("latest", articles(&latest));
                ctx.insert_value("editions", list(v.editions.iter().take(7).cloned()));
                ctx.insert_value(
                    "newest_edition",
                    v.editions.first().cloned().unwrap_or(Value::none()),
                );
            }
            Job::Article(i) => {
                let a = &site.articles[i];
                ctx.insert_value("article", article(i));
                let s = &site.sections[site.section_of(a)].articles;
                let pos = s.iter().position(|&x| x == i);
                // Section lists are newest first: the previous (older) story is the next index.
                let older = pos.and_then(|p| s.get(p + 1)).map(|&x| article(x));
                let newer = pos
                    .and_then(|p| p.checked_sub(1))
                    .and_then(|p| s.get(p))
                    .map(|&x| article(x));
                ctx.insert_value("prev", older.unwrap_or(Value::none()));
                ctx.insert_value("next", newer.unwrap_or(Value::none()));
                ctx.insert_value("related", articles(&related(site, i, 4)));
            }
            Job::Section { index, page } => {
                ctx.insert_value("section", v.sections[index].clone());
                let base = format!("sections/{}/", site.sections[index].key);
                ctx.insert_value(
                    "paginator",
                    paginator(&site.sections[index].articles, page, per, &base, &articles),
                );
            }
            Job::People => ctx.insert_value("people", list(v.people.iter().cloned())),
            Job::Person { index, page } => {
                ctx.insert_value("person", v.people[index].clone());
                let base = format!("people/{}/", site.people[index].slug);
                ctx.insert_value(
                    "paginator",
                    paginator(&site.people[index].articles, page, per, &base, &articles),
                );
            }
            Job::Tags => ctx.insert_value("tags", list(v.tags.iter().cloned())),
            Job::Tag { index, page } => {
                ctx.insert_value("tag", v.tags[index].clone());
                let base = format!("tags/{}/", site.tags[index].slug);
                ctx.insert_value(
                    "paginator",
                    paginator(&site.tags[index].articles, page, per, &base, &articles),
                );
            }
            Job::Edition(i) => {
                let e = &site.editions[i];
                let groups = site.sections.iter().enumerate().filter_map(|(si, s)| {
                    let mut ids: Vec<usize> = e
                        .articles
                        .iter()
                        .copied()
                        .filter(|&a| site.articles[a].section == s.key)
                        .collect();
                    if ids.is_empty() {
                        return None;
                    }
                    // Within a section, the printed page order when editors give one.
                    ids.sort_by_key(|&a| {
                        site.articles[a]
                            .extra
                            .get("page")
                            .and_then(|p| p.as_i64())
                            .unwrap_or(i64::MAX)
                    });
                    Some(map([
                        ("section", v.sections[si].clone()),
                        ("articles", articles(&ids)),
                    ]))
                });
                ctx.insert_value(
                    "edition",
                    extend(
                        &edition_ref(e, &site.config.strings),
                        [("groups", list(groups))],
                    ),
                );
                // Editions are newest first: the older one is the next index.
                ctx.insert_value(
                    "prev_edition",
                    v.editions.get(i + 1).cloned().unwrap_or(Value::none()),
                );
                ctx.insert_value(
                    "next_edition",
                    i.checked_sub(1)
                        .and_then(|p| v.editions.get(p))
                        .cloned()
                        .unwrap_or(Value::none()),
                );
            }
            Job::Archive | Job::ArchiveMonth(_) => {
                ctx.insert_value("years", self.archive_years(site));
                let month = match job {
                    Job::ArchiveMonth(m) => {
                        let mo = &site.months[m];
                        map([
                            ("year", mo.year.into()),
                            ("month", mo.month.into()),
                            ("label", site.config.strings.month(mo.year, mo.month).into()),
                            ("path", month_path(mo.year, mo.month).into()),
                            ("count", mo.articles.len().into()),
                            ("articles", articles(&mo.articles)),
                        ])
                    }
                    _ => Value::none(),
                };
                ctx.insert_value("month", month);
            }
            Job::Search | Job::NotFound => {}
        }
        (ctx, shown.into_inner())
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
                    ("path", month_path(m.year, m.month).into()),
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

    fn page_meta(&self, site: &Site, job: Job) -> (String, String) {
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
            Job::Article(i) => (site.articles[i].title.clone(), String::new()),
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
        }
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
    }
}

fn paginator(
    ids: &[usize],
    page: usize,
    per: usize,
    base: &str,
    articles: &dyn Fn(&[usize]) -> Value,
) -> Value {
    let total = page_count(ids.len(), per);
    let start = ((page - 1) * per).min(ids.len());
    let end = (start + per).min(ids.len());
    let link = |p: usize| {
        if p >= 1 && p <= total {
            paged_path(base, p)
        } else {
            String::new()
        }
    };
    // Only the pages a pager may show: listing every page on every page would make a long
    // section's pagination quadratic (800 pages × 800 links at 100,000 articles).
    let mut shown: Vec<usize> = [1, 2, total.saturating_sub(1), total]
        .into_iter()
        .chain(page.saturating_sub(3)..=page + 3)
        .filter(|&n| n >= 1 && n <= total)
        .collect();
    shown.sort_unstable();
    shown.dedup();
    let pages = shown.into_iter().map(|n| {
        map([
            ("number", n.into()),
            ("path", paged_path(base, n).into()),
            ("current", (n == page).into()),
        ])
    });
    map([
        ("articles", articles(&ids[start..end])),
        ("number", page.into()),
        ("total", total.into()),
        ("prev", link(page.wrapping_sub(1)).into()),
        ("next", link(page + 1).into()),
        ("pages", list(pages)),
    ])
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
