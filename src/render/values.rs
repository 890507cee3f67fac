//! Template values, built once per build and shared by every page that shows them.
//!
//! Tera 2 values hold maps and lists behind `Arc`, so an article's value — with its whole
//! body HTML — is made once here and every listing that includes it clones a pointer.

use jiff::ZonedDateTime as Zoned;
use rayon::prelude::*;
use tera::{Map, Value};

use crate::i18n::Strings;
use crate::images::{Format, Photo};
use crate::markdown::RenderedBody;
use crate::model::{Edition, Site};
use crate::url_space;
use crate::validate::Article;

/// Builds a map value from key/value pairs.
pub fn map<const N: usize>(entries: [(&'static str, Value); N]) -> Value {
    let mut m = Map::with_capacity(N);
    for (k, v) in entries {
        m.insert(k.into(), v);
    }
    Value::from(m)
}

/// Adds or replaces keys of a map value (used to extend a shared ref into a fuller object).
pub fn extend(base: &Value, entries: impl IntoIterator<Item = (&'static str, Value)>) -> Value {
    let mut m = base.as_map().cloned().unwrap_or_default();
    for (k, v) in entries {
        m.insert(k.into(), v);
    }
    Value::from(m)
}

pub fn list(values: impl IntoIterator<Item = Value>) -> Value {
    Value::from(values.into_iter().collect::<Vec<Value>>())
}

/// RFC 3339 with the site's offset, e.g. `2022-08-02T00:00:00+08:00`.
pub fn rfc3339(z: &Zoned) -> String {
    z.strftime("%Y-%m-%dT%H:%M:%S%:z").to_string()
}

/// Every value templates see, made once.
pub struct SiteValues {
    pub site: Value,
    /// Sections with their article counts, for listings.
    pub sections: Vec<Value>,
    /// Sections without counts, embedded in article values so that adding an article to a
    /// section does not make every other article's value stale.
    pub section_refs: Vec<Value>,
    pub people: Vec<Value>,
    pub person_refs: Vec<Value>,
    pub tags: Vec<Value>,
    pub tag_refs: Vec<Value>,
    pub editions: Vec<Value>,
    pub articles: Vec<Value>,
    /// `<link rel="alternate">` targets: the site's feeds, and per section the site's plus its own.
    pub feeds: Value,
    pub section_feeds: Vec<Value>,
}

impl SiteValues {
    pub fn build(site: &Site, bodies: &[RenderedBody], now: &Zoned) -> SiteValues {
        let mut values = SiteValues::without_articles(site);
        values.articles = site
            .articles
            .par_iter()
            .zip(bodies.par_iter())
            .map(|(a, body)| values.article(site, a, body, now))
            .collect();
        values
    }

    /// Like `build`, but moves each body's HTML into its value as it goes, so the HTML is
    /// never held twice; bodies for which `keep(index)` holds keep a copy (feeds need them).
    pub fn build_taking(
        site: &Site,
        bodies: &mut [RenderedBody],
        now: &Zoned,
        keep: impl Fn(usize) -> bool + Sync,
    ) -> SiteValues {
        let mut values = SiteValues::without_articles(site);
        values.articles = site
            .articles
            .par_iter()
            .zip(bodies.par_iter_mut())
            .enumerate()
            .map(|(i, (a, body))| {
                let value = values.article(site, a, body, now);
                if !keep(i) {
                    body.html = std::sync::Arc::from("");
                }
                value
            })
            .collect();
        values
    }

    /// Everything but the article values: cheap, rebuilt after every change.
    pub fn without_articles(site: &Site) -> SiteValues {
        let c = &site.config;
        let section_refs: Vec<Value> = site
            .sections
            .iter()
            .map(|s| {
                map([
                    ("key", s.key.as_str().into()),
                    ("name", s.name.as_str().into()),
                    ("description", s.description.as_str().into()),
                    ("path", url_space::section(&s.key).into()),
                ])
            })
            .collect();
        let sections: Vec<Value> = site
            .sections
            .iter()
            .zip(&section_refs)
            .map(|(s, r)| extend(r, [("count", s.articles.len().into())]))
            .collect();
        let person_refs: Vec<Value> = site
            .people
            .iter()
            .map(|p| {
                map([
                    ("name", p.name.as_str().into()),
                    ("slug", p.slug.as_str().into()),
                    ("path", url_space::person(&p.slug).into()),
                    ("role", p.role.as_str().into()),
                ])
            })
            .collect();
        let people = site
            .people
            .iter()
            .zip(&person_refs)
            .map(|(p, r)| {
                extend(
                    r,
                    [
                        ("bio", p.bio.as_str().into()),
                        ("count", p.articles.len().into()),
                    ],
                )
            })
            .collect();
        let tag_refs: Vec<Value> = site
            .tags
            .iter()
            .map(|t| {
                map([
                    ("name", t.name.as_str().into()),
                    ("slug", t.slug.as_str().into()),
                    ("path", url_space::tag(&t.slug).into()),
                ])
            })
            .collect();
        let tags = site
            .tags
            .iter()
            .zip(&tag_refs)
            .map(|(t, r)| extend(r, [("count", t.articles.len().into())]))
            .collect();
        let strings = &c.strings;
        let editions = site
            .editions
            .iter()
            .map(|e| edition_ref(e, strings))
            .collect();
        let site_value = map([
            ("title", c.title.as_str().into()),
            ("description", c.description.as_str().into()),
            ("base_url", c.base_url.as_str().into()),
            ("language", c.language.as_str().into()),
            ("search", c.search.into()),
            ("sections", list(sections.iter().cloned())),
        ]);
        let t = c.title.as_str();
        let feed = |id: &str, path: String, mime: &'static str| {
            map([
                ("title", strings.with(id, "site", t).into()),
                ("path", path.into()),
                ("mime", mime.into()),
            ])
        };
        let [atom, rss, json] = url_space::FEED_FILES;
        let site_feeds = vec![
            feed("feed.atom", atom.into(), "application/atom+xml"),
            feed("feed.rss", rss.into(), "application/rss+xml"),
            feed("feed.json", json.into(), "application/feed+json"),
        ];
        let section_feeds = site
            .sections
            .iter()
            .map(|s| {
                let own = map([
                    (
                        "title",
                        strings
                            .fill("feed.section", None, &[("site", t), ("section", &s.name)])
                            .into(),
                    ),
                    (
                        "path",
                        format!("{}{atom}", url_space::section(&s.key)).into(),
                    ),
                    ("mime", "application/atom+xml".into()),
                ]);
                list(site_feeds.iter().cloned().chain(std::iter::once(own)))
            })
            .collect();
        SiteValues {
            feeds: list(site_feeds),
            section_feeds,
            site: site_value,
            sections,
            section_refs,
            people,
            person_refs,
            tags,
            tag_refs,
            editions,
            articles: Vec::new(),
        }
    }

    /// Whether article values made with `other`'s refs are still right with these.
    pub fn same_refs(&self, other: &SiteValues) -> bool {
        self.section_refs == other.section_refs
            && self.person_refs == other.person_refs
            && self.tag_refs == other.tag_refs
    }

    /// The full value of one article (also used by `serve` to refresh a single article).
    pub fn article(&self, site: &Site, a: &Article, body: &RenderedBody, now: &Zoned) -> Value {
        let people = |names: &[String]| {
            list(
                names
                    .iter()
                    .filter_map(|n| site.person_by_name.get(n))
                    .map(|&i| self.person_refs[i].clone()),
            )
        };
        let tags = list(
            a.tags
                .iter()
                .filter_map(|t| site.tag_by_name.get(t))
                .map(|&i| self.tag_refs[i].clone()),
        );
        let section = self.section_refs[site.section_of(a)].clone();
        let cover = a.image.as_ref().map(|img| (img, body.images.get(img)));
        let (image, width, height) = match cover {
            Some((_, Some(p))) => (
                format!("{}{}", a.path, p.card.file),
                p.card.width,
                p.card.height,
            ),
            Some((img, None)) => (format!("{}{}", a.path, img), 0, 0),
            None => (String::new(), 0, 0),
        };
        let strings = &site.config.strings;
        let photo = match cover {
            Some((_, Some(p))) => photo_value(a, p),
            _ => Value::none(),
        };
        let date = a.date.date();
        let corrections = list(a.corrections.iter().map(|c| {
            map([
                ("date", rfc3339(&c.date).into()),
                ("date_label", strings.date(c.date.date()).into()),
                ("text", c.text.as_str().into()),
            ])
        }));
        let mut m = Map::with_capacity(32);
        let mut put = |k: &'static str, v: Value| {
            m.insert(k.into(), v);
        };
        put("title", a.title.as_str().into());
        put("kicker", a.kicker.as_str().into());
        put("subtitle", a.subtitle.as_str().into());
        put("summary", body.summary.as_str().into());
        put("path", a.path.as_str().into());
        put(
            "permalink",
            format!("{}{}", site.config.base_url, a.path).into(),
        );
        put("date", rfc3339(&a.date).into());
        put("date_ymd", date.to_string().into());
        put("date_label", strings.date(date).into());
        put("section", section);
        put("reporters", people(&a.reporters));
        put("correspondents", people(&a.correspondents));
        put("credit", a.credit.as_str().into());
        put("dateline", a.dateline.as_str().into());
        put("tags", tags);
        put("image", image.into());
        put("image_caption", a.image_caption.as_str().into());
        put("image_width", width.into());
        put("image_height", height.into());
        put("photo", photo);
        put("draft", a.draft.into());
        put("scheduled", Site::is_scheduled(a, now).into());
        put(
            "updated",
            a.updated.as_ref().map(rfc3339).unwrap_or_default().into(),
        );
        put(
            "updated_label",
            a.updated
                .as_ref()
                .map(|u| strings.date(u.date()))
                .unwrap_or_default()
                .into(),
        );
        put("corrections", corrections);
        put("reading_minutes", body.reading_minutes.into());
        put("content", Value::safe_string(&body.html));
        put("edition_path", url_space::edition(date).into());
        put("extra", Value::from_serializable(&a.extra));
        Value::from(m)
    }
}

/// The cover photo for themes: every derivative's site-relative URL and size, the JPEG
/// fallback (also the social card), and the words to go with it.
fn photo_value(a: &Article, p: &Photo) -> Value {
    let url = |file: &str| format!("{}{}", a.path, file);
    let widths = list(p.webp.iter().map(|v| {
        map([
            ("url", url(&v.file).into()),
            ("width", v.width.into()),
            ("height", v.height.into()),
        ])
    }));
    let small = p.at_least(480);
    map([
        ("src", url(&p.card.file).into()),
        ("width", p.card.width.into()),
        ("height", p.card.height.into()),
        ("type", Format::WebP.mime().into()),
        ("widths", widths),
        ("small", url(&small.file).into()),
        ("alt", a.image_caption.as_str().into()),
        ("caption", a.image_caption.as_str().into()),
        ("credit", p.credit.clone().unwrap_or_default().into()),
    ])
}

pub fn edition_ref(e: &Edition, strings: &Strings) -> Value {
    map([
        ("date", e.date.to_string().into()),
        ("label", strings.date(e.date).into()),
        ("weekday", strings.weekday(e.date).into()),
        ("path", url_space::edition(e.date).into()),
        ("count", e.articles.len().into()),
    ])
}
