//! The template side of the interface strings: the `t` function and the date filters,
//! both reading the site's `Strings` (its language's table plus its overrides).

use std::collections::HashMap;
use std::sync::Arc;

use tera::{Kwargs, State, Tera, TeraResult, Value};

use crate::diag::did_you_mean;
use crate::i18n::Strings;

/// Registers `t(key=…, …)`, `local_date` and its old name `zh_date`.
pub fn register(tera: &mut Tera, strings: &Arc<Strings>) {
    // Every page calls `t` dozens of times, mostly for a bare label; those answers are made
    // once here, so such a call costs a lookup and a reference-counted clone.
    let labels: HashMap<String, Value> = strings
        .ids()
        .map(|id| (id.to_string(), Value::from(strings.get(id))))
        .collect();
    let for_t = Arc::clone(strings);
    tera.register_function("t", move |kwargs: Kwargs, _: &State| {
        translate(&for_t, &labels, &kwargs)
    });
    for name in ["local_date", "zh_date"] {
        let strings = Arc::clone(strings);
        tera.register_filter(
            name,
            move |value: &str, kwargs: Kwargs, _: &State| -> TeraResult<String> {
                local_date(&strings, value, &kwargs)
            },
        );
    }
}

/// `{{ t(key="count.articles", n=section.count) }}` → "6 articles" / "共 6 篇". Every other
/// argument fills the placeholder of its name: `t(key="front.more", section=s.name)`.
fn translate(
    strings: &Strings,
    labels: &HashMap<String, Value>,
    kwargs: &Kwargs,
) -> TeraResult<Value> {
    let key: &str = kwargs.must_get("key")?;
    let Some(label) = labels.get(key) else {
        let hint = did_you_mean(key, strings.ids())
            .map(|close| format!("; did you mean `{close}`?"))
            .unwrap_or_default();
        return Err(tera::Error::message(format!(
            "t: there is no interface string `{key}`{hint} (the ids are in docs/themes.md)"
        )));
    };
    if kwargs.iter().all(|(name, _)| name.as_str() == Some("key")) {
        return Ok(label.clone());
    }
    let mut n = None;
    let mut args: Vec<(String, String)> = Vec::new();
    for (name, value) in kwargs.iter() {
        let Some(name) = name.as_str() else { continue };
        if name == "key" {
            continue;
        }
        if name == "n" {
            n = value.as_i64();
        }
        args.push((name.to_string(), display(value)));
    }
    let args: Vec<(&str, &str)> = args.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    Ok(Value::from(strings.fill(key, n, &args)))
}

fn display(value: &Value) -> String {
    match value.as_str() {
        Some(s) => s.to_string(),
        None => value.to_string(),
    }
}

/// `{{ article.date | local_date }}` → "2022年8月2日" or "August 2, 2022";
/// `weekday=true` adds the weekday the language's way.
fn local_date(strings: &Strings, value: &str, kwargs: &Kwargs) -> TeraResult<String> {
    let date = value
        .get(..10)
        .and_then(|d| d.parse::<jiff::civil::Date>().ok())
        .ok_or_else(|| {
            tera::Error::message(format!(
                "local_date: `{value}` does not start with a YYYY-MM-DD date"
            ))
        })?;
    let weekday: bool = kwargs.get("weekday")?.unwrap_or(false);
    Ok(if weekday {
        strings.date_with_weekday(date)
    } else {
        strings.date(date)
    })
}
