//! Checks that a template stays within bounds before it is rendered: block
//! nesting, partials that include themselves (directly or through others),
//! partial names that are not literal, and how many partial expansions one
//! render can cause. Handlebars has no limit of its own, so a recursive
//! partial would overflow the stack and abort the process.

use std::collections::BTreeMap;

use anyhow::{bail, Result};
use handlebars::template::{Template, TemplateElement};

use crate::limits;
use crate::partial_refs::{children, is_slot, literal_name};

/// Fails before compiling when the text nests blocks or sub-expressions
/// deeper than [`limits::TEMPLATE_NESTING`] (the parser itself recurses).
pub fn check_text(text: &str, origin: &str) -> Result<()> {
    let (mut blocks, mut parens, mut max) = (0usize, 0usize, 0usize);
    let mut in_mustache = false;
    let bytes = text.as_bytes();
    for i in 0..bytes.len() {
        let rest = &bytes[i..];
        if rest.starts_with(b"{{") {
            in_mustache = true;
            if rest[2..].starts_with(b"#") || rest[2..].starts_with(b"~#") {
                blocks += 1;
            } else if rest[2..].starts_with(b"/") || rest[2..].starts_with(b"~/") {
                blocks = blocks.saturating_sub(1);
            }
        } else if rest.starts_with(b"}}") {
            (in_mustache, parens) = (false, 0);
        } else if in_mustache && rest[0] == b'(' {
            parens += 1;
        } else if in_mustache && rest[0] == b')' {
            parens = parens.saturating_sub(1);
        }
        max = max.max(blocks).max(parens);
    }
    if max > limits::TEMPLATE_NESTING {
        bail!(
            "template {origin} nests blocks or sub-expressions {max} deep; folio's limit is {} (see SECURITY.md, \"Limits\")",
            limits::TEMPLATE_NESTING
        );
    }
    Ok(())
}

/// Fails when a compiled template's partials (its inline ones and the
/// `registered` partials of its layer, used by `{{> name}}` or by the `slot`
/// helper) recurse, name a partial with an expression, would expand more
/// than [`limits::PARTIAL_EXPANSIONS`] times in one render, or would nest
/// blocks and partials deeper than [`limits::RENDER_DEPTH`] (a chain of
/// partials, each nesting blocks, would overflow the stack). Returns the
/// registered partials it can reach, in name order.
pub fn check_partials<'a>(
    template: &'a Template,
    origin: &'a str,
    registered: &BTreeMap<&'a str, &'a Template>,
) -> Result<Vec<&'a str>> {
    let mut guard = Guard {
        origin,
        registered,
        defs: BTreeMap::new(),
        memo: BTreeMap::new(),
        depths: BTreeMap::new(),
        visiting: Vec::new(),
        level: 0,
    };
    guard.collect(template, 0)?;
    guard.cost(template)?;
    let depth = guard.depth(template);
    if depth > limits::RENDER_DEPTH {
        bail!(guard.too_deep(&depth.to_string()));
    }
    let mut reached: Vec<&'a str> = guard
        .memo
        .keys()
        .copied()
        .filter(|name| registered.contains_key(name))
        .collect();
    reached.sort_unstable();
    Ok(reached)
}

struct Guard<'a, 'r> {
    origin: &'a str,
    /// The partials of the template's layer.
    registered: &'r BTreeMap<&'a str, &'a Template>,
    /// Inline partials (`{{#*inline "name"}}`) defined anywhere in the template.
    defs: BTreeMap<&'a str, Vec<&'a Template>>,
    /// Expansions one use of a partial causes, once known.
    memo: BTreeMap<&'a str, u64>,
    /// How deep one use of a partial nests, once known.
    depths: BTreeMap<&'a str, usize>,
    /// Partials being costed, for naming a cycle.
    visiting: Vec<&'a str>,
    /// How deep the walk is: bounded, as its own recursion uses the stack.
    level: usize,
}

