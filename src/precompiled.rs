//! The built-in templates, compiled at build time by `build.rs`: a run loads
//! the compiled form of each built-in template it uses instead of parsing it.

use handlebars::template::Template;

include!(concat!(env!("OUT_DIR"), "/precompiled.rs"));

include!(concat!(env!("OUT_DIR"), "/catalog_json.rs"));

static BLOB: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/precompiled.bin"));

/// The built-in catalog file `key` (e.g. `specs/ecommerce-api.toml`) as
/// JSON, if it is one.
pub fn catalog_json(key: &str) -> Option<&'static str> {
    let i = CATALOG_JSON.binary_search_by(|(k, _)| (*k).cmp(key)).ok()?;
    Some(CATALOG_JSON[i].1)
}

/// The built-in template `key` (its path under `templates/`), if it is
/// one: its compiled form, encoded (see [`decode`]), and the partials it
/// names ([`crate::partial_refs::names`]).
pub fn stored(key: &str) -> Option<(&'static [u8], &'static [&'static str])> {
    let i = INDEX.binary_search_by(|(k, ..)| (*k).cmp(key)).ok()?;
    let (_, start, end, partials) = INDEX[i];
    Some((&BLOB[start as usize..end as usize], partials))
}

/// A compiled template from its stored bytes (here or in
/// [`crate::template_cache`]).
pub fn decode(bytes: &[u8]) -> Option<Template> {
    postcard::from_bytes(bytes).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each stored template is exactly what compiling its text gives, and
    /// passes the checks applied to pack templates.
    #[test]
    fn every_builtin_template_is_stored_as_it_compiles() {
        let templates = crate::templates::Templates::embedded();
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("templates");
        let mut count = 0;
        for (key, embedded) in templates.under("") {
            if !key.ends_with(".hbs") {
                continue;
            }
            assert!(embedded.is_empty(), "{key}: the binary carries its text");
            let bytes = std::fs::read(root.join(key)).expect("a template file");
            let text = std::str::from_utf8(&bytes).expect("UTF-8");
            crate::template_guard::check_text(text, key).expect("passes the template guard");
            let compiled = Template::compile(text).expect("compiles");
            let (bytes, partials) = stored(key).expect("stored");
            assert_eq!(decode(bytes).as_ref(), Some(&compiled), "{key}");
            assert_eq!(partials, crate::partial_refs::names(&compiled), "{key}");
            count += 1;
        }
        assert_eq!(count, INDEX.len());
    }

    /// Each built-in catalog file reads the same from its JSON as from its TOML.
    #[test]
    fn every_catalog_file_is_stored_as_it_parses() {
        use crate::catalog::{Plan, Spec, Stack};
        fn same<T: serde::de::DeserializeOwned + serde::Serialize>(key: &str, toml_text: &str) {
            let from_toml: T = toml::from_str(toml_text).expect("TOML");
            let from_json: T =
                serde_json::from_str(catalog_json(key).expect("stored")).expect("JSON");
            assert_eq!(
                serde_json::to_value(&from_toml).unwrap(),
                serde_json::to_value(&from_json).unwrap(),
                "{key}"
            );
        }
        let templates = crate::templates::Templates::embedded();
        let mut count = 0;
        for (key, bytes) in templates.under("") {
            let text = std::str::from_utf8(bytes).expect("UTF-8");
            match key {
                k if k.starts_with("specs/") && k.ends_with(".toml") => same::<Spec>(k, text),
                k if k.starts_with("plans/") && k.ends_with(".toml") => same::<Plan>(k, text),
                k if k.starts_with("stacks/") && k.ends_with("/stack.toml") => {
                    same::<Stack>(k, text)
                }
                "actions.toml" | "images.toml" => {
                    same::<std::collections::BTreeMap<String, toml::Value>>(key, text)
                }
                _ => continue,
            }
            count += 1;
        }
        assert_eq!(count, CATALOG_JSON.len());
    }
}
