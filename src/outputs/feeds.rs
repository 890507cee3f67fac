//! Atom 1.0, RSS 2.0 and JSON Feed 1.1, site-wide and per section: the newest
//! `feed_limit` articles, full HTML with absolute URLs, authors, categories, dates with
//! the site's offset.

use std::collections::HashSet;
use std::io;

use jiff::ZonedDateTime as Zoned;
use quick_xml::events::BytesText;
use quick_xml::Writer;
use serde_json::json;

use super::urls::absolutize_html;
use crate::markdown::RenderedBody;
use crate::model::Site;
use crate::render::values::rfc3339;
use crate::url_space;
use crate::write::Output;

/// One feed: where it lives and which articles it carries.
struct Feed {
    title: String,
    /// Site-relative folder of the feed files ("" or "sections/KEY/").
    dir: String,
    /// The HTML page the feed follows.
    home: String,
    articles: Vec<usize>,
}

/// Every feed of the site: the site-wide one, then one per section, each with the newest
/// `feed_limit` articles. The one place that decides which articles a feed carries.
fn feeds(site: &Site) -> Vec<Feed> {
    let limit = site.config.feed_limit;
    // Articles are sorted newest first, in the site and in each section.
    let newest = |ids: &[usize]| ids[..ids.len().min(limit)].to_vec();
    let mut feeds = vec![Feed {
        title: site.config.title.clone(),
        dir: String::new(),
        home: String::new(),
        articles: (0..site.articles.len().min(limit)).collect(),
    }];
    for s in &site.sections {
        feeds.push(Feed {
            title: format!("{} · {}", site.config.title, s.name),
            dir: url_space::section(&s.key),
            home: url_space::section(&s.key),
            articles: newest(&s.articles),
        });
    }
    feeds
}

/// Indices of every article some feed carries (their bodies must be kept for `all`).
pub fn carried(site: &Site) -> HashSet<usize> {
    feeds(site)
        .iter()
        .flat_map(|f| f.articles.iter().copied())
        .collect()
}

pub fn all(site: &Site, bodies: &[RenderedBody]) -> Vec<Output> {
    write_feeds(site, bodies, feeds(site))
}

/// The feeds that carry any of `articles`: after an edit that moved no article, the
/// others are unchanged.
pub fn carrying(site: &Site, bodies: &[RenderedBody], articles: &[usize]) -> Vec<Output> {
    let mut chosen = feeds(site);
    chosen.retain(|f| f.articles.iter().any(|i| articles.contains(i)));
    write_feeds(site, bodies, chosen)
}

fn write_feeds(site: &Site, bodies: &[RenderedBody], feeds: Vec<Feed>) -> Vec<Output> {
    let carried: HashSet<usize> = feeds
        .iter()
        .flat_map(|f| f.articles.iter().copied())
        .collect();
    let bodies = &Entries::new(site, bodies, carried);
    let mut out = Vec::with_capacity(3 * feeds.len());
    for f in &feeds {
        let [atom_file, rss_file, json_file] = url_space::FEED_FILES;
        out.push(Output::new(
            format!("{}{atom_file}", f.dir),
            atom(site, bodies, f),
        ));
        out.push(Output::new(
            format!("{}{rss_file}", f.dir),
            rss(site, bodies, f),
        ));
        out.push(Output::new(
            format!("{}{json_file}", f.dir),
            json_feed(site, bodies, f),
        ));
    }
    out
}

/// The newest modification among a feed's articles, or the epoch for an empty feed,
/// so that a build with nothing new writes the same bytes.
fn feed_updated<'a>(site: &'a Site, feed: &Feed) -> Option<&'a Zoned> {
    feed.articles
        .iter()
        .map(|&i| site.articles[i].modified())
        .max()
}

fn authors(site: &Site, i: usize) -> Vec<(String, String)> {
    let a = &site.articles[i];
    a.reporters
        .iter()
        .chain(&a.correspondents)
        .map(|n| {
            let slug = site
                .person_by_name
                .get(n)
                .map(|&p| site.people[p].slug.as_str())
                .unwrap_or_default();
            (
                n.clone(),
                format!("{}{}", site.config.base_url, url_space::person(slug)),
            )
        })
        .collect()
}

