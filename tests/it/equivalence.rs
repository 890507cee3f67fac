//! The preview never lies: after every step of a seeded random sequence of edits, the
//! incrementally updated preview holds exactly the files a fresh build of the same folder
//! makes — the same paths, the same bytes — and fails exactly when a fresh build fails.
//!
//! A build into the folder of the last one, which renders only the pages an edit changed,
//! is held to the same standard: after every step its folder holds what a fresh build makes.
//!
//! A failure prints the seed, the step and the edits so far; replay one seed with
//! `GAZETTE_EQUIVALENCE_SEED=N cargo test equivalence`, and make a longer run with
//! `GAZETTE_EQUIVALENCE_STEPS=N`.

use std::collections::BTreeSet;
use std::path::PathBuf;

use gazette::pipeline::incremental::{Change, Files, Preview};
use gazette::pipeline::BuildOptions;

use crate::fixture::{Site, SITE_YAML};

/// A small, fast, deterministic generator (xorshift64*): enough to pick edits.
struct Dice(u64);

impl Dice {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        (self.0.wrapping_mul(0x2545_f491_4f6c_dd1d) >> 33) as usize % n.max(1)
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }

    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }
}

/// 公示 and 公式 share a pinyin slug; 工程 and 公示 collide with neither.
const TAGS: &[&str] = &["公示", "公式", "加装电梯", "工程", "夜市", "文明城市"];
const PEOPLE: &[&str] = &["杨宜锦", "马瑞萍", "李文博", "黎文博", "张晓岚"];
const SECTIONS: &[&str] = &["community", "meetings"];
const TITLES: &[&str] = &[
    "电梯稿件",
    "会议稿件",
    "夜市开张",
    "湿地公园",
    "长江大桥",
    "公示名单",
];
const SLOTS: usize = 7;

/// One article as the test wants it written; `None` fields are left out.
#[derive(Clone, Debug)]
struct Draft {
    title: String,
    date: String,
    section: String,
    tags: Vec<String>,
    reporters: Vec<String>,
    slug: Option<String>,
    draft: bool,
    lead: bool,
    body: String,
    bundle: bool,
    photo: bool,
    /// `aliases: [/old/N/]`: few enough that two stories may claim one address.
    alias: Option<usize>,
    /// Taken down with `unpublished:`.
    withdrawn: bool,
}

impl Draft {
    fn random(d: &mut Dice) -> Draft {
        let mut draft = Draft {
            title: d.pick(TITLES).to_string(),
            date: format!("2022-08-{:02}", 1 + d.below(5)),
            section: d.pick(SECTIONS).to_string(),
            tags: Vec::new(),
            reporters: vec![d.pick(PEOPLE).to_string()],
            slug: None,
            draft: d.chance(15),
            lead: d.chance(10),
            body: "正文。\n".to_string(),
            bundle: d.chance(30),
            photo: false,
            alias: None,
            withdrawn: false,
        };
        draft.retag(d);
        draft
    }

    fn retag(&mut self, d: &mut Dice) {
        let n = d.below(3);
        let mut tags: Vec<String> = (0..n).map(|_| d.pick(TAGS).to_string()).collect();
        tags.sort();
        tags.dedup();
        self.tags = tags;
    }

    fn file(&self, slot: usize) -> String {
        if self.bundle {
            format!("content/2022/s{slot}/index.md")
        } else {
            format!("content/2022/s{slot}.md")
        }
    }

    fn text(&self) -> String {
        let mut front = format!(
            "title: {}\nreporter: [{}]\ndate: {}\nsection: {}\ntags: [{}]\n",
            self.title,
            self.reporters.join(", "),
            self.date,
            self.section,
            self.tags.join(", ")
        );
        if let Some(slug) = &self.slug {
            front += &format!("slug: {slug}\n");
        }
        if self.draft {
            front += "draft: true\n";
        }
        if self.lead {
            front += "extra: {lead: true}\n";
        }
        if let Some(n) = self.alias {
            front += &format!("aliases: [/old/{n}/]\n");
        }
        if self.withdrawn {
            front += "unpublished: {date: 2022-08-06, reason: 依法撤下}\n";
        }
        let photo = if self.bundle && self.photo {
            "\n![图](photo.png)\n"
        } else {
            ""
        };
        format!("---\n{front}---\n{}{photo}", self.body)
    }
}

