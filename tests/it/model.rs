//! The site model as readers meet it: which section a story is filed under, who is called a
//! reporter, and which stories the clock lets out.

use crate::fixture::{between, Site};
use gazette::pipeline::{build_in_memory, BuildOptions};

fn story(site: &Site, slug: &str, title: &str, date: &str, section: &str, credits: &str) {
    site.article(
        &format!("2022/08/{slug}.md"),
        &format!("title: {title}\ndate: {date}\nsection: {section}\n{credits}"),
        "正文。\n",
    );
}

/// Two sections whose stories alternate by date, so a story filed under the wrong one, or a
/// neighbour taken from the whole paper instead of the section, shows on the page.
#[test]
fn a_story_names_its_own_section_and_steps_to_the_previous_story_in_it() {
    let site = Site::new();
    let reporter = "reporter: 杨宜锦";
    story(&site, "a", "社区一", "2022-08-01", "community", reporter);
    story(&site, "b", "会议一", "2022-08-02", "meetings", reporter);
    story(&site, "c", "社区二", "2022-08-03", "community", reporter);
    story(&site, "d", "会议二", "2022-08-04", "meetings", reporter);
    site.build();

    let page = site.read("public/2022/08/04/d/index.html");
    let meta = between(&page, "class=\"meta\"", "</p>");
    assert!(
        meta.contains("sections/meetings/\">会议报道</a>"),
        "the meta line names the story's section: {meta}"
    );
    assert!(
        page.contains("2022/08/02/b/\" rel=\"prev\">会议一</a>"),
        "the previous story is the section's, not the paper's (社区二):\n{page}"
    );
    let older = site.read("public/2022/08/03/c/index.html");
    assert!(older.contains("sections/community/\">社区治理</a>"));
    assert!(older.contains("2022/08/01/a/\" rel=\"prev\">社区一</a>"));
}

/// Without a profile, a person is called what they were credited as most often; a tie goes
/// to reporter.
#[test]
fn a_person_without_a_profile_is_called_what_they_were_mostly_credited_as() {
    let site = Site::new();
    story(
        &site,
        "a",
        "一",
        "2022-08-01",
        "community",
        "reporter: 王小明",
    );
    story(
        &site,
        "b",
        "二",
        "2022-08-02",
        "community",
        "reporter: 王小明",
    );
    story(
        &site,
        "c",
        "三",
        "2022-08-03",
        "community",
        "reporter: 杨宜锦\ncorrespondent: [王小明, 李通讯]",
    );
    story(
        &site,
        "d",
        "四",
        "2022-08-04",
        "community",
        "reporter: 赵一半",
    );
    story(
        &site,
        "e",
        "五",
        "2022-08-05",
        "community",
        "reporter: 杨宜锦\ncorrespondent: 赵一半",
    );
    site.build();

    let role = |slug: &str| {
        let page = site.read(&format!("public/people/{slug}/index.html"));
        between(&page, "class=\"page-role\">", "<").to_string()
    };
    assert_eq!(
        role("wang-xiao-ming"),
        "记者",
        "two reporter credits, one correspondent"
    );
    assert_eq!(role("li-tong-xun"), "通讯员", "correspondent only");
    assert_eq!(role("zhao-yi-ban"), "记者", "one of each");
}

/// A build of `site` as the clock reads `now` (an RFC 9557 time), without search.
fn options_at(site: &Site, now: &str) -> BuildOptions {
    BuildOptions {
        skip_search: true,
        now: Some(now.parse().expect("now")),
        ..BuildOptions::new(site.root())
    }
}

fn built_at(site: &Site, now: &str) -> Vec<String> {
    let (_, outputs) = build_in_memory(&options_at(site, now)).expect("build");
    outputs.into_iter().map(|o| o.path).collect()
}

/// A story dated to the minute is published at that minute, not a minute later.
#[test]
fn a_story_is_published_at_its_dated_minute_and_held_before() {
    let site = Site::new();
    story(
        &site,
        "due",
        "准点发布",
        "2022-08-02 09:30",
        "community",
        "reporter: 杨宜锦",
    );
    let page = "2022/08/02/due/index.html".to_string();

    let at = built_at(&site, "2022-08-02T09:30:00+08:00[Asia/Shanghai]");
    assert!(at.contains(&page), "published at its minute: {at:?}");
    let before = built_at(&site, "2022-08-02T09:29:59+08:00[Asia/Shanghai]");
    assert!(!before.contains(&page), "held a second before");
}

/// An embargoed story's mistakes are warnings (the news must not wait for it) until the
/// minute it is due, when they would reach readers and stop the build.
#[test]
fn a_due_story_with_a_mistake_stops_the_build_from_its_minute() {
    let site = Site::new();
    story(
        &site,
        "due",
        "准点发布",
        "2022-08-02 09:30",
        "nowhere",
        "reporter: 杨宜锦",
    );
    let build = |now: &str| build_in_memory(&options_at(&site, now));
    let before = build("2022-08-02T09:29:59+08:00[Asia/Shanghai]").map(|(b, _)| b.warnings);
    assert!(
        before.is_ok_and(|w| w.len() == 1 && !w[0].is_error()),
        "held a second before: a warning"
    );
    let due = build("2022-08-02T09:30:00+08:00[Asia/Shanghai]");
    assert!(due.is_err(), "due at 09:30: an error");
}

/// A build is redone only when something changed or an embargo lifted since: a story due
/// at the build's own minute is out already, one due a minute later is the next change.
#[test]
fn the_next_build_is_due_when_the_next_embargo_lifts() {
    let site = Site::new();
    story(
        &site,
        "due",
        "准点发布",
        "2022-08-02 09:30",
        "community",
        "reporter: 杨宜锦",
    );
    story(
        &site,
        "next",
        "下一分钟",
        "2022-08-02 09:31",
        "community",
        "reporter: 杨宜锦",
    );
    let build_at = |now: &str| {
        let report = gazette::pipeline::build(&options_at(&site, now), &site.path("public"));
        report.expect("build").built.is_some()
    };
    assert!(
        build_at("2022-08-02T09:30:00+08:00[Asia/Shanghai]"),
        "first build"
    );
    assert!(
        !build_at("2022-08-02T09:30:30+08:00[Asia/Shanghai]"),
        "nothing changed within the minute"
    );
    assert!(
        build_at("2022-08-02T09:31:00+08:00[Asia/Shanghai]"),
        "the next story is due"
    );
}
