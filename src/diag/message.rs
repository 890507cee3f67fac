//! Messages by id, in the editor's language.
//!
//! A `Message` is an id from the tables in `text` plus named arguments; it becomes words
//! only when printed, in the language the command line chooses once per run (`--lang`,
//! `GAZETTE_LANG`, else the site's `language`; English until it has chosen). Arguments
//! that are themselves messages (a reason inside a sentence) are rendered in the same
//! language.

use std::borrow::Cow;
use std::sync::atomic::{AtomicBool, Ordering};

use super::text;
use crate::i18n::{fill_placeholders, Language};

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

// One process prints in one language, set once before any message is printed; there are
// two, so a flag says which.
static CHINESE: AtomicBool = AtomicBool::new(false);

/// Sets the language every message prints in from now on.
pub fn set_language(lang: Lang) {
    CHINESE.store(lang == Lang::Zh, Ordering::Relaxed);
}

/// The language messages print in now (English until something chose otherwise).
pub fn language() -> Lang {
    if CHINESE.load(Ordering::Relaxed) {
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
        let values: Vec<(&str, Cow<'_, str>)> = (self.args.iter())
            .map(|(name, value)| match value {
                Arg::Text(t) => (*name, Cow::Borrowed(t.as_str())),
                Arg::Message(m) => (*name, Cow::Owned(m.render(lang))),
            })
            .collect();
        fill_placeholders(template, |name| {
            let (_, value) = values.iter().find(|(n, _)| *n == name)?;
            Some(value.as_ref())
        })
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
