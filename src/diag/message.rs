//! Messages by id, in the editor's language.
//!
//! A `Message` is an id from the tables in `text` plus named arguments; it becomes words
//! only when printed, in the language chosen once per run: the site's `language`, unless
//! `--lang` or `GAZETTE_LANG` says otherwise. Arguments that are themselves messages (a
//! reason inside a sentence) are rendered in the same language.

use std::sync::atomic::{AtomicU8, Ordering};

use super::text;
use crate::i18n::Language;

/// The languages messages are printed in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    En,
    /// Simplified Chinese; Traditional sites get it too until a Traditional table exists.
    Zh,
}

impl Lang {
    /// The language for a site or `--lang` code: Chinese for any `zh…`, else English.
    pub fn from_code(code: &str) -> Lang {
        match Language::parse(code) {
            Ok((language, _)) => Lang::of(language),
            // A code Gazette has no table for (an error of its own): guess from its start.
            Err(_) if code.trim().to_ascii_lowercase().starts_with("zh") => Lang::Zh,
            Err(_) => Lang::En,
        }
    }

    /// The messages' language for a site's interface language.
    pub fn of(language: Language) -> Lang {
        match language {
            Language::ZhCn | Language::ZhTw | Language::ZhHk => Lang::Zh,
            Language::En => Lang::En,
        }
    }
}

const UNSET: u8 = 0;
const EN: u8 = 1;
const ZH: u8 = 2;

// One process prints in one language; both are set once, before any message is printed.
static SITE: AtomicU8 = AtomicU8::new(UNSET);
static OVERRIDE: AtomicU8 = AtomicU8::new(UNSET);

fn encode(lang: Lang) -> u8 {
    match lang {
        Lang::En => EN,
        Lang::Zh => ZH,
    }
}

/// Sets the language from `--lang` or `GAZETTE_LANG`; the site's language cannot change it.
pub fn set_override(lang: Lang) {
    OVERRIDE.store(encode(lang), Ordering::Relaxed);
}

/// Sets the language from the site's `language:` (unless overridden).
pub fn set_site_language(code: &str) {
    SITE.store(encode(Lang::from_code(code)), Ordering::Relaxed);
}

/// The language messages print in now (English until something chose otherwise).
pub fn language() -> Lang {
    let pick = match OVERRIDE.load(Ordering::Relaxed) {
        UNSET => SITE.load(Ordering::Relaxed),
        chosen => chosen,
    };
    if pick == ZH {
        Lang::Zh
    } else {
        Lang::En
    }
}

/// One argument of a message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Arg {
    Text(String),
    Message(Message),
}

impl From<Message> for Arg {
    fn from(m: Message) -> Arg {
        Arg::Message(m)
    }
}

macro_rules! arg_from_display {
    ($($t:ty),*) => {$(
        impl From<$t> for Arg {
            fn from(v: $t) -> Arg { Arg::Text(v.to_string()) }
        }
    )*};
}
arg_from_display!(String, &str, &String, usize, u64, i64, u16, char);

impl From<std::path::Display<'_>> for Arg {
    fn from(v: std::path::Display<'_>) -> Arg {
        Arg::Text(v.to_string())
    }
}

impl From<&std::io::Error> for Arg {
    fn from(v: &std::io::Error) -> Arg {
        Arg::Text(v.to_string())
    }
}

/// A message id and its arguments, rendered when printed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    pub id: &'static str,
    pub args: Vec<(&'static str, Arg)>,
}

impl Message {
    pub fn new(id: &'static str) -> Message {
        Message {
            id,
            args: Vec::new(),
        }
    }

    pub fn arg(mut self, name: &'static str, value: impl Into<Arg>) -> Message {
        self.args.push((name, value.into()));
        self
    }

    /// The message in `lang`: the table's template with `{name}` filled in. An id no
    /// table has prints as itself, so a gap shows instead of vanishing (a test forbids it).
    pub fn render(&self, lang: Lang) -> String {
        let template = text::template(lang, self.id).unwrap_or(self.id);
        // One pass over the template, so a value containing `{…}` is never filled in again.
        let mut out = String::with_capacity(template.len() + 16);
        let mut rest = template;
        while let Some(open) = rest.find('{') {
            out.push_str(&rest[..open]);
            let after = &rest[open + 1..];
            let close = after.find('}');
            let arg = close.and_then(|c| self.args.iter().find(|(n, _)| *n == &after[..c]));
            match (close, arg) {
                (Some(c), Some((_, value))) => {
                    match value {
                        Arg::Text(t) => out.push_str(t),
                        Arg::Message(m) => out.push_str(&m.render(lang)),
                    }
                    rest = &after[c + 1..];
                }
                _ => {
                    out.push('{');
                    rest = after;
                }
            }
        }
        out.push_str(rest);
        out
    }
}

impl std::fmt::Display for Message {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.render(language()))
    }
}

/// `n` with its noun in the right number: `id_one` ("1 article") or `id_other`.
pub fn count(id_one: &'static str, id_other: &'static str, n: usize) -> Message {
    Message::new(if n == 1 { id_one } else { id_other }).arg("n", n)
}
