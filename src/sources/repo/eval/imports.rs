//! `import` and `from ... import`: repo modules are run (once) and their
//! names bound; anything else becomes a reference by dotted path.

use ruff_python_ast as ast;

use super::expr::ext_value;
use super::value::{Loc, Value};
use super::{Ctx, Evaluator};

impl Evaluator<'_> {
    pub(super) fn import(&mut self, cx: &mut Ctx, i: &ast::StmtImport) {
        for alias in &i.names {
            let full = alias.name.id.as_str();
            match &alias.asname {
                Some(asname) => {
                    let v = self.module_value(full);
                    self.bind_name(cx, asname.id.as_str(), v);
                }
                None => {
                    let top = full.split('.').next().unwrap_or(full);
                    let v = self.module_value(top);
                    self.bind_name(cx, top, v);
                }
            }
        }
    }

    /// The value an `import` statement binds for a dotted module name.
    fn module_value(&mut self, dotted: &str) -> Value {
        if self.module_file(dotted).is_some() || self.is_namespace_package(dotted) {
            Value::Module(dotted.to_string())
        } else {
            ext_value(dotted.to_string())
        }
    }

    fn module_file(&self, dotted: &str) -> Option<String> {
        let base = dotted.replace('.', "/");
        [format!("{base}.py"), format!("{base}/__init__.py")]
            .into_iter()
            .find(|f| self.tree.python.contains_key(f))
    }

    fn is_namespace_package(&self, dotted: &str) -> bool {
        let prefix = format!("{}/", dotted.replace('.', "/"));
        self.tree
            .python
            .range(prefix.clone()..)
            .next()
            .is_some_and(|(k, _)| k.starts_with(&prefix))
    }

    /// Attribute `name` of repo module `dotted`: a module-level value, or a
    /// submodule.
    pub(super) fn module_attr(&mut self, dotted: &str, name: &str, at: &Loc) -> Option<Value> {
        if let Some(file) = self.module_file(dotted) {
            match self.run_file(&file) {
                Some(ns) => {
                    if let Some(v) = ns.borrow().get(name) {
                        return Some(v.clone());
                    }
                }
                None => {
                    self.error(at.clone(), format!("circular import of `{dotted}`"), true);
                    return Some(self.dynamic(at.clone(), format!("`{dotted}.{name}`"), false));
                }
            }
        }
        let sub = format!("{dotted}.{name}");
        (self.module_file(&sub).is_some() || self.is_namespace_package(&sub))
            .then_some(Value::Module(sub))
    }

    pub(super) fn import_from(&mut self, cx: &mut Ctx, i: &ast::StmtImportFrom, at: Loc) {
        let module = i
            .module
            .as_ref()
            .map(|m| m.id.to_string())
            .unwrap_or_default();
        let dotted = if i.level == 0 {
            module
        } else {
            let mut parts: Vec<&str> = if cx.module.name.is_empty() {
                vec![]
            } else {
                cx.module.name.split('.').collect()
            };
            if !cx.module.is_package {
                parts.pop();
            }
            for _ in 1..i.level {
                parts.pop();
            }
            if !module.is_empty() {
                parts.push(&module);
            }
            parts.join(".")
        };
        let in_repo = dotted.is_empty()
            || self.module_file(&dotted).is_some()
            || self.is_namespace_package(&dotted);
        for alias in &i.names {
            let name = alias.name.id.as_str();
            if name == "*" {
                if in_repo {
                    if let Some(file) = self.module_file(&dotted)
                        && let Some(ns) = self.run_file(&file)
                    {
                        let items: Vec<(String, Value)> = ns
                            .borrow()
                            .iter()
                            .filter(|(k, _)| !k.starts_with('_'))
                            .map(|(k, v)| (k.clone(), v.clone()))
                            .collect();
                        for (k, v) in items {
                            self.bind_name(cx, &k, v);
                        }
                    }
                } else {
                    cx.module.star_ext.borrow_mut().push(dotted.clone());
                }
                continue;
            }
            let bound = alias.asname.as_ref().map_or(name, |a| a.id.as_str());
            let v = if in_repo {
                match self.module_attr(&dotted, name, &at) {
                    Some(v) => v,
                    None => {
                        self.error(at.clone(), format!("cannot import `{name}` from `{dotted}`: the repo module does not define it"), false);
                        self.dynamic(at.clone(), format!("`{name}`"), false)
                    }
                }
            } else {
                ext_value(format!("{dotted}.{name}"))
            };
            self.bind_name(cx, bound, v);
        }
    }
}
