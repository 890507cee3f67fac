//! What goes in `<head>` besides the theme's own markup (which has the canonical link): Open Graph and
//! Twitter card meta, and schema.org `NewsArticle` JSON-LD on articles.
//! JSON is built with serde_json and escaped for a `<script>` element, never concatenated.

use pulldown_cmark_escape::escape_html;
use serde_json::json;

use super::pages::Job;
use super::values::rfc3339;
use crate::model::Site;
use crate::url_space;

pub fn head_extra(site: &Site, job: Job, path: &str, title: &str, description: &str) -> String {
    let c = &site.config;
    let url = format!("{}{}", c.base_url, path);
    let mut out = String::with_capacity(1024);
    let mut meta = |attr: &str, name: &str, content: &str| {
        out.push_str("<meta ");
        out.push_str(attr);
        out.push_str("=\"");
        out.push_str(name);
        out.push_str("\" content=\"");
        let _ = escape_html(&mut out, content);
        out.push_str("\">\n");
    };
    let full_title = if title.is_empty() {
        c.title.clone()
    } else {
        format!("{title} - {}", c.title)
    };
    if let Job::Withdrawn(_) = job {
        // The notice answers the address; search engines should drop it, not keep it.
        meta("name", "robots", "noindex");
    }
    meta("property", "og:site_name", &c.title);
    meta(
        "property",
        "og:title",
        if title.is_empty() { &c.title } else { title },
    );
    meta("property", "og:url", &url);
    meta("property", "og:locale", &c.language.replace('-', "_"));
    let cover = match job {
        Job::Article(i) => site.articles[i].image.as_ref(),
        _ => None,
    };
    // A cover photo makes the shared link a large picture card rather than a thumbnail.
    let card = if cover.is_some() {
        "summary_large_image"
    } else {
        "summary"
    };
    meta("name", "twitter:card", card);
    meta("name", "twitter:title", &full_title);
    let mut json_ld = None;
    if let Job::Article(i) = job {
        let a = &site.articles[i];
        meta("property", "og:type", "article");
        meta("property", "article:published_time", &rfc3339(&a.date));
        meta("property", "article:modified_time", &rfc3339(a.modified()));
        let section_name = c
            .section(&a.section)
            .map_or(a.section.as_str(), |s| s.name.as_str());
        meta("property", "article:section", section_name);
        for t in &a.tags {
            meta("property", "article:tag", t);
        }
        // The 1200-px JPEG made for link previews, never the camera original.
        let image =
            cover.map(|img| format!("{}{}{}", c.base_url, a.path, crate::images::card_file(img)));
        if let Some(img) = &image {
            meta("property", "og:image", img);
        }
        let person = |name: &String| {
            let slug = site
                .person_by_name
                .get(name)
                .map(|&p| site.people[p].slug.as_str())
                .unwrap_or_default();
            json!({"@type": "Person", "name": name, "url": format!("{}{}", c.base_url, url_space::person(slug))})
        };
        let authors: Vec<_> = a
            .reporters
            .iter()
            .chain(&a.correspondents)
            .map(person)
            .collect();
        let alternative = [a.kicker.as_str(), a.subtitle.as_str()]
            .iter()
            .filter(|s| !s.is_empty())
            .copied()
            .collect::<Vec<_>>()
            .join(" ");
        let mut publisher = json!({"@type": "Organization", "name": c.title, "url": c.base_url});
        if let Some(logo) = &c.logo {
            publisher["logo"] = json!({"@type": "ImageObject", "url": format!("{}{}", c.base_url, logo.trim_start_matches('/'))});
        }
        let mut ld = json!({
            "@context": "https://schema.org",
            "@type": "NewsArticle",
            "headline": a.title,
            "datePublished": rfc3339(&a.date),
            "dateModified": rfc3339(a.modified()),
            "author": authors,
            "publisher": publisher,
            "articleSection": section_name,
            "keywords": a.tags,
            "inLanguage": c.language,
            "mainEntityOfPage": {"@type": "WebPage", "@id": url},
            "url": url,
        });
        if !alternative.is_empty() {
            ld["alternativeHeadline"] = json!(alternative);
        }
        if let Some(img) = image {
            ld["image"] = json!([img]);
        }
        if !description.is_empty() {
            ld["description"] = json!(description);
        }
        json_ld = Some(ld);
    } else {
        meta("property", "og:type", "website");
    }
    if !description.is_empty() {
        meta("property", "og:description", description);
    }
    if let Some(ld) = json_ld {
        out.push_str("<script type=\"application/ld+json\">");
        out.push_str(&script_safe_json(&ld));
        out.push_str("</script>\n");
    }
    out
}

/// JSON that cannot close its `<script>` element early: `<`, `>` and `&` as \u escapes.
pub fn script_safe_json(value: &serde_json::Value) -> String {
    let s = value.to_string();
    s.replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}
