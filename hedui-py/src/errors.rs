//! The exception classes and the translation of core errors into them.
//!
//! Every core [`hedui_core::Error`] becomes an instance of the class of its
//! [`ErrorArea`](hedui_core::ErrorArea), with `.code` set to the core's stable code and `.area` to
//! the area name. Errors that only exist at the boundary (a Python value that cannot become
//! JSON, an argument of the wrong type, an unreadable file, a panic) use the codes below.

use std::any::Any;
use std::panic::{AssertUnwindSafe, catch_unwind};

use hedui_core::{Error, ErrorArea, error::AuthorizationError as CoreAuthorizationError};
use hedui_ops::{Area, Failure};
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::PyType;

use serde::Serialize;

use crate::convert;

pyo3::create_exception!(
    hedui,
    HeduiError,
    PyValueError,
    "Base class of every hedui error.\n\n`.code` is the stable snake_case code of the core library (or `internal`, `input_argument`,\n`input_io`, `invalid_time`, `invalid_date` for errors at the Python boundary); `.area` names the area (`input`,\n`authorization`, `entrustment`, `verification`, `population`, `security`, `internal`)."
);
pyo3::create_exception!(
    hedui,
    InputError,
    HeduiError,
    "Malformed input: JSON shape, identifiers, argument types, unreadable files."
);
pyo3::create_exception!(
    hedui,
    AuthorizationError,
    HeduiError,
    "R1 authorize-before-entrust: the authorization letter does not permit the verification.\n\n`.defects` lists every defect found (dicts with `code` and `message`) when the letter was checked."
);
pyo3::create_exception!(
    hedui,
    EntrustmentError,
    HeduiError,
    "R1/R2: the entrustment letter or its pre-check does not allow the verification to start."
);
pyo3::create_exception!(
    hedui,
    VerificationError,
    HeduiError,
    "Query results, offline investigation or report assembly failed (R3, R6, R7, R9)."
);
pyo3::create_exception!(
    hedui,
    PopulationError,
    HeduiError,
    "Population rules: emergency ledger, coverage, recheck schedule (R4, R5, R8)."
);
pyo3::create_exception!(
    hedui,
    SecurityError,
    HeduiError,
    "Records and security: audit chain, passwords, permissions (R10, R11)."
);

/// Code of a Rust panic caught at the boundary (a bug in hedui: please report it).
pub(crate) const INTERNAL: &str = "internal";
/// Code of an argument of the wrong type or value (`rulebook`, `as_of`, `on`, `n`, ...).
pub(crate) const INPUT_ARGUMENT: &str = "input_argument";
/// Code of a file that cannot be read.
pub(crate) const INPUT_IO: &str = "input_io";

/// The exception classes in registration order, with their area and the class-level default
/// `code`.
pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    let classes: [(&str, Bound<'_, PyType>, &str); 7] = [
        ("HeduiError", py.get_type::<HeduiError>(), INTERNAL),
        ("InputError", py.get_type::<InputError>(), "input"),
        (
            "AuthorizationError",
            py.get_type::<AuthorizationError>(),
            "authorization",
        ),
        (
            "EntrustmentError",
            py.get_type::<EntrustmentError>(),
            "entrustment",
        ),
        (
            "VerificationError",
            py.get_type::<VerificationError>(),
            "verification",
        ),
        (
            "PopulationError",
            py.get_type::<PopulationError>(),
            "population",
        ),
        ("SecurityError", py.get_type::<SecurityError>(), "security"),
    ];
    for (name, ty, area) in classes {
        // class-level defaults, so that `.code` and `.area` exist on every instance, also on
        // one raised from Python code
        ty.setattr("code", INTERNAL)?;
        ty.setattr("area", area)?;
        ty.setattr("detail", py.None())?;
        if name == "AuthorizationError" {
            ty.setattr("defects", pyo3::types::PyTuple::empty(py))?;
        }
        m.add(name, ty)?;
    }
    // A container of the wrong kind (a DataFrame where a list of cases is expected): both an
    // `InputError` with code `input_argument` and a `TypeError`, made by `type()` since a
    // class with two bases cannot be declared with `create_exception!`.
    let doc = "An argument of the wrong kind, such as a DataFrame where a list of cases is expected: an `InputError` (code `input_argument`) and a `TypeError`.";
    let attrs = pyo3::types::PyDict::new(py);
    attrs.set_item("__module__", "hedui")?;
    attrs.set_item("__doc__", doc)?;
    let bases = (
        py.get_type::<InputError>(),
        py.get_type::<pyo3::exceptions::PyTypeError>(),
    );
    let ty = py
        .get_type::<PyType>()
        .call1(("ArgumentTypeError", bases, attrs))?;
    ty.setattr("code", INPUT_ARGUMENT)?;
    ty.setattr("area", "input")?;
    m.add("ArgumentTypeError", ty)?;
    Ok(())
}

/// An `ArgumentTypeError` (an [`InputError`] and a `TypeError`) with code
/// [`INPUT_ARGUMENT`]: an argument of the wrong kind, the message saying what to pass.
pub(crate) fn wrong_kind(py: Python<'_>, message: &str) -> PyErr {
    let ty = py
        .import("hedui._hedui")
        .and_then(|m| m.getattr("ArgumentTypeError"))
        .and_then(|t| t.cast_into::<PyType>().map_err(PyErr::from));
    match ty {
        Ok(ty) => build(&ty, INPUT_ARGUMENT, "input", message, None),
        Err(e) => e,
    }
}