impl<'a> Guard<'a, '_> {
    /// Records inline partial definitions and checks the nesting depth.
    fn collect(&mut self, t: &'a Template, depth: usize) -> Result<()> {
        if depth > limits::TEMPLATE_NESTING {
            bail!(
                "template {} nests blocks more than {} deep (see SECURITY.md, \"Limits\")",
                self.origin,
                limits::TEMPLATE_NESTING
            );
        }
        for element in &t.elements {
            if let TemplateElement::DecoratorBlock(d) = element {
                if let (Some("inline"), Some(name), Some(body)) = (
                    literal_name(&d.name),
                    d.params.first().and_then(literal_name),
                    d.template.as_ref(),
                ) {
                    self.defs.entry(name).or_default().push(body);
                }
            }
            for child in children(element) {
                self.collect(child, depth + 1)?;
            }
        }
        Ok(())
    }

    /// Partial expansions one render of `t` causes.
    fn cost(&mut self, t: &'a Template) -> Result<u64> {
        self.level += 1;
        if self.level > limits::RENDER_DEPTH {
            bail!(self.too_deep(&format!("more than {}", limits::RENDER_DEPTH)));
        }
        let mut total: u64 = 0;
        for element in &t.elements {
            match element {
                TemplateElement::PartialExpression(d) | TemplateElement::PartialBlock(d) => {
                    let Some(name) = literal_name(&d.name) else {
                        bail!(
                            "template {} names a partial with an expression; write its name literally, e.g. {{{{> readme-section}}}}",
                            self.origin
                        );
                    };
                    total = total.saturating_add(1 + self.partial(name)?);
                }
                TemplateElement::Expression(h) | TemplateElement::HelperBlock(h) if is_slot(h) => {
                    let Some(slot) = h.params.first().and_then(literal_name) else {
                        bail!(
                            "template {} names a slot with an expression; write it literally, e.g. {{{{slot \"readme\"}}}}",
                            self.origin
                        );
                    };
                    for name in self.slot_partials(slot) {
                        total = total.saturating_add(1 + self.partial(name)?);
                    }
                }
                // An inline definition costs where it is used.
                TemplateElement::DecoratorBlock(_) => continue,
                _ => {}
            }
            for child in children(element) {
                total = total.saturating_add(self.cost(child)?);
            }
            if total > limits::PARTIAL_EXPANSIONS {
                bail!(
                    "template {} expands partials more than {} times in one render; folio's limit is {} (see SECURITY.md, \"Limits\")",
                    self.origin,
                    limits::PARTIAL_EXPANSIONS,
                    limits::PARTIAL_EXPANSIONS
                );
            }
        }
        self.level -= 1;
        Ok(total)
    }

    /// How deep a render of `t` nests: each block and each partial it
    /// includes is a level, and a partial's own depth adds to it. Called
    /// after [`Guard::cost`], which refuses recursion.
    fn depth(&mut self, t: &'a Template) -> usize {
        if self.level > limits::RENDER_DEPTH {
            return self.level;
        }
        self.level += 1;
        let mut deepest = 0;
        for element in &t.elements {
            let mut here = 0;
            match element {
                TemplateElement::PartialExpression(d) | TemplateElement::PartialBlock(d) => {
                    here = literal_name(&d.name).map_or(0, |name| self.partial_depth(name));
                }
                TemplateElement::Expression(h) | TemplateElement::HelperBlock(h) if is_slot(h) => {
                    if let Some(slot) = h.params.first().and_then(literal_name) {
                        for name in self.slot_partials(slot) {
                            here = here.max(self.partial_depth(name));
                        }
                    }
                }
                TemplateElement::DecoratorBlock(_) => continue,
                _ => {}
            }
            // A block's body (or a partial block's, rendered inside the partial).
            let body = children(element).map(|c| self.depth(c)).max().unwrap_or(0);
            deepest = deepest.max(1 + here + body);
        }
        self.level -= 1;
        deepest
    }

    /// The partials `{{slot "slot"}}` renders (inline or registered), sorted.
    fn slot_partials(&self, slot: &str) -> Vec<&'a str> {
        let prefix = format!("{slot}/");
        let mut names: Vec<&'a str> = self
            .defs
            .keys()
            .chain(self.registered.keys())
            .copied()
            .filter(|n| n.starts_with(&prefix))
            .collect();
        names.sort_unstable();
        names.dedup();
        names
    }

    /// The bodies a partial name stands for: inline definitions, registered.
    fn bodies(&self, name: &str) -> Vec<&'a Template> {
        let mut bodies = self.defs.get(name).cloned().unwrap_or_default();
        bodies.extend(self.registered.get(name).copied());
        bodies
    }

    /// The error for a render nested `depth` deep.
    fn too_deep(&self, depth: &str) -> String {
        format!(
            "template {} nests blocks and partials {depth} deep in one render, through the partials it includes; folio's limit is {} (see SECURITY.md, \"Limits\")",
            self.origin,
            limits::RENDER_DEPTH
        )
    }

    /// How deep one use of the partial `name` nests.
    fn partial_depth(&mut self, name: &'a str) -> usize {
        if let Some(depth) = self.depths.get(name) {
            return *depth;
        }
        let bodies = self.bodies(name);
        let depth = bodies.into_iter().map(|b| self.depth(b)).max().unwrap_or(0);
        self.depths.insert(name, depth);
        depth
    }

    /// Expansions caused by one use of the partial `name`.
    fn partial(&mut self, name: &'a str) -> Result<u64> {
        if name == "@partial-block" {
            return Ok(0);
        }
        if let Some(i) = self.visiting.iter().position(|v| *v == name) {
            let mut chain: Vec<&str> = self.visiting[i..].to_vec();
            chain.push(name);
            bail!(
                "template {}: partial {name:?} includes itself ({}); recursive partials are not allowed (see SECURITY.md)",
                self.origin,
                chain.join(" -> ")
            );
        }
        if let Some(cost) = self.memo.get(name) {
            return Ok(*cost);
        }
        let bodies = self.bodies(name);
        self.visiting.push(name);
        let mut worst = 0;
        for body in bodies {
            worst = worst.max(self.cost(body)?);
        }
        self.visiting.pop();
        self.memo.insert(name, worst);
        Ok(worst)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(text: &str) -> Result<()> {
        check_text(text, "t")?;
        let t = Template::compile(text).expect("compiles");
        check_partials(&t, "t", &BTreeMap::new()).map(|_| ())
    }

    #[test]
    fn plain_templates_and_partials_pass() {
        check("{{#if a}}{{#each b}}{{this}}{{/each}}{{/if}}").unwrap();
        check(r#"{{#*inline "p"}}x{{/inline}}{{> p}}{{> p}}"#).unwrap();
    }

    #[test]
    fn recursion_is_refused_with_the_chain() {
        let err = check(r#"{{#*inline "r"}}x{{> r}}{{/inline}}{{> r}}"#).unwrap_err();
        assert!(
            err.to_string().contains("\"r\" includes itself (r -> r)"),
            "{err}"
        );
        let err = check(r#"{{#*inline "a"}}{{> b}}{{/inline}}{{#*inline "b"}}{{#if x}}{{> a}}{{/if}}{{/inline}}{{> a}}"#)
            .unwrap_err();
        assert!(err.to_string().contains("a -> b -> a"), "{err}");
    }

    #[test]
    fn exponential_expansion_is_refused() {
        let mut text = String::from(r#"{{#*inline "p0"}}x{{/inline}}"#);
        for i in 1..20 {
            text.push_str(&format!(
                r#"{{{{#*inline "p{i}"}}}}{{{{> p{0}}}}}{{{{> p{0}}}}}{{{{/inline}}}}"#,
                i - 1
            ));
        }
        text.push_str("{{> p19}}");
        let err = check(&text).unwrap_err();
        assert!(
            err.to_string().contains("expands partials more than"),
            "{err}"
        );
    }

    #[test]
    fn deep_nesting_is_refused_before_parsing() {
        let text = "{{#if a}}".repeat(10_000) + &"{{/if}}".repeat(10_000);
        let err = check_text(&text, "t").unwrap_err();
        assert!(err.to_string().contains("10000 deep"), "{err}");
        let text = format!("{{{{x {}y{}}}}}", "(".repeat(500), ")".repeat(500));
        assert!(check_text(&text, "t").is_err());
    }

    #[test]
    fn registered_partials_and_slots_are_followed() {
        let a = Template::compile("{{slot \"readme\"}}").unwrap();
        let b = Template::compile("{{> top}}").unwrap();
        let top = Template::compile("x").unwrap();
        let registered = BTreeMap::from([("readme/b", &b), ("top", &top)]);
        assert_eq!(
            check_partials(&a, "t", &registered).unwrap(),
            ["readme/b", "top"]
        );
        let looping = BTreeMap::from([("readme/b", &a)]);
        let err = check_partials(&a, "t", &looping).unwrap_err();
        assert!(err.to_string().contains("readme/b -> readme/b"), "{err}");
    }

    #[test]
    fn a_chain_of_partials_nesting_too_deep_is_refused() {
        // p0 includes p1 ... includes p4, each inside 60 nested blocks.
        let names = ["p0", "p1", "p2", "p3", "p4"];
        let parts: Vec<Template> = (0..5)
            .map(|i| {
                let inner = names
                    .get(i + 1)
                    .map_or("end".to_string(), |n| format!("{{{{> {n}}}}}"));
                let text = "{{#if a}}".repeat(60) + &inner + &"{{/if}}".repeat(60);
                Template::compile(&text).unwrap()
            })
            .collect();
        let top = Template::compile("{{> p0}}").unwrap();
        let mut registered: BTreeMap<&str, &Template> =
            names.iter().copied().zip(&parts).take(4).collect();
        // Four of them (p4 missing): about 4 x 61 levels.
        check_partials(&top, "t", &registered).unwrap();
        registered.insert("p4", &parts[4]);
        let err = check_partials(&top, "t", &registered).unwrap_err();
        assert!(
            err.to_string()
                .contains("nests blocks and partials more than 256 deep in one render"),
            "{err}"
        );
    }

    #[test]
    fn dynamic_partial_names_are_refused() {
        let err = check("{{> (which_partial)}}").unwrap_err();
        assert!(err.to_string().contains("literally"), "{err}");
    }
}
