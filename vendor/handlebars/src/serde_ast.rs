//! Serde support for compiled templates (feature `serde_ast`), so a program
//! can compile its templates at build time and load them at run time.

/// A JSON literal as its JSON text, so compact non-self-describing formats
/// (postcard, bincode) can carry it.
pub(crate) mod json_text {
    use serde::{Deserialize, Deserializer, Serializer};
    use serde_json::Value as Json;

    pub(crate) fn serialize<S: Serializer>(value: &Json, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&value.to_string())
    }

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Json, D::Error> {
        let text = String::deserialize(d)?;
        serde_json::from_str(&text).map_err(serde::de::Error::custom)
    }
}

/// The grammar rules a path segment can hold (`@root`, `this`/`.`, `..`).
pub(crate) mod path_rule {
    use serde::{Deserialize, Deserializer, Serializer};

    use crate::grammar::Rule;

    pub(crate) fn serialize<S: Serializer>(rule: &Rule, s: S) -> Result<S::Ok, S::Error> {
        let n = match rule {
            Rule::path_root => 0u8,
            Rule::path_local => 1,
            Rule::path_up => 2,
            other => {
                return Err(serde::ser::Error::custom(format!(
                    "unexpected rule {other:?} in a path"
                )));
            }
        };
        s.serialize_u8(n)
    }

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Rule, D::Error> {
        match u8::deserialize(d)? {
            0 => Ok(Rule::path_root),
            1 => Ok(Rule::path_local),
            2 => Ok(Rule::path_up),
            n => Err(serde::de::Error::custom(format!("unknown path rule {n}"))),
        }
    }
}
