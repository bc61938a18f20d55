//! `os.environ` / `os.getenv`: the environment `feast apply` runs in is
//! not the one feastops runs in, so only a default written in the code is
//! a value; it is used and the caller records that it was.

/// What a lookup gives without knowing the environment.
#[derive(Debug, Clone, PartialEq)]
pub enum Lookup<T> {
    /// The default written in the code, used as the value.
    Default(T),
    /// No default: only the real environment knows.
    Unknown,
}

/// `os.environ.get(key, default)` / `os.getenv(key, default)`;
/// `default` is `None` when the call has none (Python then gives `None`
/// for an unset variable, but the variable may be set).
pub fn get<T>(default: Option<T>) -> Lookup<T> {
    match default {
        Some(d) => Lookup::Default(d),
        None => Lookup::Unknown,
    }
}

/// The info line for a default used in place of the environment.
pub fn note(key: &str, shown_default: &str) -> String {
    format!(
        "environment variable `{key}` read with its default {shown_default}; feast apply uses the variable's value when it is set"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_default_is_used_and_no_default_is_unknown() {
        assert_eq!(get(Some("x")), Lookup::Default("x"));
        assert_eq!(get::<&str>(None), Lookup::Unknown);
        assert!(note("DATA_DIR", "\"data\"").contains("`DATA_DIR`"));
    }
}