/// The fixture: a folder on disk, what the test believes each slot holds, and the edits.
struct World {
    site: Site,
    slots: Vec<Option<Draft>>,
    paginate: usize,
    /// The preview's clock: articles dated after it are scheduled, and marked so.
    now: String,
    log: Vec<String>,
}

impl World {
    fn new(d: &mut Dice) -> World {
        let mut world = World {
            site: Site::new(),
            slots: vec![None; SLOTS],
            paginate: 2,
            now: clock(3),
            log: Vec::new(),
        };
        for slot in 0..4 {
            world.put(slot, Draft::random(d));
        }
        world
    }

    /// Writes `draft` into `slot`; returns the paths the watcher would report.
    fn put(&mut self, slot: usize, draft: Draft) -> Vec<PathBuf> {
        let mut paths = self.remove(slot);
        let file = draft.file(slot);
        self.site.write(&file, &draft.text());
        paths.push(PathBuf::from(&file));
        if draft.bundle && draft.photo {
            let photo = format!("content/2022/s{slot}/photo.png");
            self.site.write_bytes(&photo, &crate::build::png(4, 3));
            paths.push(PathBuf::from(photo));
        }
        self.slots[slot] = Some(draft);
        // The watcher reports each path once per burst.
        paths.sort();
        paths.dedup();
        paths
    }

    /// Deletes whatever `slot` holds; returns the paths the watcher would report.
    fn remove(&mut self, slot: usize) -> Vec<PathBuf> {
        let Some(old) = self.slots[slot].take() else {
            return Vec::new();
        };
        let file = old.file(slot);
        if old.bundle {
            let folder = format!("content/2022/s{slot}");
            std::fs::remove_dir_all(self.site.path(&folder)).expect("remove bundle");
            vec![PathBuf::from(folder)]
        } else {
            std::fs::remove_file(self.site.path(&file)).expect("remove article");
            vec![PathBuf::from(file)]
        }
    }

    /// One random edit, applied on disk; returns the change the watcher would report, or
    /// `None` when the clock moved on instead.
    fn edit(&mut self, d: &mut Dice) -> Option<Change> {
        if d.chance(4) {
            self.now = clock(1 + d.below(7));
            self.log.push(format!("clock {}", self.now));
            return None;
        }
        Some(self.edit_files(d))
    }