/// The entries feeds carry: each article's body with its addresses made absolute once,
/// however many feeds (site, section; Atom, RSS, JSON) carry it.
struct Entries<'a> {
    bodies: &'a [RenderedBody],
    html: std::collections::HashMap<usize, String>,
}

impl<'a> Entries<'a> {
    fn new(site: &Site, bodies: &'a [RenderedBody], carried: HashSet<usize>) -> Self {
        use rayon::prelude::*;
        let html = carried
            .into_par_iter()
            .map(|i| {
                let permalink = format!("{}{}", site.config.base_url, site.articles[i].path);
                (i, absolutize_html(&bodies[i].html, &permalink))
            })
            .collect();
        Entries { bodies, html }
    }

    fn content(&self, i: usize) -> &str {
        self.html.get(&i).map_or("", String::as_str)
    }

    fn summary(&self, i: usize) -> &str {
        &self.bodies[i].summary
    }
}

type Xml = Writer<Vec<u8>>;

fn text_el(w: &mut Xml, name: &str, text: &str) -> io::Result<()> {
    w.create_element(name)
        .write_text_content(BytesText::new(text))?;
    Ok(())
}

fn atom(site: &Site, bodies: &Entries<'_>, feed: &Feed) -> Vec<u8> {
    let c = &site.config;
    let bytes = super::xml_document(|w| {
        w.create_element("feed")
            .with_attribute(("xmlns", "http://www.w3.org/2005/Atom"))
            .with_attribute(("xml:lang", c.language.as_str()))
            .write_inner_content(|w| {
                text_el(w, "title", &feed.title)?;
                if !c.description.is_empty() {
                    text_el(w, "subtitle", &c.description)?;
                }
                let self_url = format!("{}{}feed.xml", c.base_url, feed.dir);
                let home = format!("{}{}", c.base_url, feed.home);
                w.create_element("link")
                    .with_attribute(("href", self_url.as_str()))
                    .with_attribute(("rel", "self"))
                    .write_empty()?;
                w.create_element("link")
                    .with_attribute(("href", home.as_str()))
                    .with_attribute(("rel", "alternate"))
                    .with_attribute(("type", "text/html"))
                    .write_empty()?;
                text_el(w, "id", &self_url)?;
                let updated = feed_updated(site, feed)
                    .map(rfc3339)
                    .unwrap_or_else(|| "1970-01-01T00:00:00Z".into());
                text_el(w, "updated", &updated)?;
                w.create_element("generator")
                    .with_attribute(("uri", "https://example.org/gazette"))
                    .write_text_content(BytesText::new("Gazette"))?;
                for &i in &feed.articles {
                    let a = &site.articles[i];
                    let url = format!("{}{}", c.base_url, a.path);
                    w.create_element("entry").write_inner_content(|w| {
                        text_el(w, "title", &a.title)?;
                        w.create_element("link")
                            .with_attribute(("href", url.as_str()))
                            .with_attribute(("rel", "alternate"))
                            .with_attribute(("type", "text/html"))
                            .write_empty()?;
                        text_el(w, "id", &url)?;
                        text_el(w, "published", &rfc3339(&a.date))?;
                        text_el(w, "updated", &rfc3339(a.modified()))?;
                        for (name, uri) in authors(site, i) {
                            w.create_element("author").write_inner_content(|w| {
                                text_el(w, "name", &name)?;
                                text_el(w, "uri", &uri)
                            })?;
                        }
                        let section = c
                            .section(&a.section)
                            .map_or(a.section.as_str(), |s| s.name.as_str());
                        w.create_element("category")
                            .with_attribute(("term", a.section.as_str()))
                            .with_attribute(("label", section))
                            .write_empty()?;
                        for t in &a.tags {
                            w.create_element("category")
                                .with_attribute(("term", t.as_str()))
                                .write_empty()?;
                        }
                        w.create_element("summary")
                            .with_attribute(("type", "text"))
                            .write_text_content(BytesText::new(bodies.summary(i)))?;
                        w.create_element("content")
                            .with_attribute(("type", "html"))
                            .write_text_content(BytesText::new(bodies.content(i)))?;
                        Ok(())
                    })?;
                }
                Ok(())
            })?;
        Ok(())
    });
    bytes
}

