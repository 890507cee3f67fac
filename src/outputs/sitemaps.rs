//! `sitemap.xml` (split under an index past 50,000 URLs), the Google News sitemap, and
//! `robots.txt` pointing at both.

use jiff::ZonedDateTime as Zoned;
use quick_xml::events::BytesText;

use crate::i18n::Language;
use crate::model::Site;
use crate::render::pages::{plan, Job};
use crate::render::values::rfc3339;
use crate::url_space::{self, page_path, NEWS_SITEMAP, ROBOTS, SITEMAP, URLS_PER_SITEMAP};
use crate::write::Output;

/// Google News sitemaps carry at most 1,000 articles from the last two days.
const NEWS_LIMIT: usize = 1_000;

/// `sitemap.xml` and `robots.txt`: they show only URLs and dates.
pub fn structural(site: &Site) -> Vec<Output> {
    let c = &site.config;
    let mut out = sitemap(site);
    let robots = format!(
        "User-agent: *\nAllow: /\n\nSitemap: {0}{SITEMAP}\nSitemap: {0}{NEWS_SITEMAP}\n",
        c.base_url
    );
    // Crawlers read robots.txt only at the host's root: under a sub-path it would do nothing.
    if site.base_path == "/" {
        out.push(Output::new(ROBOTS, robots));
    }
    out
}

/// Every page but 404 and search, with the newest date of what it shows.
fn entries(site: &Site) -> Vec<(String, Option<&Zoned>)> {
    let newest = |ids: &[usize]| ids.first().map(|&i| site.articles[i].modified());
    plan(site)
        .into_iter()
        .filter(|j| !matches!(j, Job::NotFound | Job::Search | Job::Withdrawn(_)))
        .map(|job| {
            let lastmod = match job {
                Job::Article(i) => Some(site.articles[i].modified()),
                Job::Section { index, .. } => newest(&site.sections[index].articles),
                Job::Person { index, .. } => newest(&site.people[index].articles),
                Job::Tag { index, .. } => newest(&site.tags[index].articles),
                Job::Edition(i) => newest(&site.editions[i].articles),
                Job::ArchiveMonth(i) => newest(&site.months[i].articles),
                _ => newest(
                    &[0].into_iter()
                        .filter(|_| !site.articles.is_empty())
                        .collect::<Vec<_>>(),
                ),
            };
            (
                format!("{}{}", site.config.base_url, page_path(site, job)),
                lastmod,
            )
        })
        .collect()
}

fn urlset(entries: &[(String, Option<&Zoned>)]) -> Vec<u8> {
    let bytes = super::xml_document(|w| {
        w.create_element("urlset")
            .with_attribute(("xmlns", "http://www.sitemaps.org/schemas/sitemap/0.9"))
            .write_inner_content(|w| {
                for (loc, lastmod) in entries {
                    w.create_element("url").write_inner_content(|w| {
                        w.create_element("loc")
                            .write_text_content(BytesText::new(loc))?;
                        if let Some(m) = lastmod {
                            w.create_element("lastmod")
                                .write_text_content(BytesText::new(&rfc3339(m)))?;
                        }
                        Ok(())
                    })?;
                }
                Ok(())
            })?;
        Ok(())
    });
    bytes
}

fn sitemap(site: &Site) -> Vec<Output> {
    let all = entries(site);
    if all.len() <= URLS_PER_SITEMAP {
        return vec![Output::new(SITEMAP, urlset(&all))];
    }
    let mut out = Vec::new();
    let chunks: Vec<_> = all.chunks(URLS_PER_SITEMAP).collect();
    let bytes = super::xml_document(|index| {
        index
            .create_element("sitemapindex")
            .with_attribute(("xmlns", "http://www.sitemaps.org/schemas/sitemap/0.9"))
            .write_inner_content(|w| {
                for (n, chunk) in chunks.iter().enumerate() {
                    let name = url_space::sitemap_part(n + 1);
                    out.push(Output::new(name.clone(), urlset(chunk)));
                    w.create_element("sitemap").write_inner_content(|w| {
                        let loc = format!("{}{name}", site.config.base_url);
                        w.create_element("loc")
                            .write_text_content(BytesText::new(&loc))?;
                        if let Some(m) = chunk.iter().filter_map(|(_, m)| *m).max() {
                            w.create_element("lastmod")
                                .write_text_content(BytesText::new(&rfc3339(m)))?;
                        }
                        Ok(())
                    })?;
                }
                Ok(())
            })?;
        Ok(())
    });
    out.push(Output::new(SITEMAP, bytes));
    out
}

/// Google wants `zh-cn` / `zh-tw` for Chinese (by script: Hong Kong and Macau sites write
/// Traditional characters) and the bare ISO 639 code otherwise.
fn news_language(language: Language) -> &'static str {
    match language {
        Language::ZhCn => "zh-cn",
        Language::ZhTw | Language::ZhHk => "zh-tw",
        Language::En => "en",
    }
}

/// The Google News sitemap: it shows headlines.
pub fn news_sitemap(site: &Site) -> Output {
    let c = &site.config;
    let cutoff = site
        .articles
        .first()
        .map(|a| a.date.timestamp() - jiff::SignedDuration::from_hours(48));
    let recent = site
        .articles
        .iter()
        .take_while(|a| cutoff.is_some_and(|cut| a.date.timestamp() >= cut))
        .take(NEWS_LIMIT);
    let language = news_language(c.strings.language());
    let bytes = super::xml_document(|w| {
        w.create_element("urlset")
            .with_attribute(("xmlns", "http://www.sitemaps.org/schemas/sitemap/0.9"))
            .with_attribute((
                "xmlns:news",
                "http://www.google.com/schemas/sitemap-news/0.9",
            ))
            .write_inner_content(|w| {
                for a in recent {
                    w.create_element("url").write_inner_content(|w| {
                        let loc = format!("{}{}", c.base_url, a.path);
                        w.create_element("loc")
                            .write_text_content(BytesText::new(&loc))?;
                        w.create_element("news:news").write_inner_content(|w| {
                            w.create_element("news:publication")
                                .write_inner_content(|w| {
                                    w.create_element("news:name")
                                        .write_text_content(BytesText::new(&c.title))?;
                                    w.create_element("news:language")
                                        .write_text_content(BytesText::new(language))?;
                                    Ok(())
                                })?;
                            w.create_element("news:publication_date")
                                .write_text_content(BytesText::new(&rfc3339(&a.date)))?;
                            w.create_element("news:title")
                                .write_text_content(BytesText::new(&a.title))?;
                            Ok(())
                        })?;
                        Ok(())
                    })?;
                }
                Ok(())
            })?;
        Ok(())
    });
    Output::new(NEWS_SITEMAP, bytes)
}
