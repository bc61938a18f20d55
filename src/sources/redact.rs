//! Keeps credentials out of every message feastops prints.
//!
//! Two layers: URLs are shown with their password and secret query values
//! replaced ([`url`]), and every error text coming from a driver or server
//! is scrubbed of the secrets this source knows about ([`Redactor`]), since
//! drivers sometimes echo the connection string back.

/// What a secret is replaced with.
pub const MASK: &str = "***";

/// Query parameters whose values are secrets (lowercased, `-` and `_`
/// ignored): passwords, tokens, Azure SAS signatures, AWS/GCS keys.
const SECRET_PARAMS: &[&str] = &[
    "password",
    "passwd",
    "pwd",
    "token",
    "accesstoken",
    "sig",
    "signature",
    "secret",
    "clientsecret",
    "key",
    "accesskey",
    "secretkey",
    "apikey",
    "sessiontoken",
    "xamzsignature",
    "xamzsecuritytoken",
    "xamzcredential",
    "xgoogsignature",
    "xgoogcredential",
    "sslpassword",
];

fn is_secret_param(name: &str) -> bool {
    let norm: String = name
        .chars()
        .filter(|c| *c != '-' && *c != '_')
        .flat_map(char::to_lowercase)
        .collect();
    SECRET_PARAMS.contains(&norm.as_str())
}

/// `scheme://user:password@host/…?token=…` → `scheme://user:***@host/…?token=***`.
///
/// Works on anything shaped like a URL, including SQLAlchemy URLs that a
/// strict URL parser rejects (`postgresql+psycopg://…`), and leaves other
/// text untouched.
pub fn url(s: &str) -> String {
    let Some(scheme_end) = s.find("://") else {
        return redact_query(s);
    };
    let rest_start = scheme_end + 3;
    let rest = &s[rest_start..];
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let authority = &rest[..authority_end];
    let mut out = String::with_capacity(s.len());
    out.push_str(&s[..rest_start]);
    // The password may itself contain '@' when it was not percent-encoded;
    // the host is always after the last one.
    match authority.rfind('@') {
        Some(at) => {
            let userinfo = &authority[..at];
            match userinfo.find(':') {
                Some(colon) => {
                    out.push_str(&userinfo[..colon]);
                    out.push(':');
                    out.push_str(MASK);
                }
                // A lone userinfo may be a token (`https://TOKEN@host`).
                None if looks_like_token(userinfo) => out.push_str(MASK),
                None => out.push_str(userinfo),
            }
            out.push_str(&authority[at..]);
        }
        None => out.push_str(authority),
    }
    out.push_str(&redact_query(&rest[authority_end..]));
    out
}

fn looks_like_token(userinfo: &str) -> bool {
    userinfo.len() >= 20
}

fn redact_query(s: &str) -> String {
    let Some(q) = s.find('?') else {
        return s.to_string();
    };
    let (head, query) = s.split_at(q + 1);
    let (query, fragment) = match query.find('#') {
        Some(h) => query.split_at(h),
        None => (query, ""),
    };
    let parts: Vec<String> = query
        .split('&')
        .map(|pair| match pair.split_once('=') {
            Some((k, _)) if is_secret_param(k) => format!("{k}={MASK}"),
            _ => pair.to_string(),
        })
        .collect();
    format!("{head}{}{fragment}", parts.join("&"))
}

/// Scrubs known secret values out of free text (driver and server errors).
#[derive(Debug, Clone, Default)]
pub struct Redactor {
    secrets: Vec<String>,
}

impl Redactor {
    /// A redactor for a source named by `spec` (its password, token and
    /// secret query values, raw and percent-decoded).
    pub fn for_url(spec: &str) -> Redactor {
        let mut r = Redactor::default();
        r.add_url_secrets(spec);
        r
    }

    pub fn add_url_secrets(&mut self, s: &str) {
        if let Some(scheme_end) = s.find("://") {
            let rest = &s[scheme_end + 3..];
            let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
            let authority = &rest[..authority_end];
            if let Some(at) = authority.rfind('@') {
                let userinfo = &authority[..at];
                match userinfo.split_once(':') {
                    Some((_, pw)) => self.add(pw),
                    None if looks_like_token(userinfo) => self.add(userinfo),
                    None => {}
                }
            }
        }
        if let Some(q) = s.find('?') {
            for pair in s[q + 1..].split(['&', '#']) {
                if let Some((k, v)) = pair.split_once('=')
                    && is_secret_param(k)
                {
                    self.add(v);
                }
            }
        }
    }

