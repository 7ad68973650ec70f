//! Which partials a compiled template names: `{{> name}}` (and `{{#> name}}`),
//! and `{{slot "name"}}`, which renders every partial under `name/`. Stored
//! beside each compiled template (by `build.rs`, which includes this file,
//! and by [`crate::template_cache`]), so a run finds the partials it needs
//! without decoding the templates that use them.

use handlebars::template::{HelperTemplate, Parameter, Template, TemplateElement};

/// The partial names `t` uses literally, and `slot/` for each slot it
/// renders; sorted, each once. Names that are not literal are left to
/// [`crate::template_guard::check_partials`], which refuses them.
pub fn names(t: &Template) -> Vec<String> {
    let mut out = Vec::new();
    collect(t, &mut out);
    out.sort_unstable();
    out.dedup();
    out
}

fn collect(t: &Template, out: &mut Vec<String>) {
    for element in &t.elements {
        match element {
            TemplateElement::PartialExpression(d) | TemplateElement::PartialBlock(d) => {
                out.extend(literal_name(&d.name).map(str::to_string));
            }
            TemplateElement::Expression(h) | TemplateElement::HelperBlock(h) if is_slot(h) => {
                out.extend(
                    h.params
                        .first()
                        .and_then(literal_name)
                        .map(|s| format!("{s}/")),
                );
            }
            _ => {}
        }
        for child in children(element) {
            collect(child, out);
        }
    }
}

/// The nested templates of an element: block bodies, `else` parts, fallbacks.
pub fn children(element: &TemplateElement) -> impl Iterator<Item = &Template> {
    let (a, b) = match element {
        TemplateElement::HelperBlock(h) => (h.template.as_deref(), h.inverse.as_deref()),
        TemplateElement::DecoratorBlock(d) | TemplateElement::PartialBlock(d) => {
            (d.template.as_ref(), None)
        }
        _ => (None, None),
    };
    a.into_iter().chain(b)
}

/// Whether a helper call is `{{slot "name"}}`, which renders partials.
pub fn is_slot(h: &HelperTemplate) -> bool {
    literal_name(&h.name) == Some("slot")
}

/// A name written literally: `name` or `"name"`.
pub fn literal_name(p: &Parameter) -> Option<&str> {
    match p {
        Parameter::Name(n) => Some(n),
        Parameter::Literal(serde_json::Value::String(s)) => Some(s),
        _ => None,
    }
}