    fn edit_files(&mut self, d: &mut Dice) -> Change {
        let slot = d.below(SLOTS);
        let Some(mut draft) = self.slots[slot].clone() else {
            self.log.push(format!("add s{slot}"));
            return Change::Content(self.put(slot, Draft::random(d)));
        };
        let what = d.below(18);
        self.log.push(format!("s{slot}: edit {what}"));
        match what {
            0 => draft.title = d.pick(TITLES).to_string(),
            1 => {
                draft.slug = match d.below(3) {
                    0 => None,
                    1 => Some(format!("story-{}", d.below(4))),
                    _ => Some("tags".to_string()),
                }
            }
            2 => draft.date = format!("2022-08-{:02}", 1 + d.below(5)),
            3 => draft.section = d.pick(SECTIONS).to_string(),
            4 => draft.retag(d),
            5 => {
                draft.reporters = vec![d.pick(PEOPLE).to_string()];
                if d.chance(30) {
                    draft.reporters.push(d.pick(PEOPLE).to_string());
                    draft.reporters.dedup();
                }
            }
            6 => draft.draft = !draft.draft,
            7 => draft.lead = !draft.lead,
            8 => draft.body = format!("正文第{}版。\n", d.below(1000)),
            9 => {
                // A link to another article by its file, which may not exist.
                let other = d.below(SLOTS);
                draft.body = format!("参见[另一篇](s{other}.md)。\n");
            }
            10 => {
                self.log.push(format!("delete s{slot}"));
                return Change::Content(self.remove(slot));
            }
            11 => {
                // Rename: the same article moves to a free slot.
                let Some(to) = (0..SLOTS).find(|&s| self.slots[s].is_none()) else {
                    return Change::Content(self.put(slot, draft));
                };
                self.log.push(format!("rename s{slot} -> s{to}"));
                let mut paths = self.remove(slot);
                paths.extend(self.put(to, draft));
                return Change::Content(paths);
            }
            12 => {
                draft.bundle = !draft.bundle;
                draft.photo = draft.bundle && d.chance(50);
            }
            13 => {
                draft.photo = draft.bundle && !draft.photo;
            }
            15 => {
                draft.alias = if draft.alias.is_some() {
                    None
                } else {
                    Some(d.below(3))
                }
            }
            16 => draft.withdrawn = !draft.withdrawn,
            14 => {
                self.paginate = 1 + d.below(3);
                let yaml =
                    SITE_YAML.replace("paginate: 2", &format!("paginate: {}", self.paginate));
                self.site.write("site.yaml", &yaml);
                return Change::Everything;
            }
            _ => {
                let n = d.below(3);
                match d.below(3) {
                    0 => self
                        .site
                        .write("static/extra.css", &format!("body {{ margin: {n}px }}\n")),
                    1 => self.site.write(
                        "templates/404.html",
                        &format!("<!DOCTYPE html><title>没有</title><p>第{n}种404</p>"),
                    ),
                    // A template every article page uses: no page may be kept as it was.
                    _ => self
                        .site
                        .write("templates/article.html", &article_template(n)),
                };
                return Change::Everything;
            }
        }
        Change::Content(self.put(slot, draft))
    }
}

/// The built-in article template with a mark of version `n` in every page.
fn article_template(n: usize) -> String {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/themes/bulletin/templates/article.html"
    );
    let text = std::fs::read_to_string(path).expect("the built-in article template");
    let end = "{%- endblock main %}";
    text.replace(end, &format!("<!-- 第{n}版 -->{end}"))
}

/// Noon on day `day` of the month the articles are dated in (1 to 5).
fn clock(day: usize) -> String {
    format!("2022-08-{day:02}T12:00:00+08:00[Asia/Shanghai]")
}

fn options_at(site: &Site, now: &str) -> BuildOptions {
    BuildOptions {
        drafts: true,
        future: true,
        asset_hashes: false,
        now: Some(now.parse().expect("now")),
        ..BuildOptions::new(site.root())
    }
}

fn options(site: &Site) -> BuildOptions {
    options_at(site, &clock(10))
}

/// What `gazette build` would publish at the world's clock (the search index aside: the
/// preview keeps its own), by the build's own code path.
fn fresh_build(world: &World) -> Result<Files, Vec<gazette::diag::Diagnostic>> {
    let opts = BuildOptions {
        skip_search: true,
        ..options_at(&world.site, &world.now)
    };
    let (_, outputs) = gazette::pipeline::build_in_memory(&opts)?;
    Ok(outputs
        .into_iter()
        .map(|o| (o.path, o.bytes.into()))
        .collect())
}

/// Runs `steps` random edits from `seed`, comparing with a fresh build after each.
fn run(seed: u64, steps: usize) {
    let mut d = Dice(seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1);
    let mut world = World::new(&mut d);
    let mut preview = Preview::new(options_at(&world.site, &world.now)).ok();
    for step in 0..steps {
        let change = world.edit(&mut d);
        let fresh = fresh_build(&world);
        let context = || {
            format!(
                "seed {seed}, step {step}, change {change:?}, edits: {:?}",
                world.log
            )
        };
        let applied = match (preview.as_mut(), &change) {
            (Some(p), Some(change)) => p.apply(change).map(|_| ()),
            (Some(p), None) => p.at(Some(world.now.parse().expect("now"))).map(|_| ()),
            // No good build yet: serve tries a full one, as here.
            (None, _) => {
                Preview::new(options_at(&world.site, &world.now)).map(|p| preview = Some(p))
            }
        };
        match (&fresh, applied) {
            (Ok(fresh), Ok(())) => {
                let served = preview.as_ref().expect("a preview").files();
                assert_same_files(fresh, served, "served", context);
            }
            (Err(_), Err(_)) => {}
            (Ok(_), Err(d)) => panic!(
                "the preview failed where a build works: {d:?}\n{}",
                context()
            ),
            (Err(d), Ok(())) => panic!(
                "the preview updated where a build fails: {d:?}\n{}",
                context()
            ),
        }
    }
}

