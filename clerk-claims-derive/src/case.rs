//! `rename_all` rules, with serde's names and meaning for fields (serde_derive `case.rs`).
//! Hand-written because serde_derive does not export them and the rules are a few lines.

/// A `rename_all` rule.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum RenameRule {
    /// `lowercase`
    Lower,
    /// `UPPERCASE`
    Upper,
    /// `PascalCase`
    Pascal,
    /// `camelCase`
    Camel,
    /// `snake_case`
    Snake,
    /// `SCREAMING_SNAKE_CASE`
    ScreamingSnake,
    /// `kebab-case`
    Kebab,
    /// `SCREAMING-KEBAB-CASE`
    ScreamingKebab,
}

impl RenameRule {
    /// Every accepted name, for error messages.
    pub const NAMES: &'static [&'static str] = &[
        "lowercase",
        "UPPERCASE",
        "PascalCase",
        "camelCase",
        "snake_case",
        "SCREAMING_SNAKE_CASE",
        "kebab-case",
        "SCREAMING-KEBAB-CASE",
    ];

    /// The rule for a name, as serde spells it.
    pub fn from_str(name: &str) -> Option<Self> {
        Some(match name {
            "lowercase" => Self::Lower,
            "UPPERCASE" => Self::Upper,
            "PascalCase" => Self::Pascal,
            "camelCase" => Self::Camel,
            "snake_case" => Self::Snake,
            "SCREAMING_SNAKE_CASE" => Self::ScreamingSnake,
            "kebab-case" => Self::Kebab,
            "SCREAMING-KEBAB-CASE" => Self::ScreamingKebab,
            _ => return None,
        })
    }

    /// A snake_case field name under this rule.
    pub fn apply_to_field(self, field: &str) -> String {
        match self {
            Self::Lower | Self::Snake => field.to_owned(),
            Self::Upper | Self::ScreamingSnake => field.to_ascii_uppercase(),
            Self::Pascal => {
                let mut out = String::new();
                let mut capitalize = true;
                for ch in field.chars() {
                    if ch == '_' {
                        capitalize = true;
                    } else if capitalize {
                        out.push(ch.to_ascii_uppercase());
                        capitalize = false;
                    } else {
                        out.push(ch);
                    }
                }
                out
            }
            Self::Camel => {
                let pascal = Self::Pascal.apply_to_field(field);
                let mut chars = pascal.chars();
                match chars.next() {
                    Some(first) => first.to_ascii_lowercase().to_string() + chars.as_str(),
                    None => pascal,
                }
            }
            Self::Kebab => field.replace('_', "-"),
            Self::ScreamingKebab => field.to_ascii_uppercase().replace('_', "-"),
        }
    }
}

/// A variant name in words, as a dashboard name: `BillingManager` → "Billing manager",
/// `InvoicesRead` → "Invoices read"; a run of capitals stays one word (`APIKeys` → "Api keys").
pub fn words(ident: &str) -> String {
    let ident = ident.strip_prefix("r#").unwrap_or(ident);
    let chars: Vec<char> = ident.chars().collect();
    let mut out = String::new();
    for (i, &c) in chars.iter().enumerate() {
        if c == '_' {
            if !out.is_empty() && !out.ends_with(' ') {
                out.push(' ');
            }
            continue;
        }
        let prev = i.checked_sub(1).and_then(|j| chars.get(j)).copied();
        let next = chars.get(i + 1).copied();
        let starts_word = c.is_uppercase()
            && prev.is_some_and(|p| {
                p.is_lowercase()
                    || p.is_ascii_digit()
                    || (p.is_uppercase() && next.is_some_and(char::is_lowercase))
            });
        if starts_word && !out.ends_with(' ') {
            out.push(' ');
        }
        if out.is_empty() {
            out.extend(c.to_uppercase());
        } else {
            out.extend(c.to_lowercase());
        }
    }
    out.trim_end().to_owned()
}

#[cfg(test)]
mod tests {
    use super::RenameRule;

    #[test]
    fn variant_names_read_as_words() {
        assert_eq!(super::words("BillingManager"), "Billing manager");
        assert_eq!(super::words("Admin"), "Admin");
        assert_eq!(super::words("InvoicesRead"), "Invoices read");
        assert_eq!(super::words("APIKeys"), "Api keys");
        assert_eq!(super::words("Level2Support"), "Level2 support");
    }

    #[test]
    fn rename_rules_match_serde_for_fields() {
        let cases = [
            (RenameRule::Camel, "display_name", "displayName"),
            (RenameRule::Pascal, "display_name", "DisplayName"),
            (RenameRule::Kebab, "x_user_id", "x-user-id"),
            (RenameRule::ScreamingKebab, "x_user_id", "X-USER-ID"),
            (RenameRule::ScreamingSnake, "org_id", "ORG_ID"),
            (RenameRule::Upper, "org_id", "ORG_ID"),
            (RenameRule::Lower, "org_id", "org_id"),
            (RenameRule::Snake, "org_id", "org_id"),
        ];
        for (rule, field, expected) in cases {
            assert_eq!(rule.apply_to_field(field), expected, "{rule:?} on {field}");
        }
    }
}
