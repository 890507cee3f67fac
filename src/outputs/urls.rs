//! Making the relative URLs of article HTML absolute, for feed readers that show an
//! entry away from its page.

use url::Url;

/// Rewrites the relative `href`, `src` and `srcset` addresses of body HTML against `base`,
/// an absolute folder URL, with a real HTML rewriter: one pass over the body, whatever the
/// quoting, however many links.
pub fn absolutize_html(html: &str, base: &str) -> String {
    // The base is the site's checked base URL plus an article's path; should it still not
    // parse, relative links beat no entry.
    let Ok(base) = Url::parse(base) else {
        return html.to_string();
    };
    let absolute = |el: &mut lol_html::html_content::Element<'_, '_>| {
        for attr in ["href", "src"] {
            if let Some(value) = el.get_attribute(attr) {
                el.set_attribute(attr, &join(&base, &value))?;
            }
        }
        if let Some(value) = el.get_attribute("srcset") {
            el.set_attribute("srcset", &join_srcset(&base, &value))?;
        }
        Ok(())
    };
    let settings = lol_html::RewriteStrSettings::new()
        .append_element_content_handler(lol_html::element!("[href], [src], [srcset]", absolute));
    // The rewriter fails only on a handler error, and `set_attribute` fails only on a bad
    // attribute name; ours are fixed.
    lol_html::rewrite_str(html, settings).unwrap_or_else(|_| html.to_string())
}

/// `a-800.jpg 800w, a-1600.jpg 1600w` with each address made absolute.
fn join_srcset(base: &Url, srcset: &str) -> String {
    srcset
        .split(',')
        .map(|candidate| {
            let candidate = candidate.trim();
            match candidate.split_once(char::is_whitespace) {
                Some((url, descriptor)) => format!("{} {}", join(base, url), descriptor.trim()),
                None => join(base, candidate),
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// `reference` resolved against `base` as a browser would. A jump to a spot on the same
/// page (a footnote) stays as it is, so that it moves within the entry in a feed reader.
fn join(base: &Url, reference: &str) -> String {
    if reference.starts_with('#') {
        return reference.to_string();
    }
    base.join(reference)
        .map_or_else(|_| reference.to_string(), String::from)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_references_become_absolute() {
        let base = &Url::parse("https://news.example.org/2022/08/02/a/").unwrap();
        assert_eq!(
            join(base, "photo.jpg"),
            "https://news.example.org/2022/08/02/a/photo.jpg"
        );
        assert_eq!(
            join(base, "../../../../2022/08/03/b/"),
            "https://news.example.org/2022/08/03/b/"
        );
        assert_eq!(join(base, "/x/"), "https://news.example.org/x/");
        assert_eq!(join(base, "#fn-1"), "#fn-1");
        assert_eq!(join(base, "https://other.org/"), "https://other.org/");
        assert_eq!(join(base, "../../../../"), "https://news.example.org/");
        assert_eq!(
            join(base, "mailto:desk@example.org"),
            "mailto:desk@example.org"
        );
        // Feed readers get the address as the browser sends it.
        assert_eq!(
            join(base, "现场.jpg?v=2"),
            "https://news.example.org/2022/08/02/a/%E7%8E%B0%E5%9C%BA.jpg?v=2"
        );
    }

    #[test]
    fn single_quotes_srcset_and_many_links_are_rewritten() {
        let html = "<a href='../b/'>b</a><img srcset=\"p-800.jpg 800w, p.jpg 1600w\" src=p.jpg>";
        assert_eq!(
            absolutize_html(html, "https://x.org/a/"),
            "<a href=\"https://x.org/b/\">b</a><img srcset=\"https://x.org/a/p-800.jpg 800w, https://x.org/a/p.jpg 1600w\" src=\"https://x.org/a/p.jpg\">"
        );
    }

    #[test]
    fn html_attributes_are_rewritten() {
        let html = "<p><a href=\"../b/\">b</a><img src=\"p.jpg\" srcset=\"p-1.webp 1w, p-2.webp 2w\" alt=\"\"></p>";
        assert_eq!(
            absolutize_html(html, "https://x.org/a/"),
            "<p><a href=\"https://x.org/b/\">b</a><img src=\"https://x.org/a/p.jpg\" srcset=\"https://x.org/a/p-1.webp 1w, https://x.org/a/p-2.webp 2w\" alt=\"\"></p>"
        );
    }
}