/// `got` holds exactly the files of `fresh`, byte for byte; `what` names where `got` is.
fn assert_same_files(fresh: &Files, got: &Files, what: &str, context: impl Fn() -> String) {
    let paths = |f: &Files| f.keys().cloned().collect::<BTreeSet<String>>();
    assert_eq!(paths(fresh), paths(got), "{}", context());
    for (path, bytes) in fresh {
        assert!(
            got.get(path) == Some(bytes),
            "{path} differs from a fresh build\n{what}:\n{}\nfresh:\n{}\n{}",
            String::from_utf8_lossy(&got[path]),
            String::from_utf8_lossy(bytes),
            context()
        );
    }
}

fn env_number(name: &str) -> Option<u64> {
    std::env::var(name).ok().and_then(|v| v.parse().ok())
}

/// Runs `walk` for every seed with `steps` steps, or as the environment says.
fn walk_seeds(steps: usize, walk: fn(u64, usize)) {
    let steps = env_number("GAZETTE_EQUIVALENCE_STEPS").map_or(steps, |n| n as usize);
    let seeds: Vec<u64> = match env_number("GAZETTE_EQUIVALENCE_SEED") {
        Some(seed) => vec![seed],
        None => (1..=10).collect(),
    };
    for seed in seeds {
        walk(seed, steps);
    }
}

#[test]
fn the_preview_equals_a_fresh_build_after_every_random_edit() {
    walk_seeds(100, run);
}

/// What `gazette build` left in `output`, every file by its site-relative path.
fn on_disk(output: &std::path::Path) -> Files {
    crate::fixture::snapshot(output)
        .into_iter()
        .map(|(path, bytes)| (path.to_string_lossy().replace('\\', "/"), bytes.into()))
        .collect()
}

/// Runs `steps` random edits from `seed`, building into one folder after each; the folder
/// must then hold exactly what a fresh build makes, though most pages were kept from the
/// build before (see `pipeline::page_record`).
fn run_on_disk(seed: u64, steps: usize) {
    let mut d = Dice(seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1);
    let mut world = World::new(&mut d);
    let output = world.site.path("public");
    let mut kept_some = false;
    for step in 0..steps {
        world.edit(&mut d);
        let fresh = fresh_build(&world);
        let opts = BuildOptions {
            skip_search: true,
            ..options_at(&world.site, &world.now)
        };
        // Two edits within one tick of the file clock can look like none to the no-op
        // check, which is not what this test is about: forget its stamp.
        let stamp = gazette::write::state_dir(&output).join("stamp");
        let _ = std::fs::remove_file(stamp);
        let built = gazette::pipeline::build(&opts, &output);
        let context = || format!("seed {seed}, step {step}, edits: {:?}", world.log);
        match (&fresh, built) {
            (Ok(fresh), Ok(report)) => {
                let built = report.built.expect("a build");
                kept_some |= built.rendered < built.pages;
                assert_same_files(fresh, &on_disk(&output), "on disk", context);
            }
            (Err(_), Err(_)) => {}
            (Ok(_), Err(d)) => panic!("the rebuild failed: {d:?}\n{}", context()),
            (Err(d), Ok(_)) => panic!("the rebuild worked where a fresh build fails: {d:?}"),
        }
    }
    assert!(kept_some, "seed {seed}: no build kept a page");
}