/// RFC 2822, as RSS 2.0 wants its dates.
fn rfc2822(z: &Zoned) -> String {
    z.strftime("%a, %d %b %Y %H:%M:%S %z").to_string()
}

fn rss(site: &Site, bodies: &Entries<'_>, feed: &Feed) -> Vec<u8> {
    let c = &site.config;
    let bytes = super::xml_document(|w| {
        w.create_element("rss")
            .with_attribute(("version", "2.0"))
            .with_attribute(("xmlns:atom", "http://www.w3.org/2005/Atom"))
            .with_attribute(("xmlns:dc", "http://purl.org/dc/elements/1.1/"))
            .with_attribute(("xmlns:content", "http://purl.org/rss/1.0/modules/content/"))
            .write_inner_content(|w| {
                w.create_element("channel").write_inner_content(|w| {
                    text_el(w, "title", &feed.title)?;
                    text_el(w, "link", &format!("{}{}", c.base_url, feed.home))?;
                    text_el(
                        w,
                        "description",
                        if c.description.is_empty() {
                            &c.title
                        } else {
                            &c.description
                        },
                    )?;
                    text_el(w, "language", &c.language)?;
                    text_el(w, "generator", "Gazette")?;
                    if let Some(updated) = feed_updated(site, feed) {
                        text_el(w, "lastBuildDate", &rfc2822(updated))?;
                    }
                    let self_url = format!("{}{}rss.xml", c.base_url, feed.dir);
                    w.create_element("atom:link")
                        .with_attribute(("href", self_url.as_str()))
                        .with_attribute(("rel", "self"))
                        .with_attribute(("type", "application/rss+xml"))
                        .write_empty()?;
                    for &i in &feed.articles {
                        let a = &site.articles[i];
                        let url = format!("{}{}", c.base_url, a.path);
                        w.create_element("item").write_inner_content(|w| {
                            text_el(w, "title", &a.title)?;
                            text_el(w, "link", &url)?;
                            w.create_element("guid")
                                .with_attribute(("isPermaLink", "true"))
                                .write_text_content(BytesText::new(&url))?;
                            text_el(w, "pubDate", &rfc2822(&a.date))?;
                            for (name, _) in authors(site, i) {
                                text_el(w, "dc:creator", &name)?;
                            }
                            let section = c
                                .section(&a.section)
                                .map_or(a.section.as_str(), |s| s.name.as_str());
                            text_el(w, "category", section)?;
                            for t in &a.tags {
                                text_el(w, "category", t)?;
                            }
                            text_el(w, "description", bodies.summary(i))?;
                            text_el(w, "content:encoded", bodies.content(i))
                        })?;
                    }
                    Ok(())
                })?;
                Ok(())
            })?;
        Ok(())
    });
    bytes
}

fn json_feed(site: &Site, bodies: &Entries<'_>, feed: &Feed) -> Vec<u8> {
    let c = &site.config;
    let items: Vec<serde_json::Value> = feed
        .articles
        .iter()
        .map(|&i| {
            let a = &site.articles[i];
            let url = format!("{}{}", c.base_url, a.path);
            let section = c.section(&a.section).map_or(a.section.as_str(), |s| s.name.as_str());
            let mut tags = vec![section.to_string()];
            tags.extend(a.tags.iter().cloned());
            let mut item = json!({
                "id": url,
                "url": url,
                "title": a.title,
                "content_html": bodies.content(i),
                "summary": bodies.summary(i),
                "date_published": rfc3339(&a.date),
                "date_modified": rfc3339(a.modified()),
                "authors": authors(site, i).into_iter().map(|(name, url)| json!({"name": name, "url": url})).collect::<Vec<_>>(),
                "tags": tags,
                "language": c.language,
            });
            if let Some(img) = &a.image {
                item["image"] = json!(format!("{url}{}", crate::images::card_file(img)));
            }
            item
        })
        .collect();
    let doc = json!({
        "version": "https://jsonfeed.org/version/1.1",
        "title": feed.title,
        "home_page_url": format!("{}{}", c.base_url, feed.home),
        "feed_url": format!("{}{}feed.json", c.base_url, feed.dir),
        "description": c.description,
        "language": c.language,
        "items": items,
    });
    let mut bytes = serde_json::to_vec_pretty(&doc).unwrap_or_default();
    bytes.push(b'\n');
    bytes
}
