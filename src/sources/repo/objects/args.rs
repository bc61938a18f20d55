//! A constructor call's evaluated arguments, and the readers that turn them
//! into model values or say at which line a value is not what Feast takes.

use std::collections::BTreeMap;
use std::rc::Rc;

use ruff_python_ast::name::Name;

use super::Obj;
use crate::model::Meta;
use crate::sources::repo::diagnostics::Diagnostic;
use crate::sources::repo::eval::{Loc, Value};

#[derive(Debug)]
pub struct Arg {
    pub value: Value,
    pub at: Loc,
}

/// A call's evaluated arguments.
#[derive(Debug)]
pub struct Args {
    pub at: Loc,
    pub pos: Vec<Arg>,
    /// Ruff's `Name` is inline for short names: no allocation per keyword.
    pub kw: Vec<(Name, Arg)>,
}

pub(super) fn err(at: &Loc, message: impl Into<String>) -> Diagnostic {
    Diagnostic {
        location: at.location(),
        message: message.into(),
        dynamic: false,
    }
}

/// The error for a value feastops cannot know, or `None` when it is known.
pub(super) fn unknown(v: &Value, at: &Loc, what: &str) -> Option<Diagnostic> {
    match v {
        Value::Dynamic(d) => Some(Diagnostic {
            location: d.at.location(),
            message: format!(
                "{what} is {}, which only running the code would give",
                d.why
            ),
            dynamic: true,
        }),
        Value::Ext(p) if !p.starts_with("feast") => Some(Diagnostic {
            location: at.location(),
            message: format!("{what} comes from `{p}`, outside the feature repo"),
            dynamic: true,
        }),
        _ => None,
    }
}

pub(super) fn wrong(v: &Value, at: &Loc, what: &str, expected: &str) -> Diagnostic {
    unknown(v, at, what).unwrap_or_else(|| {
        err(
            at,
            format!("{what} must be {expected}, got {}", v.describe()),
        )
    })
}

impl Args {
    pub fn new(at: Loc) -> Args {
        Args {
            at,
            pos: Vec::new(),
            kw: Vec::new(),
        }
    }

    pub(super) fn get(&self, name: &str) -> Option<&Arg> {
        self.kw
            .iter()
            .rev()
            .find(|(k, _)| k.as_str() == name)
            .map(|(_, a)| a)
    }

    /// Feast's constructors take keyword arguments only.
    pub(super) fn keywords_only(&self, ctor: &str) -> Result<(), Diagnostic> {
        if let Some(a) = self.pos.first() {
            return Err(err(
                &a.at,
                format!("{ctor}() takes keyword arguments only (Python raises TypeError here)"),
            ));
        }
        if let Some((_, a)) = self.kw.iter().find(|(k, _)| k.as_str() == "**") {
            return Err(unknown(&a.value, &a.at, "a `**` argument")
                .unwrap_or_else(|| err(&a.at, "bad `**` argument")));
        }
        Ok(())
    }

    pub(super) fn str(&self, name: &str, what: &str) -> Result<Option<String>, Diagnostic> {
        match self.get(name) {
            None => Ok(None),
            Some(Arg {
                value: Value::None, ..
            }) => Ok(None),
            Some(Arg {
                value: Value::Str(s),
                ..
            }) => Ok(Some(s.clone())),
            Some(a) => Err(wrong(
                &a.value,
                &a.at,
                &format!("`{name}=` of {what}"),
                "a string",
            )),
        }
    }

    pub(super) fn req_str(&self, name: &str, what: &str) -> Result<String, Diagnostic> {
        self.str(name, what)?
            .ok_or_else(|| err(&self.at, format!("{what} needs `{name}=`")))
    }

    pub(super) fn bool(&self, name: &str, default: bool, what: &str) -> Result<bool, Diagnostic> {
        match self.get(name) {
            None => Ok(default),
            Some(Arg {
                value: Value::Bool(b),
                ..
            }) => Ok(*b),
            Some(a) => Err(wrong(
                &a.value,
                &a.at,
                &format!("`{name}=` of {what}"),
                "True or False",
            )),
        }
    }

    /// Moves a list argument out, so the objects in it can be moved too.
    pub(super) fn take_list(
        &mut self,
        name: &str,
        what: &str,
    ) -> Result<Option<(Vec<Value>, Loc)>, Diagnostic> {
        let Some((_, arg)) = self.kw.iter_mut().rev().find(|(k, _)| k.as_str() == name) else {
            return Ok(None);
        };
        match std::mem::replace(&mut arg.value, Value::None) {
            Value::None => Ok(None),
            Value::List(v) => Ok(Some((v, arg.at.clone()))),
            other => Err(wrong(
                &other,
                &arg.at,
                &format!("`{name}=` of {what}"),
                "a list",
            )),
        }
    }

