//! The interactive wizard: answers folio's questions with dialoguer prompts.
//! Esc or Ctrl-C cancels (nothing is written).

use anyhow::{bail, Result};
use dialoguer::theme::ColorfulTheme;
use dialoguer::{Confirm, Input, MultiSelect, Select};

use crate::answers::{Asker, Question};
use crate::cancel::Cancelled;

/// Asks on the terminal (stderr), with dialoguer.
pub struct Wizard {
    theme: ColorfulTheme,
}

impl Wizard {
    /// A wizard with folio's theme.
    pub fn new() -> Self {
        Wizard {
            theme: ColorfulTheme::default(),
        }
    }

    /// A yes/no question; `false` on Esc.
    pub fn confirm(&mut self, prompt: &str) -> Result<bool> {
        let answer = Confirm::with_theme(&self.theme)
            .with_prompt(prompt)
            .default(true)
            .interact_opt();
        cancel_on_none(answer)
    }
}

impl Default for Wizard {
    fn default() -> Self {
        Self::new()
    }
}

/// Maps Esc (`None`) and Ctrl-C (an interrupted read) to [`Cancelled`].
fn cancel_on_none<T>(r: dialoguer::Result<Option<T>>) -> Result<T> {
    match r {
        Ok(Some(v)) => Ok(v),
        Ok(None) => bail!(Cancelled),
        Err(dialoguer::Error::IO(e)) if e.kind() == std::io::ErrorKind::Interrupted => {
            bail!(Cancelled)
        }
        Err(e) => Err(anyhow::anyhow!(
            "cannot read your answer from the terminal: {e}"
        )),
    }
}

impl Asker for Wizard {
    fn select(&mut self, q: &Question) -> Result<String> {
        let Question::Select {
            prompt,
            options,
            default,
            ..
        } = q
        else {
            unreachable!("select on a non-select question")
        };
        let labels: Vec<&str> = options.iter().map(|o| o.label.as_str()).collect();
        let i = cancel_on_none(
            Select::with_theme(&self.theme)
                .with_prompt(prompt)
                .items(&labels)
                .default(*default)
                .interact_opt(),
        )?;
        Ok(options[i].id.clone())
    }

    fn multi(&mut self, q: &Question) -> Result<Vec<String>> {
        let Question::Multi {
            prompt,
            options,
            defaults,
            ..
        } = q
        else {
            unreachable!("multi on a non-multi question")
        };
        let labels: Vec<&str> = options.iter().map(|o| o.label.as_str()).collect();
        let picked = cancel_on_none(
            MultiSelect::with_theme(&self.theme)
                .with_prompt(prompt)
                .items(&labels)
                .defaults(defaults)
                .interact_opt(),
        )?;
        Ok(picked.into_iter().map(|i| options[i].id.clone()).collect())
    }

    fn text(&mut self, q: &Question) -> Result<String> {
        let Question::Text {
            prompt,
            default,
            validate,
            ..
        } = q
        else {
            unreachable!("text on a non-text question")
        };
        let validate = validate.0.clone();
        let answer = Input::<String>::with_theme(&self.theme)
            .with_prompt(prompt)
            .default(default.clone())
            .validate_with(move |s: &String| validate(s).map_err(|e| e.to_string()))
            .interact_text();
        match answer {
            Ok(v) => Ok(v),
            Err(dialoguer::Error::IO(e)) if e.kind() == std::io::ErrorKind::Interrupted => {
                bail!(Cancelled)
            }
            Err(e) => Err(anyhow::anyhow!(
                "cannot read your answer from the terminal: {e}"
            )),
        }
    }
}