#[test]
fn a_rebuild_on_disk_equals_a_fresh_build_after_every_random_edit() {
    walk_seeds(60, run_on_disk);
}

fn preview(site: &Site) -> Preview {
    Preview::new(options(site)).expect("preview")
}

fn page(p: &Preview, path: &str) -> String {
    String::from_utf8_lossy(&p.files()[path]).into_owned()
}

/// Regression: a changed slug left other articles linking to the old URL (a 404).
#[test]
fn a_changed_slug_updates_the_links_to_it() {
    let site = Site::new();
    site.article(
        "a.md",
        &crate::fixture::front("甲稿", "2022-08-02", "community"),
        "见[乙稿](b.md)。\n",
    );
    site.article(
        "b.md",
        &crate::fixture::front("乙稿", "2022-08-01", "community"),
        "乙。\n",
    );
    let mut p = preview(&site);
    assert!(page(&p, "2022/08/02/a/index.html").contains("2022/08/01/b/"));
    site.article(
        "b.md",
        &format!(
            "{}\nslug: renamed",
            crate::fixture::front("乙稿", "2022-08-01", "community")
        ),
        "乙。\n",
    );
    p.apply(&Change::Content(vec![PathBuf::from("content/b.md")]))
        .expect("apply");
    let a = page(&p, "2022/08/02/a/index.html");
    assert!(
        a.contains("2022/08/01/renamed/") && !a.contains("2022/08/01/b/"),
        "{a}"
    );
}

/// Regression: a title edit left the old `<news:title>` in news-sitemap.xml.
#[test]
fn a_title_edit_reaches_the_news_sitemap() {
    let site = Site::new();
    site.article(
        "a.md",
        &crate::fixture::front("旧标题", "2022-08-02", "community"),
        "正文。\n",
    );
    let mut p = preview(&site);
    assert!(page(&p, "news-sitemap.xml").contains("旧标题"));
    site.article(
        "a.md",
        &crate::fixture::front("新标题", "2022-08-02", "community"),
        "正文。\n",
    );
    p.apply(&Change::Content(vec![PathBuf::from("content/a.md")]))
        .expect("apply");
    let sitemap = page(&p, "news-sitemap.xml");
    assert!(
        sitemap.contains("新标题") && !sitemap.contains("旧标题"),
        "{sitemap}"
    );
}

/// Regression: slugs were handed out in name order, so adding 公式 (which sorts first)
/// moved 公示 from `/tags/gong-shi/` to `/tags/gong-shi-2/` in the build.
#[test]
fn a_tag_added_later_never_takes_an_older_tags_url() {
    let site = Site::new();
    site.article(
        "old.md",
        &format!(
            "{}\ntags: [公示]",
            crate::fixture::front("名单公示", "2022-08-01", "community")
        ),
        "正文。\n",
    );
    site.build();
    assert!(site
        .read("public/tags/gong-shi/index.html")
        .contains("名单公示"));
    site.article(
        "new.md",
        &format!(
            "{}\ntags: [公式]",
            crate::fixture::front("数学公式", "2022-08-05", "community")
        ),
        "正文。\n",
    );
    site.build();
    assert!(site
        .read("public/tags/gong-shi/index.html")
        .contains("名单公示"));
    assert!(site
        .read("public/tags/gong-shi-2/index.html")
        .contains("数学公式"));
}

/// Two profiles with one slug would share a page; site.yaml names both.
#[test]
fn two_profiles_with_one_slug_are_an_error_naming_both() {
    let site = Site::new();
    site.write(
        "site.yaml",
        &format!("{SITE_YAML}  马瑞萍: {{slug: yang-yijin}}\n"),
    );
    site.article(
        "a.md",
        &crate::fixture::front("稿", "2022-08-01", "community"),
        "正文。\n",
    );
    let err = site.build_fails();
    assert!(
        err.contains("site.yaml")
            && err.contains("杨宜锦")
            && err.contains("马瑞萍")
            && err.contains("yang-yijin"),
        "{err}"
    );
}
