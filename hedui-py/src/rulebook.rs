//! `hedui.Rulebook`: the versioned configuration of every rule's numbers, frozen.

use std::ops::Deref;
use std::sync::Arc;

use hedui_core::Rulebook;
use hedui_ops::args;
use pyo3::prelude::*;
use pyo3::types::PyType;

use crate::errors::{self, INPUT_ARGUMENT, guard};

/// A rulebook as the calls hold it: the built-in one of `hedui-ops` (made once, shared) or
/// one read from JSON.
#[derive(Debug, Clone)]
pub(crate) enum Book {
    /// [`args::default_rulebook`].
    Builtin,
    /// A rulebook from `Rulebook.from_json`.
    Custom(Arc<Rulebook>),
}

impl Deref for Book {
    type Target = Rulebook;

    fn deref(&self) -> &Rulebook {
        match self {
            Book::Builtin => args::default_rulebook(),
            Book::Custom(rb) => rb,
        }
    }
}

/// A rulebook 规则配置: every number a rule uses (recheck intervals, deadlines, password policy,
/// retention, the working-day calendar, the data-sharing agreements), as one versioned
/// document. Immutable; make one with `Rulebook.default()` or `Rulebook.from_json(text)`.
#[pyclass(module = "hedui", name = "Rulebook", frozen)]
#[derive(Debug)]
pub(crate) struct PyRulebook {
    pub(crate) inner: Book,
}

#[pymethods]
impl PyRulebook {
    /// The built-in rulebook (docs/rules.md#defaults, 2024-2026 holidays, default agreements).
    #[staticmethod]
    fn default(py: Python<'_>) -> PyResult<Self> {
        guard(py, || {
            Ok(PyRulebook {
                inner: Book::Builtin,
            })
        })
    }

    /// Reads a rulebook from JSON text and checks every value's range.
    ///
    /// Raises `InputError` (`input_json` for malformed JSON or unknown fields,
    /// `rulebook_out_of_bounds` for a security setting outside its policy bounds,
    /// `input_rulebook` for another value out of range).
    #[staticmethod]
    fn from_json(py: Python<'_>, text: &Bound<'_, PyAny>) -> PyResult<Self> {
        guard(py, || {
            let text = crate::convert::to_json(text, "rulebook")?;
            let rb = Rulebook::from_json(&text).map_err(|e| errors::core_error(py, &e))?;
            Ok(PyRulebook {
                inner: Book::Custom(Arc::new(rb)),
            })
        })
    }

    /// The rulebook as pretty JSON text (feed it back to `Rulebook.from_json`).
    fn to_json(&self, py: Python<'_>) -> PyResult<String> {
        guard(py, || Ok(self.inner.to_json()))
    }

    /// Version string, printed on every report.
    #[getter]
    fn version(&self) -> &str {
        &self.inner.version
    }

    fn __repr__(&self) -> String {
        format!("Rulebook(version={:?})", self.inner.version)
    }

    fn __eq__(&self, other: &Bound<'_, PyAny>) -> bool {
        other
            .cast::<PyRulebook>()
            .is_ok_and(|o| *o.get().inner == *self.inner)
    }

    fn __ne__(&self, other: &Bound<'_, PyAny>) -> bool {
        !self.__eq__(other)
    }

    /// Rulebooks pickle as their JSON text.
    fn __reduce__<'py>(slf: &Bound<'py, Self>) -> PyResult<(Bound<'py, PyAny>, (String,))> {
        let cls: Bound<'py, PyType> = slf.get_type();
        Ok((cls.getattr("from_json")?, (slf.get().inner.to_json(),)))
    }
}

/// The `rulebook=` argument: `None` for the built-in rulebook, or a `Rulebook`.
pub(crate) fn resolve(obj: Option<&Bound<'_, PyAny>>) -> PyResult<Book> {
    match obj {
        None => Ok(Book::Builtin),
        Some(o) if o.is_none() => Ok(Book::Builtin),
        Some(o) => match o.cast::<PyRulebook>() {
            Ok(rb) => Ok(rb.get().inner.clone()),
            Err(_) => Err(errors::input(
                o.py(),
                INPUT_ARGUMENT,
                &format!(
                    "`rulebook` must be a hedui.Rulebook or None, got `{}`",
                    o.get_type()
                        .name()
                        .map_or_else(|_| "?".to_owned(), |n| n.to_string())
                ),
            )),
        },
    }
}