    pub(super) fn list(
        &self,
        name: &str,
        what: &str,
    ) -> Result<Option<(Vec<Value>, Loc)>, Diagnostic> {
        match self.get(name) {
            None
            | Some(Arg {
                value: Value::None, ..
            }) => Ok(None),
            Some(Arg {
                value: Value::List(v),
                at,
            }) => Ok(Some((v.clone(), at.clone()))),
            Some(a) => Err(wrong(
                &a.value,
                &a.at,
                &format!("`{name}=` of {what}"),
                "a list",
            )),
        }
    }

    pub(super) fn str_map(
        &self,
        name: &str,
        what: &str,
    ) -> Result<BTreeMap<String, String>, Diagnostic> {
        match self.get(name) {
            None
            | Some(Arg {
                value: Value::None, ..
            }) => Ok(BTreeMap::new()),
            Some(Arg {
                value: Value::Dict(items),
                at,
            }) => items
                .iter()
                .map(|(k, v)| match (k, v) {
                    (Value::Str(k), Value::Str(v)) => Ok((k.clone(), v.clone())),
                    (Value::Str(_), v) => Err(wrong(
                        v,
                        at,
                        &format!("a value in `{name}=` of {what}"),
                        "a string",
                    )),
                    (k, _) => Err(wrong(
                        k,
                        at,
                        &format!("a key in `{name}=` of {what}"),
                        "a string",
                    )),
                })
                .collect(),
            Some(a) => Err(wrong(
                &a.value,
                &a.at,
                &format!("`{name}=` of {what}"),
                "a dict of strings",
            )),
        }
    }

    pub(super) fn meta(&self, what: &str) -> Result<Meta, Diagnostic> {
        Ok(Meta {
            description: self.str("description", what)?.unwrap_or_default(),
            tags: self.str_map("tags", what)?,
            owner: self.str("owner", what)?.unwrap_or_default(),
        })
    }

    pub(super) fn obj(&self, name: &str, what: &str) -> Result<Option<(Rc<Obj>, Loc)>, Diagnostic> {
        match self.get(name) {
            None
            | Some(Arg {
                value: Value::None, ..
            }) => Ok(None),
            Some(Arg {
                value: Value::Obj(o),
                at,
            }) => Ok(Some((o.clone(), at.clone()))),
            Some(a) => Err(wrong(
                &a.value,
                &a.at,
                &format!("`{name}=` of {what}"),
                "a Feast object",
            )),
        }
    }

    pub(super) fn ttl(&self, what: &str) -> Result<Option<u64>, Diagnostic> {
        match self.get("ttl") {
            None
            | Some(Arg {
                value: Value::None, ..
            }) => Ok(None),
            Some(Arg {
                value: Value::Timedelta(s),
                ..
            }) => Ok((*s > 0.0).then(|| s.floor() as u64)),
            Some(a) => Err(wrong(
                &a.value,
                &a.at,
                &format!("`ttl=` of {what}"),
                "a timedelta",
            )),
        }
    }

    pub(super) fn mode(&self, default: &str, what: &str) -> Result<String, Diagnostic> {
        match self.get("mode") {
            None => Ok(default.to_string()),
            Some(Arg {
                value: Value::Str(s),
                ..
            }) => Ok(s.to_lowercase()),
            // TransformationMode.PANDAS and friends.
            Some(Arg {
                value: Value::Ext(p),
                ..
            }) if p.starts_with("feast") && p.contains("TransformationMode.") => {
                Ok(p.rsplit('.').next().unwrap_or_default().to_lowercase())
            }
            Some(a) => Err(wrong(
                &a.value,
                &a.at,
                &format!("`mode=` of {what}"),
                "a transformation mode",
            )),
        }
    }
}

/// `timedelta(days, seconds, microseconds, milliseconds, minutes, hours, weeks)`.
pub fn timedelta(args: &Args) -> Result<Value, Diagnostic> {
    const UNITS: &[(&str, f64)] = &[
        ("days", 86400.0),
        ("seconds", 1.0),
        ("microseconds", 1e-6),
        ("milliseconds", 1e-3),
        ("minutes", 60.0),
        ("hours", 3600.0),
        ("weeks", 604800.0),
    ];
    if args.pos.len() > UNITS.len() {
        return Err(err(&args.at, "timedelta() takes at most 7 arguments"));
    }
    let mut total = 0.0;
    let named = args.kw.iter().map(|(k, a)| (k.as_str(), a));
    let positional = args.pos.iter().enumerate().map(|(i, a)| (UNITS[i].0, a));
    for (name, a) in positional.chain(named) {
        let Some(unit) = UNITS.iter().find(|u| u.0 == name) else {
            return Err(err(&a.at, format!("timedelta() has no argument `{name}`")));
        };
        let n = match &a.value {
            Value::Int(i) => *i as f64,
            Value::Float(f) => *f,
            v => {
                return Err(wrong(
                    v,
                    &a.at,
                    &format!("`{name}` of timedelta"),
                    "a number",
                ));
            }
        };
        total += n * unit.1;
    }
    Ok(Value::Timedelta(total))
}
