//! The built-in templates, compiled at build time by `build.rs`: a run loads
//! the compiled form of each built-in template it uses instead of parsing it.

use handlebars::template::Template;

include!(concat!(env!("OUT_DIR"), "/precompiled.rs"));

static BLOB: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/precompiled.bin"));

/// The compiled form of the built-in template `key` (its path under
/// `templates/`), if it is one.
pub fn get(key: &str) -> Option<Template> {
    let i = INDEX.binary_search_by(|(k, _, _)| (*k).cmp(key)).ok()?;
    let (_, start, end) = INDEX[i];
    postcard::from_bytes(&BLOB[start as usize..end as usize]).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each stored template is exactly what compiling its text gives, and
    /// passes the checks applied to pack templates.
    #[test]
    fn every_builtin_template_is_stored_as_it_compiles() {
        let templates = crate::templates::Templates::embedded();
        let mut count = 0;
        for (key, bytes) in templates.under("") {
            if !key.ends_with(".hbs") {
                continue;
            }
            let text = std::str::from_utf8(bytes).expect("UTF-8");
            crate::template_guard::check_text(text, key).expect("passes the template guard");
            let compiled = Template::compile(text).expect("compiles");
            assert_eq!(get(key).as_ref(), Some(&compiled), "{key}");
            count += 1;
        }
        assert_eq!(count, INDEX.len());
    }
}