/// The exception class of an area's errors.
pub(crate) fn class_for(py: Python<'_>, area: ErrorArea) -> Bound<'_, PyType> {
    match area {
        ErrorArea::Input => py.get_type::<InputError>(),
        ErrorArea::Authorization => py.get_type::<AuthorizationError>(),
        ErrorArea::Entrustment => py.get_type::<EntrustmentError>(),
        ErrorArea::Verification => py.get_type::<VerificationError>(),
        ErrorArea::Population => py.get_type::<PopulationError>(),
        ErrorArea::Security => py.get_type::<SecurityError>(),
        _ => py.get_type::<HeduiError>(),
    }
}

/// Builds an instance of `ty` with `message`, `.code`, `.area` and `.detail` (the core's
/// structured detail, or the boundary's own).
fn build(
    ty: &Bound<'_, PyType>,
    code: &str,
    area: &str,
    message: &str,
    detail: Option<&hedui_core::error::ErrorDetail>,
) -> PyErr {
    let py = ty.py();
    let made = ty.call1((message,)).and_then(|exc| {
        exc.setattr("code", code)?;
        exc.setattr("area", area)?;
        let detail = match detail {
            Some(d) => crate::topy::value(py, d)?,
            None => crate::topy::value(
                py,
                &hedui_ops::failure::boundary_detail(code, area, message),
            )?,
        };
        exc.setattr("detail", detail)?;
        Ok(exc)
    });
    match made {
        Ok(exc) => PyErr::from_value(exc),
        Err(e) => e,
    }
}

/// Translates a core error into its exception.
pub(crate) fn core_error(py: Python<'_>, e: &Error) -> PyErr {
    let area = e.area();
    let mut detail = e.detail();
    // the field's path rather than a column of the JSON copy made of a dict
    if let std::borrow::Cow::Owned(m) =
        hedui_ops::failure::message_at_path(&detail.message, detail.path.as_deref())
    {
        detail.message = m;
    }
    let err = build(
        &class_for(py, area),
        e.code(),
        area.as_str(),
        &detail.message,
        Some(&detail),
    );
    if let Error::Authorization(CoreAuthorizationError::Defective { defects, .. }) = e {
        let value = err.value(py);
        if let Ok(list) = convert::defects_to_py(py, defects) {
            let _ = value.setattr("defects", list.to_tuple());
        }
    }
    err
}

/// Translates a failed operation of `hedui-ops` into its exception: a core error through
/// [`core_error`]; a bad argument (a time or date that does not parse, text that is not
/// UTF-8) an [`InputError`] with the operation's code (`invalid_time`, `invalid_date`, ...);
/// anything else a [`HeduiError`] with code [`INTERNAL`].
pub(crate) fn failure(py: Python<'_>, f: &Failure) -> PyErr {
    match (f, f.area()) {
        (Failure::Core(e), _) => core_error(py, e),
        (_, Area::Argument) => input(py, f.code(), &f.to_string()),
        // printing a PDF: no browser, or the browser failed; a HeduiError with its own code
        (Failure::Printer { code, .. }, _) => build(
            &py.get_type::<HeduiError>(),
            code,
            "printer",
            &f.to_string(),
            None,
        ),
        _ => internal(py, &f.to_string()),
    }
}

/// An [`InputError`] with a boundary code ([`INPUT_ARGUMENT`], [`INPUT_IO`]).
pub(crate) fn input(py: Python<'_>, code: &str, message: &str) -> PyErr {
    build(&py.get_type::<InputError>(), code, "input", message, None)
}

/// A [`HeduiError`] with code [`INTERNAL`] for a caught panic.
fn internal(py: Python<'_>, message: &str) -> PyErr {
    build(
        &py.get_type::<HeduiError>(),
        INTERNAL,
        INTERNAL,
        &format!("internal error in hedui (please report it): {message}"),
        None,
    )
}

pub(crate) fn panic_message(payload: &(dyn Any + Send)) -> String {
    if let Some(s) = payload.downcast_ref::<&str>() {
        (*s).to_owned()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "panic".to_owned()
    }
}

/// Runs `f`, turning a Rust panic into a [`HeduiError`] with code `internal`: no call into
/// hedui ever raises `PanicException`.
pub(crate) fn guard<'py, T>(py: Python<'py>, f: impl FnOnce() -> PyResult<T>) -> PyResult<T> {
    match catch_unwind(AssertUnwindSafe(f)) {
        Ok(result) => result,
        Err(payload) => Err(internal(py, &panic_message(payload.as_ref()))),
    }
}

/// Like [`guard`] for work done with the interpreter detached: the panic is carried out as a
/// message and raised once attached again.
pub(crate) fn catch<T>(f: impl FnOnce() -> T) -> Result<T, String> {
    catch_unwind(AssertUnwindSafe(f)).map_err(|payload| panic_message(payload.as_ref()))
}

/// Raises the [`HeduiError`] for a panic caught by [`catch`].
pub(crate) fn internal_from(py: Python<'_>, message: &str) -> PyErr {
    internal(py, message)
}

/// One catalog entry as Python sees it: the core's entry and the exception class raised.
#[derive(Serialize)]
struct CatalogEntry<'a> {
    #[serde(flatten)]
    info: &'a hedui_core::error::ErrorInfo,
    exception: String,
}

/// `error_catalog()`: every error code the core can raise, with its area, rule and clause, C
/// result number, summary and the name of the exception class it is raised as.
#[pyfunction]
pub(crate) fn error_catalog(py: Python<'_>) -> PyResult<Bound<'_, PyAny>> {
    let mut entries = Vec::new();
    for info in Error::catalog() {
        let exception = class_for(py, info.area).name()?.to_string();
        entries.push(CatalogEntry { info, exception });
    }
    crate::topy::value(py, &entries)
}
