//! Calls: Feast's constructors (through [`objects`]), Python builtins and
//! the standard library, methods of known values, and the repo's own
//! functions and lambdas, run by a bounded interpreter.

use std::cell::RefCell;
use std::rc::Rc;

use super::super::diagnostics::Diagnostic;
use super::super::objects::{self, Args};
use super::stmt::Flow;
use super::value::{Dyn, Function, FunctionBody, Loc, Namespace, Value};
use super::{Ctx, DEPTH_BUDGET, Evaluator, feast_name};

/// Why arguments do not fit a function's parameters.
#[derive(Debug, thiserror::Error)]
enum BindError {
    /// What Python raises: `feast apply` fails the same way.
    #[error("calling `{func}` raises TypeError: {message}")]
    TypeError { func: String, message: String },
    /// The arguments themselves are unknown (`**kwargs` of an unknown dict).
    #[error("calling `{func}` with {what}")]
    Unknown { func: String, what: String },
}

impl Evaluator<'_> {
    pub(super) fn call(&mut self, func: Value, args: Args, at: Loc) -> Value {
        let result: Result<Value, Diagnostic> = match func {
            Value::Ext(path) => {
                if let Some(name) = feast_name(&path) {
                    objects::construct(self, name, args, at.clone())
                } else if path == "datetime.timedelta" {
                    objects::timedelta(&args)
                } else if let Some(name) = path.strip_prefix("builtins.") {
                    return self.builtin(name, args, at);
                } else if let Some(v) = self.stdlib(&path, &args, &at) {
                    return v;
                } else {
                    // Libraries outside the repo do not build Feast objects,
                    // unless handed a repo function to call.
                    let library = !args
                        .pos
                        .iter()
                        .chain(args.kw.iter().map(|(_, a)| a))
                        .any(|a| match &a.value {
                            Value::Function(_) | Value::Class(..) => true,
                            Value::Dynamic(d) => d.may_define || !d.library,
                            _ => false,
                        });
                    Ok(Value::Dynamic(Rc::new(Dyn {
                        at: at.clone(),
                        why: format!("the result of `{path}(...)`"),
                        may_define: false,
                        library,
                    })))
                }
            }
            Value::Method(recv, method) => match *recv {
                recv @ (Value::Obj(_) | Value::Proj(_)) => {
                    objects::method(recv, &method, args, &at)
                }
                recv => return self.method(recv, &method, args, at),
            },
            Value::Function(f) => return self.call_function(&f, args, at),
            Value::Class(def, name) => Ok(self.dynamic(
                at.clone(),
                format!(
                    "an instance of the class `{name}` (defined at {}:{})",
                    def.file, def.line
                ),
                true,
            )),
            Value::Dynamic(d) => {
                if d.why == super::REPORTED {
                    return Value::Dynamic(d);
                }
                Ok(Value::Dynamic(Rc::new(Dyn {
                    at: at.clone(),
                    why: format!("a call to {}", d.why),
                    may_define: !d.library,
                    library: d.library,
                })))
            }
            other => Ok(self.dynamic(at.clone(), format!("a call to {}", other.describe()), false)),
        };
        match result {
            Ok(v) => v,
            Err(d) => {
                self.diags.push(d);
                Self::reported(at)
            }
        }
    }

    /// Runs a repo function on its own frame. Each call builds new Feast
    /// objects, as each Python call does.
    pub(super) fn call_function(&mut self, f: &Rc<Function>, args: Args, at: Loc) -> Value {
        if f.wrapped {
            return self.dynamic(
                at,
                format!(
                    "a call to the function `{}`, wrapped by a decorator",
                    f.name
                ),
                true,
            );
        }
        if self.depth >= DEPTH_BUDGET {
            self.error(
                at.clone(),
                format!(
                    "calls nest deeper than {DEPTH_BUDGET} levels here; feastops stops evaluating"
                ),
                true,
            );
            return Self::reported(at);
        }
        let ns = match bind_parameters(f, args) {
            Ok(ns) => ns,
            Err(e) => {
                let dynamic = matches!(e, BindError::Unknown { .. });
                self.error(at.clone(), e.to_string(), dynamic);
                return Self::reported(at);
            }
        };
        let Some(src) = self.tree.python.get(&*f.module.file) else {
            return self.dynamic(at, format!("a call to `{}`", f.name), true);
        };
        let mut cx = Ctx {
            module: f.module.clone(),
            src,
            ns: Rc::new(RefCell::new(ns)),
            enclosing: f.closure.clone(),
            in_function: true,
            global_names: Vec::new(),
        };
        let params: Vec<String> = cx
            .ns
            .borrow()
            .iter()
            .filter(|(_, v)| matches!(v, Value::List(_) | Value::Dict(_) | Value::Set(_)))
            .map(|(k, _)| k.clone())
            .collect();
        for p in params {
            self.mark_shared(&cx.ns, &p);
        }
        self.depth += 1;
        let result = match &f.body {
            FunctionBody::Def(d) => match self.block(&mut cx, &d.body) {
                Flow::Return(v) => v,
                Flow::Normal => Value::None,
                Flow::Break | Flow::Continue => Value::None,
                Flow::Abort => Self::reported(at),
            },
            FunctionBody::Lambda(l) => self.expr(&mut cx, &l.body),
        };
        self.depth -= 1;
        // The frame is gone; its address may be reused by the next one.
        let frame = Rc::as_ptr(&cx.ns) as usize;
        self.shared.retain(|(p, _)| *p != frame);
        result
    }

    /// Calls a value from Rust (a `key=` or `map` function).
    pub(super) fn call_value(&mut self, func: &Value, args: Vec<Value>, at: &Loc) -> Value {
        let mut a = Args::new(at.clone());
        a.pos = args
            .into_iter()
            .map(|value| objects::Arg {
                value,
                at: at.clone(),
            })
            .collect();
        self.call(func.clone(), a, at.clone())
    }
}

