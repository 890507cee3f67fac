//! Making the relative URLs of article HTML absolute, for feed readers that show an
//! entry away from its page.

/// Rewrites relative `href="…"`, `src="…"` and `srcset="…"` values in HTML Gazette
/// produced (double quotes, as pulldown-cmark writes them) against `base`, an absolute
/// folder URL.
pub fn absolutize_html(html: &str, base: &str) -> String {
    let mut out = String::with_capacity(html.len() + 64);
    let mut rest = html;
    while let Some((i, is_srcset)) = find_attr(rest) {
        let (head, tail) = rest.split_at(i);
        out.push_str(head);
        let eq = tail.find("=\"").map_or(0, |e| e + 2);
        out.push_str(&tail[..eq]);
        let value_end = tail[eq..].find('"').map_or(tail.len(), |e| eq + e);
        let value = &tail[eq..value_end];
        if is_srcset {
            // Candidates are "URL 480w", separated by commas.
            let candidates: Vec<String> = value
                .split(", ")
                .map(|c| match c.split_once(' ') {
                    Some((url, descriptor)) => format!("{} {descriptor}", join(base, url)),
                    None => join(base, c),
                })
                .collect();
            out.push_str(&candidates.join(", "));
        } else {
            out.push_str(&join(base, value));
        }
        rest = &tail[value_end..];
    }
    out.push_str(rest);
    out
}

/// The next URL attribute: its position, and whether it is a `srcset`.
fn find_attr(s: &str) -> Option<(usize, bool)> {
    [
        (" href=\"", false),
        (" src=\"", false),
        (" srcset=\"", true),
    ]
    .iter()
    .filter_map(|(needle, srcset)| s.find(needle).map(|i| (i, *srcset)))
    .min_by_key(|(i, _)| *i)
}

/// Resolves a relative reference against an absolute base URL ending in `/`.
pub fn join(base: &str, reference: &str) -> String {
    if reference.is_empty()
        || reference.starts_with('#')
        || reference.contains("://")
        || reference.starts_with("mailto:")
        || reference.starts_with("data:")
        || reference.starts_with("tel:")
    {
        return reference.to_string();
    }
    let (scheme_host, path) = match base
        .find("://")
        .and_then(|i| base[i + 3..].find('/').map(|j| i + 3 + j))
    {
        Some(p) => (&base[..p], &base[p..]),
        None => (base.trim_end_matches('/'), "/"),
    };
    if let Some(abs) = reference.strip_prefix('/') {
        return format!("{scheme_host}/{abs}");
    }
    let mut segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    let mut parts = reference.split('/').peekable();
    while let Some(p) = parts.next() {
        match p {
            ".." => {
                segments.pop();
            }
            "." => {}
            _ => {
                // Keep the last part (file name, possibly empty for a trailing slash).
                let rest: Vec<&str> = std::iter::once(p).chain(parts).collect();
                return format!(
                    "{scheme_host}/{}{}{}",
                    segments.join("/"),
                    if segments.is_empty() { "" } else { "/" },
                    rest.join("/")
                );
            }
        }
    }
    format!(
        "{scheme_host}/{}{}",
        segments.join("/"),
        if segments.is_empty() { "" } else { "/" }
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_references_become_absolute() {
        let base = "https://news.example.org/2022/08/02/a/";
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