    /// Adds one secret (and its percent-decoded form).
    pub fn add(&mut self, secret: &str) {
        // Very short values would mask ordinary words; they are also not
        // credentials anyone relies on.
        if secret.len() < 3 {
            return;
        }
        self.secrets.push(secret.to_string());
        if let Ok(decoded) = percent_encoding::percent_decode_str(secret).decode_utf8()
            && decoded != secret
        {
            self.secrets.push(decoded.into_owned());
        }
        let encoded =
            percent_encoding::utf8_percent_encode(secret, percent_encoding::NON_ALPHANUMERIC)
                .to_string();
        if encoded != secret {
            self.secrets.push(encoded);
        }
        // Longest first, so a secret containing another is masked whole.
        self.secrets.sort_by_key(|s| std::cmp::Reverse(s.len()));
        self.secrets.dedup();
    }

    /// `text` with every URL redacted and every known secret masked.
    pub fn text(&self, text: &str) -> String {
        let mut out = text
            .split(' ')
            .map(|word| {
                if word.contains("://") || word.contains('?') {
                    url(word)
                } else {
                    word.to_string()
                }
            })
            .collect::<Vec<_>>()
            .join(" ");
        for s in &self.secrets {
            if out.contains(s.as_str()) {
                out = out.replace(s.as_str(), MASK);
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn password_in_userinfo_is_masked() {
        assert_eq!(
            url("postgresql+psycopg://feast:s3cr3t@db.internal:5432/registry"),
            "postgresql+psycopg://feast:***@db.internal:5432/registry"
        );
        assert_eq!(
            url("mysql://root:p@ss@localhost/feast"),
            "mysql://root:***@localhost/feast"
        );
    }

    #[test]
    fn urls_without_credentials_are_unchanged() {
        for u in [
            "s3://bucket/registry.db",
            "grpc://registry:6570",
            "sqlite:///data/registry.db",
            "postgresql://feast@db/registry",
            "plain text",
        ] {
            assert_eq!(url(u), u);
        }
    }

    #[test]
    fn secret_query_values_are_masked() {
        assert_eq!(
            url("https://acct.blob.core.windows.net/c/r.db?sv=2022&sig=abc%2Fdef&se=x"),
            "https://acct.blob.core.windows.net/c/r.db?sv=2022&sig=***&se=x"
        );
        assert_eq!(
            url("postgresql://u@h/db?sslmode=require&password=hunter22"),
            "postgresql://u@h/db?sslmode=require&password=***"
        );
        assert_eq!(
            url("https://h/x?X-Amz-Signature=deadbeef"),
            "https://h/x?X-Amz-Signature=***"
        );
    }

    #[test]
    fn token_userinfo_is_masked() {
        assert_eq!(
            url("https://ghp_aaaaaaaaaaaaaaaaaaaaaaaa@host/x"),
            "https://***@host/x"
        );
    }

    #[test]
    fn redactor_masks_secrets_in_free_text() {
        let r = Redactor::for_url("postgresql://feast:p%40ss%2Fw0rd@db/registry");
        let msg = "password authentication failed for p@ss/w0rd (p%40ss%2Fw0rd) at postgresql://feast:p%40ss%2Fw0rd@db/registry";
        let out = r.text(msg);
        assert!(!out.contains("p@ss/w0rd"), "{out}");
        assert!(!out.contains("p%40ss%2Fw0rd"), "{out}");
        assert!(out.contains("postgresql://feast:***@db/registry"), "{out}");
    }

    #[test]
    fn redactor_masks_added_tokens() {
        let mut r = Redactor::default();
        r.add("eyJhbGciOiJIUzI1NiJ9.payload.sig");
        assert_eq!(
            r.text("bad token eyJhbGciOiJIUzI1NiJ9.payload.sig rejected"),
            "bad token *** rejected"
        );
    }

    #[test]
    fn short_values_are_not_treated_as_secrets() {
        let mut r = Redactor::default();
        r.add("a");
        assert_eq!(r.text("a cat"), "a cat");
    }
}
