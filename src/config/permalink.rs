//! Article URL patterns such as `/{year}/{month}/{day}/{slug}/`.

use crate::diag::Message;

pub const DEFAULT: &str = "/{year}/{month}/{day}/{slug}/";
pub const PLACEHOLDERS: &[&str] = &["{year}", "{month}", "{day}", "{slug}", "{section}"];

/// A checked pattern: starts and ends with `/`, contains `{slug}`, no other braces.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Permalink(String);

impl Default for Permalink {
    fn default() -> Self {
        Permalink(DEFAULT.to_string())
    }
}

/// The values a permalink is filled with.
pub struct Parts<'a> {
    pub year: i16,
    pub month: i8,
    pub day: i8,
    pub slug: &'a str,
    pub section: &'a str,
}

impl Permalink {
    pub fn parse(pattern: &str) -> Result<Permalink, Message> {
        if !pattern.starts_with('/') || !pattern.ends_with('/') {
            return Err(msg!("permalink.slashes", pattern = pattern));
        }
        if !pattern.contains("{slug}") {
            return Err(msg!("permalink.no_slug", pattern = pattern));
        }
        let mut rest = pattern.to_string();
        for p in PLACEHOLDERS {
            rest = rest.replace(p, "");
        }
        if rest.contains('{') || rest.contains('}') {
            return Err(msg!("permalink.unknown_placeholder", pattern = pattern));
        }
        if rest.split('/').any(|seg| seg == "." || seg == "..") || rest.contains('\\') {
            return Err(msg!("permalink.dots", pattern = pattern));
        }
        Ok(Permalink(pattern.to_string()))
    }

    /// The site-relative path (no leading `/`, ending in `/`) for these parts.
    pub fn fill(&self, parts: &Parts<'_>) -> String {
        let filled = self
            .0
            .replace("{year}", &format!("{:04}", parts.year))
            .replace("{month}", &format!("{:02}", parts.month))
            .replace("{day}", &format!("{:02}", parts.day))
            .replace("{slug}", parts.slug)
            .replace("{section}", parts.section);
        filled.trim_start_matches('/').to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_pattern_fills_dates_with_zeros() {
        let p = Permalink::parse(DEFAULT).unwrap();
        let parts = Parts {
            year: 2022,
            month: 8,
            day: 2,
            slug: "x",
            section: "s",
        };
        assert_eq!(p.fill(&parts), "2022/08/02/x/");
    }

    #[test]
    fn bad_patterns_are_refused() {
        assert!(Permalink::parse("/{year}/").is_err());
        assert!(Permalink::parse("{slug}").is_err());
        assert!(Permalink::parse("/{slug}/{oops}/").is_err());
        assert!(Permalink::parse("/../{slug}/").is_err());
    }
}
