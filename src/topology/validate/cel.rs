//! CEL rules (`x-kubernetes-validations`) of a CRD version, compiled once and evaluated
//! offline with `kube-cel` (schema defaults applied first, as the API server does).
//! Transition rules that need `oldSelf` are skipped: there is no old object offline.

use serde_json::Value;

/// A failed rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CelProblem {
    pub path: String,
    pub message: String,
    pub rule: String,
}

/// The compiled rules of one schema.
pub struct CelRules {
    compiled: kube_cel::CompiledSchema,
}

impl CelRules {
    /// Compile every rule; the first rule that does not compile is an error.
    pub fn compile(openapi: &Value) -> Result<CelRules, String> {
        let compiled = kube_cel::compile_schema(openapi);
        if let Some(err) = compiled.compilation_errors().first() {
            return Err(err.to_string());
        }
        Ok(CelRules { compiled })
    }

    /// Evaluate every rule against `obj`.
    pub fn evaluate(&self, obj: &Value) -> Vec<CelProblem> {
        match kube_cel::Validator::new().validate_compiled(&self.compiled, obj, None) {
            Ok(()) => Vec::new(),
            Err(errs) => errs
                .into_vec()
                .into_iter()
                .map(|e| CelProblem {
                    path: e.field_path.clone(),
                    message: e.message.clone(),
                    rule: e.rule.clone(),
                })
                .collect(),
        }
    }
}