fn bind_parameters(f: &Function, args: Args) -> Result<Namespace, BindError> {
    let type_error = |message: String| BindError::TypeError {
        func: f.name.clone(),
        message,
    };
    let mut ns = Namespace::new();
    let empty = ruff_python_ast::Parameters {
        range: Default::default(),
        node_index: Default::default(),
        posonlyargs: Default::default(),
        args: Default::default(),
        vararg: None,
        kwonlyargs: Default::default(),
        kwarg: None,
    };
    let p = f.parameters().unwrap_or(&empty);
    let positional: Vec<&str> = p
        .posonlyargs
        .iter()
        .chain(&p.args)
        .map(|a| a.parameter.name.id.as_str())
        .collect();
    let mut extra = Vec::new();
    for (i, a) in args.pos.into_iter().enumerate() {
        match positional.get(i) {
            Some(name) => {
                ns.insert(name.to_string(), a.value);
            }
            None if p.vararg.is_some() => extra.push(a.value),
            None => {
                return Err(type_error(format!(
                    "it takes {} positional arguments but more were given",
                    positional.len()
                )));
            }
        }
    }
    if let Some(v) = &p.vararg {
        ns.insert(v.name.id.to_string(), Value::List(extra));
    }
    let by_keyword: Vec<&str> = p
        .args
        .iter()
        .chain(&p.kwonlyargs)
        .map(|a| a.parameter.name.id.as_str())
        .collect();
    let mut kwargs = Vec::new();
    for (k, a) in args.kw {
        if k.as_str() == "**" {
            return Err(BindError::Unknown {
                func: f.name.clone(),
                what: a.value.describe(),
            });
        }
        if by_keyword.contains(&k.as_str()) {
            if ns.contains_key(k.as_str()) {
                return Err(type_error(format!(
                    "got multiple values for argument `{k}`"
                )));
            }
            ns.insert(k.to_string(), a.value);
        } else if p.kwarg.is_some() {
            kwargs.push((Value::Str(k.to_string()), a.value));
        } else {
            return Err(type_error(format!(
                "got an unexpected keyword argument `{k}`"
            )));
        }
    }
    if let Some(k) = &p.kwarg {
        ns.insert(k.name.id.to_string(), Value::Dict(kwargs));
    }
    for pd in p.posonlyargs.iter().chain(&p.args).chain(&p.kwonlyargs) {
        let name = pd.parameter.name.id.as_str();
        if ns.contains_key(name) {
            continue;
        }
        match f.defaults.get(name) {
            Some(d) => {
                ns.insert(name.to_string(), d.clone());
            }
            None => return Err(type_error(format!("missing the argument `{name}`"))),
        }
    }
    Ok(ns)
}
