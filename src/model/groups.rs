//! The groupings listing pages are made of. Each holds indices into `Site::articles`,
//! which is newest first, so every group is newest first without sorting again.

use std::collections::{BTreeMap, HashMap};

use jiff::civil::Date;

use crate::config::Config;
use crate::text::slug::{slugify, slugify_name, SlugRegistry};
use crate::validate::Article;

#[derive(Debug, Clone)]
pub struct Section {
    pub key: String,
    pub name: String,
    pub description: String,
    pub articles: Vec<usize>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Reporter,
    Correspondent,
}

#[derive(Debug, Clone)]
pub struct Person {
    pub name: String,
    pub slug: String,
    /// From the profile, else from how the person is credited most (记者 / 通讯员).
    pub role: String,
    pub bio: String,
    pub articles: Vec<usize>,
}

#[derive(Debug, Clone)]
pub struct Tag {
    pub name: String,
    pub slug: String,
    pub articles: Vec<usize>,
}

/// One day's bulletin: every article of that date.
#[derive(Debug, Clone)]
pub struct Edition {
    pub date: Date,
    pub articles: Vec<usize>,
}

#[derive(Debug, Clone)]
pub struct Month {
    pub year: i16,
    pub month: i8,
    pub articles: Vec<usize>,
}

pub(super) struct Groups {
    pub sections: Vec<Section>,
    pub people: Vec<Person>,
    pub tags: Vec<Tag>,
    pub editions: Vec<Edition>,
    pub months: Vec<Month>,
    pub person_by_name: HashMap<String, usize>,
    pub tag_by_name: HashMap<String, usize>,
    pub edition_by_date: HashMap<Date, usize>,
}

/// A person's articles, and how often they were credited as reporter and as correspondent.
type Credits = (Vec<usize>, usize, usize);

pub(super) fn group(articles: &[std::sync::Arc<Article>], config: &Config) -> Groups {
    let mut sections: Vec<Section> = config
        .sections
        .iter()
        .map(|s| Section {
            key: s.key.clone(),
            name: s.name.clone(),
            description: s.description.clone(),
            articles: Vec::new(),
        })
        .collect();
    let section_index: HashMap<&str, usize> = config
        .sections
        .iter()
        .enumerate()
        .map(|(i, s)| (s.key.as_str(), i))
        .collect();

    let mut people: BTreeMap<&str, Credits> = BTreeMap::new();
    let mut tags: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    let mut days: BTreeMap<Date, Vec<usize>> = BTreeMap::new();
    let mut months: BTreeMap<(i16, i8), Vec<usize>> = BTreeMap::new();

    for (i, a) in articles.iter().enumerate() {
        if let Some(&s) = section_index.get(a.section.as_str()) {
            sections[s].articles.push(i);
        }
        for (name, role) in a
            .reporters
            .iter()
            .map(|n| (n, Role::Reporter))
            .chain(a.correspondents.iter().map(|n| (n, Role::Correspondent)))
        {
            let entry = people.entry(name.as_str()).or_default();
            if entry.0.last() != Some(&i) {
                entry.0.push(i);
            }
            match role {
                Role::Reporter => entry.1 += 1,
                Role::Correspondent => entry.2 += 1,
            }
        }
        for t in &a.tags {
            tags.entry(t.as_str()).or_default().push(i);
        }
        let date = a.date.date();
        days.entry(date).or_default().push(i);
        months
            .entry((date.year(), date.month()))
            .or_default()
            .push(i);
    }

    // Profile slugs are reserved first; the rest are handed out in order of first
    // appearance (the oldest article using the name), so a name added later never takes
    // the slug an older one already had (公示 keeps `gong-shi` when 公式 comes along).
    let first_use = |list: &[usize]| {
        list.iter()
            .map(|&i| (articles[i].date.timestamp(), &articles[i].source))
            .min()
    };
    let mut person_slugs = SlugRegistry::default();
    for (name, profile) in &config.people {
        if let Some(slug) = &profile.slug {
            // Two profiles with one slug are refused when site.yaml is read.
            let _ = person_slugs.reserve(name, slug);
        }
    }
    let mut people: Vec<(&str, Credits)> = people.into_iter().collect();
    people.sort_by_cached_key(|(name, (list, _, _))| (first_use(list), *name));
    let mut people: Vec<Person> = people
        .into_iter()
        .map(|(name, (list, as_reporter, as_correspondent))| {
            let profile = config.people.get(name).cloned().unwrap_or_default();
            let role = profile.role.clone().unwrap_or_else(|| {
                config
                    .strings
                    .get(if as_reporter >= as_correspondent {
                        "role.reporter"
                    } else {
                        "role.correspondent"
                    })
                    .to_string()
            });
            Person {
                name: name.to_string(),
                slug: person_slugs.assign(name, slugify_name),
                role,
                bio: profile.bio.unwrap_or_default(),
                articles: list,
            }
        })
        .collect();
    people.sort_by(|a, b| a.name.cmp(&b.name));

    let mut tag_slugs = SlugRegistry::default();
    let mut tags: Vec<(&str, Vec<usize>)> = tags.into_iter().collect();
    tags.sort_by_cached_key(|(name, list)| (first_use(list), *name));
    let mut tags: Vec<Tag> = tags
        .into_iter()
        .map(|(name, list)| Tag {
            name: name.to_string(),
            slug: tag_slugs.assign(name, slugify),
            articles: list,
        })
        .collect();
    tags.sort_by(|a, b| a.name.cmp(&b.name));

    let editions: Vec<Edition> = days
        .into_iter()
        .rev()
        .map(|(date, articles)| Edition { date, articles })
        .collect();
    let months = months
        .into_iter()
        .rev()
        .map(|((year, month), articles)| Month {
            year,
            month,
            articles,
        })
        .collect();

    Groups {
        person_by_name: people
            .iter()
            .enumerate()
            .map(|(i, p)| (p.name.clone(), i))
            .collect(),
        tag_by_name: tags
            .iter()
            .enumerate()
            .map(|(i, t)| (t.name.clone(), i))
            .collect(),
        edition_by_date: editions
            .iter()
            .enumerate()
            .map(|(i, e)| (e.date, i))
            .collect(),
        sections,
        people,
        tags,
        editions,
        months,
    }
}
