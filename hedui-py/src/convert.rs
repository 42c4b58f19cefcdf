//! Python values in and out, in the JSON shapes of the core serde types.
//!
//! In: a document (dict, list, ...) is written as compact JSON by Python's own C encoder
//! (`json.JSONEncoder`, with `datetime.date`/`datetime.datetime` written as ISO strings) and
//! read by the core's serde types, so every shape check is the core's. A `str` (or UTF-8
//! `bytes`) is taken as JSON text as it is.
//!
//! Out: the core's values become dicts, lists, str, int, bool and None through the serde
//! `Serializer` of [`crate::topy`], keeping the field order of the core types; [`Builder`]
//! holds what the conversions of one call share (strings, field names, dict templates).

use std::borrow::Cow;
use std::cell::RefCell;
use std::collections::HashMap;

use hedui_core::error::Described;
use hedui_core::{
    Error,
    error::{AuthorizationDefect, InputError},
};
use hedui_ops::args;
use pyo3::exceptions::PyException;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{
    PyBool, PyByteArray, PyBytes, PyDate, PyDateTime, PyDict, PyList, PyModule, PyString,
};
use time::{Date, OffsetDateTime};

use crate::errors::{self, INPUT_ARGUMENT};

/// `json.JSONEncoder(...).encode`, made once.
static ENCODE: PyOnceLock<Py<PyAny>> = PyOnceLock::new();

/// The encoder's `default`: dates and datetimes as ISO 8601 text, anything else refused.
#[pyfunction]
fn _json_default<'py>(obj: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
    if obj.is_instance_of::<PyDate>() {
        // datetime.datetime is a subclass of datetime.date: both have isoformat()
        return obj.call_method0("isoformat");
    }
    let type_name = obj
        .get_type()
        .name()
        .map_or_else(|_| "?".to_owned(), |n| n.to_string());
    Err(pyo3::exceptions::PyTypeError::new_err(format!(
        "value of type `{type_name}` is not JSON data"
    )))
}

fn encoder(py: Python<'_>) -> PyResult<&Bound<'_, PyAny>> {
    ENCODE
        .get_or_try_init(py, || {
            let json = py.import("json")?;
            let kwargs = PyDict::new(py);
            kwargs.set_item("ensure_ascii", false)?;
            kwargs.set_item("allow_nan", false)?;
            kwargs.set_item("separators", (",", ":"))?;
            kwargs.set_item("default", wrap_pyfunction!(_json_default, py)?)?;
            let encoder = json.getattr("JSONEncoder")?.call((), Some(&kwargs))?;
            Ok(encoder.getattr("encode")?.unbind())
        })
        .map(|f| f.bind(py))
}

fn json_input_error(py: Python<'_>, document: &'static str, message: String) -> PyErr {
    errors::core_error(
        py,
        &Error::Input(InputError::Json {
            document,
            message,
            path: None,
        }),
    )
}

/// A Python document as JSON text, for the core's `from_json` readers.
///
/// `str` is taken as JSON text, `bytes` as UTF-8 JSON text; anything else is encoded. A value
/// that is not JSON data (a set, NaN, a cycle, a lone surrogate, nesting deeper than Python's
/// recursion limit) raises `InputError` with code `input_json`.
pub(crate) fn to_json<'a>(
    obj: &'a Bound<'_, PyAny>,
    document: &'static str,
) -> PyResult<Cow<'a, str>> {
    let py = obj.py();
    if let Ok(s) = obj.cast::<PyString>() {
        return s
            .to_cow()
            .map_err(|_| json_input_error(py, document, "text is not valid unicode".to_owned()));
    }
    if obj.is_instance_of::<PyBytes>() || obj.is_instance_of::<PyByteArray>() {
        let bytes: Vec<u8> = obj.extract()?;
        return String::from_utf8(bytes)
            .map(Cow::Owned)
            .map_err(|_| errors::core_error(py, &Error::Input(InputError::Utf8)));
    }
    encode(obj, document).map(Cow::Owned)
}

/// Any Python value as JSON text by Python's encoder (a `str` becomes a JSON string).
fn encode(obj: &Bound<'_, PyAny>, document: &'static str) -> PyResult<String> {
    let py = obj.py();
    let encoded = encoder(py)?.call1((obj,)).map_err(|e| {
        if e.is_instance_of::<PyException>(py) {
            json_input_error(py, document, e.value(py).to_string())
        } else {
            e // KeyboardInterrupt, SystemExit: not ours to translate
        }
    })?;
    let text = encoded.cast_into::<PyString>().map_err(PyErr::from)?;
    text.to_cow()
        .map(Cow::into_owned)
        .map_err(|_| json_input_error(py, document, "text is not valid unicode".to_owned()))
}

/// A plain value (a `str` naming a core enum such as `"county"` or `"query_data"`, a number,
/// a list) read into a serde type through the one JSON adapter: unlike [`document`], a `str`
/// is the value itself, not JSON text.
pub(crate) fn value<T: serde::de::DeserializeOwned>(
    obj: &Bound<'_, PyAny>,
    name: &'static str,
) -> PyResult<T> {
    let text = encode(obj, name)?;
    hedui_ops::json::parse(name, &text).map_err(|f| errors::failure(obj.py(), &f))
}

/// [`value`] under a rulebook's limits and its identifier rules on the day `on` (a resident
/// ID given as a `str`).
pub(crate) fn value_under<T: serde::de::DeserializeOwned>(
    obj: &Bound<'_, PyAny>,
    name: &'static str,
    rulebook: &hedui_core::Rulebook,
    on: Date,
) -> PyResult<T> {
    let text = encode(obj, name)?;
    hedui_ops::json::parse_under(name, &text, rulebook, Some(on))
        .map_err(|f| errors::failure(obj.py(), &f))
}

/// What the conversions of core values into Python objects within one call share: one `str`
/// object per distinct short string (object keys, enum names, masked IDs repeat in every
/// finding), the field names, and a dict template per struct shape: fewer allocations, and
/// each key is hashed once.
pub(crate) struct Builder<'py> {
    py: Python<'py>,
    strings: RefCell<FxMap<Box<str>, Bound<'py, PyString>>>,
    /// Field and variant names (`&'static str`) by address and length: the same address
    /// always holds the same text, so no text is hashed or compared. Direct-mapped: a name
    /// whose slot another name took is made again (same text, another `str` object).
    statics: RefCell<Vec<Option<StaticName<'py>>>>,
    /// Fields of the structs being built (nested structs stack up), see `struct_dict`.
    fields: RefCell<Vec<(&'static str, Bound<'py, PyAny>)>>,
    /// Dicts of each struct shape seen (struct name by address → shapes), values `None`.
    templates: RefCell<FxMap<usize, Vec<Template<'py>>>>,
}

/// A struct shape: its field names, in order, and a dict with those keys.
struct Template<'py> {
    names: Box<[(usize, usize)]>,
    keys: Box<[Bound<'py, PyString>]>,
    dict: Bound<'py, PyDict>,
}

/// Most shapes kept per struct type (optional fields make a few).
const SHAPES_PER_STRUCT: usize = 16;

/// The cache is looked up for every key and short value, and SipHash was a visible part of
/// the time: rustc's Fx hash instead. Not collision-resistant, which only matters for speed
/// here: the cache holds at most `CACHED_COUNT` strings of at most `CACHED_LEN` bytes.
type FxMap<K, V> = HashMap<K, V, rustc_hash::FxBuildHasher>;

/// A cached field or variant name: (address, length) and its `str`.
#[derive(Clone)]
struct StaticName<'py> {
    key: (usize, usize),
    text: Bound<'py, PyString>,
}

/// Slots of the name cache (2^`STATIC_BITS`): the report types have about 150 names.
const STATIC_BITS: u32 = 10;
const STATIC_SLOTS: usize = 1 << STATIC_BITS;

/// Longest string kept in the cache (an RFC 3339 instant is 25 bytes), and most strings kept.
const CACHED_LEN: usize = 32;
const CACHED_COUNT: usize = 8192;

impl<'py> Builder<'py> {
    pub(crate) fn new(py: Python<'py>) -> Self {
        Builder {
            py,
            strings: RefCell::new(HashMap::default()),
            statics: RefCell::new(vec![None; STATIC_SLOTS]),
            fields: RefCell::new(Vec::new()),
            templates: RefCell::new(HashMap::default()),
        }
    }

    /// Opens a struct: where its fields will start on the field stack.
    pub(crate) fn fields_open(&self) -> usize {
        self.fields.borrow().len()
    }

    pub(crate) fn field_push(&self, name: &'static str, value: Bound<'py, PyAny>) {
        self.fields.borrow_mut().push((name, value));
    }

    /// The dict of the struct whose fields start at `base` on the field stack (which is cut
    /// back to `base`).
    ///
    /// A dict made key by key grows and rehashes its table as it fills; a copy of a dict
    /// with the same keys (`PyDict_Copy` clones the key table in one go) then has each value
    /// replaced in place. The first struct of each shape (struct name and the exact sequence
    /// of fields present) is made key by key and leaves its template.
    pub(crate) fn struct_dict(
        &self,
        name: &'static str,
        base: usize,
    ) -> PyResult<Bound<'py, PyDict>> {
        let mut fields = self.fields.borrow_mut();
        let mut templates = self.templates.borrow_mut();
        let shapes = templates.entry(name.as_ptr() as usize).or_default();
        let present = fields.get(base..).unwrap_or_default();
        let same_shape = |t: &&Template<'py>| {
            t.names.len() == present.len()
                && t.names
                    .iter()
                    .zip(present)
                    .all(|(n, (f, _))| *n == (f.as_ptr() as usize, f.len()))
        };
        let dict = if let Some(t) = shapes.iter().find(same_shape) {
            let dict = t.dict.copy()?;
            for (key, (_, value)) in t.keys.iter().zip(fields.drain(base..)) {
                dict.set_item(key, value)?;
            }
            dict
        } else {
            let dict = PyDict::new(self.py);
            let template = PyDict::new(self.py);
            let mut names = Vec::with_capacity(present.len());
            let mut keys = Vec::with_capacity(present.len());
            for (field, value) in fields.drain(base..) {
                let key = self.static_str(field);
                dict.set_item(&key, value)?;
                template.set_item(&key, self.py.None())?;
                names.push((field.as_ptr() as usize, field.len()));
                keys.push(key);
            }
            if shapes.len() < SHAPES_PER_STRUCT {
                shapes.push(Template {
                    names: names.into(),
                    keys: keys.into(),
                    dict: template,
                });
            }
            dict
        };
        fields.truncate(base);
        Ok(dict)
    }

    pub(crate) fn py(&self) -> Python<'py> {
        self.py
    }

    /// The `str` object of a name that lives for the whole program (a field or variant
    /// name), made once per builder.
    pub(crate) fn static_str(&self, v: &'static str) -> Bound<'py, PyString> {
        let key = (v.as_ptr() as usize, v.len());
        // Fibonacci hashing of the address: names sit next to each other in read-only data
        let slot = (key.0 as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15) >> (64 - STATIC_BITS);
        let slot = usize::try_from(slot).unwrap_or_default();
        let mut slots = self.statics.borrow_mut();
        if let Some(Some(name)) = slots.get(slot) {
            if name.key == key {
                return name.text.clone();
            }
        }
        let text = PyString::new(self.py, v);
        if let Some(entry) = slots.get_mut(slot) {
            *entry = Some(StaticName {
                key,
                text: text.clone(),
            });
        }
        text
    }

    pub(crate) fn string(&self, v: &str) -> Bound<'py, PyAny> {
        if v.len() > CACHED_LEN {
            return PyString::new(self.py, v).into_any();
        }
        let mut cache = self.strings.borrow_mut();
        if let Some(s) = cache.get(v) {
            return s.clone().into_any();
        }
        let s = PyString::new(self.py, v);
        if cache.len() >= CACHED_COUNT {
            // start afresh rather than stop caching: the strings that recur (dates, masked
            // IDs of the current reports) come back at once, one-off ones do not
            cache.clear();
        }
        cache.insert(v.into(), s.clone());
        s.into_any()
    }
}

/// Pauses CPython's cyclic garbage collector while many containers are made, and restores
/// the state it found when dropped (also on an error or a panic unwinding through it).
///
/// Every dict and list made counts towards the collector's thresholds, so building the dicts of
/// a large batch triggers many collections, and the full ones walk every report built so far
/// (about a sixth of `verify_batch`'s time). The new objects hold no reference cycles, so
/// those walks find nothing to free. Reference counting still frees everything as usual; the
/// collector is only re-enabled if it was enabled before (`gc.isenabled()`), so a caller that
/// disabled it keeps it disabled.
pub(crate) struct GcPause<'py> {
    gc: Option<Bound<'py, PyModule>>,
}

impl<'py> GcPause<'py> {
    pub(crate) fn new(py: Python<'py>) -> PyResult<Self> {
        let gc = py.import("gc")?;
        if !gc.call_method0("isenabled")?.is_truthy()? {
            return Ok(GcPause { gc: None });
        }
        gc.call_method0("disable")?;
        Ok(GcPause { gc: Some(gc) })
    }
}

impl Drop for GcPause<'_> {
    fn drop(&mut self) {
        if let Some(gc) = self.gc.take() {
            if let Err(e) = gc.call_method0("enable") {
                // cannot fail in CPython; if it ever does, say so rather than lose it
                e.write_unraisable(gc.py(), Some(&gc));
            }
        }
    }
}

/// Authorization defects as dicts: the defect's own fields (`code` first) and its `message`.
pub(crate) fn defects_to_py<'py>(
    py: Python<'py>,
    defects: &[AuthorizationDefect],
) -> PyResult<Bound<'py, PyList>> {
    let builder = Builder::new(py);
    let list = PyList::empty(py);
    for d in defects {
        list.append(crate::topy::to_py(&builder, &Described::new(d))?)?;
    }
    Ok(list)
}

pub(crate) fn argument(py: Python<'_>, message: String) -> PyErr {
    errors::input(py, INPUT_ARGUMENT, &message)
}

pub(crate) fn type_name(obj: &Bound<'_, PyAny>) -> String {
    obj.get_type()
        .name()
        .map_or_else(|_| "?".to_owned(), |n| n.to_string())
}

/// A `str` argument (valid unicode); anything else is an `InputError` (`input_argument`).
pub(crate) fn str_arg(obj: &Bound<'_, PyAny>, name: &str) -> PyResult<String> {
    let py = obj.py();
    let s = obj.cast::<PyString>().map_err(|_| {
        argument(
            py,
            format!("`{name}` must be a str, got `{}`", type_name(obj)),
        )
    })?;
    s.to_cow()
        .map(Cow::into_owned)
        .map_err(|_| argument(py, format!("`{name}` is not valid unicode")))
}

/// A `bytes` (or `bytearray`) argument; anything else is an `InputError` (`input_argument`).
pub(crate) fn bytes_arg(obj: &Bound<'_, PyAny>, name: &str) -> PyResult<Vec<u8>> {
    if obj.is_instance_of::<PyBytes>() || obj.is_instance_of::<PyByteArray>() {
        return obj.extract();
    }
    Err(argument(
        obj.py(),
        format!("`{name}` must be bytes, got `{}`", type_name(obj)),
    ))
}

/// An issue time: `None` (now on the Beijing clock, whole seconds), an aware `datetime`, or
/// RFC 3339 text, read by `hedui_ops::args` (code `invalid_time` when it does not parse).
pub(crate) fn instant(
    obj: Option<&Bound<'_, PyAny>>,
    name: &'static str,
) -> PyResult<OffsetDateTime> {
    let Some(obj) = obj.filter(|o| !o.is_none()) else {
        return Ok(args::now_beijing());
    };
    let py = obj.py();
    let text: String = if obj.is_instance_of::<PyDateTime>() {
        if obj.call_method0("utcoffset")?.is_none() {
            return Err(argument(
                py,
                format!("`{name}` must be a datetime with a time zone, got a naive datetime"),
            ));
        }
        obj.call_method0("isoformat")?.extract()?
    } else if obj.is_instance_of::<PyString>() {
        str_arg(obj, name)?
    } else {
        return Err(argument(
            py,
            format!(
                "`{name}` must be a datetime with a time zone or RFC 3339 text, got `{}`",
                type_name(obj)
            ),
        ));
    };
    args::parse_time(name, &text).map_err(|f| errors::failure(py, &f))
}

/// A calendar date: a `datetime.date`, ISO text `YYYY-MM-DD` (read by `hedui_ops::args`, code
/// `invalid_date` when it does not parse), or an aware `datetime` (its date on the Beijing
/// clock).
pub(crate) fn date(obj: &Bound<'_, PyAny>, name: &'static str) -> PyResult<Date> {
    let py = obj.py();
    if obj.is_instance_of::<PyDateTime>() {
        if obj.call_method0("utcoffset")?.is_none() {
            return Err(argument(
                py,
                format!("`{name}` must be a date or an aware datetime, got a naive datetime"),
            ));
        }
        return Ok(hedui_core::calendar::beijing_date(instant(
            Some(obj),
            name,
        )?));
    }
    let text: String = if obj.is_instance_of::<PyDate>() {
        obj.call_method0("isoformat")?.extract()?
    } else if obj.is_instance_of::<PyString>() {
        str_arg(obj, name)?
    } else {
        return Err(argument(
            py,
            format!(
                "`{name}` must be a date or ISO `YYYY-MM-DD` text, got `{}`",
                type_name(obj)
            ),
        ));
    };
    args::parse_date(name, &text).map_err(|f| errors::failure(py, &f))
}

/// An optional date: `None` stays `None`.
pub(crate) fn opt_date(
    obj: Option<&Bound<'_, PyAny>>,
    name: &'static str,
) -> PyResult<Option<Date>> {
    obj.filter(|o| !o.is_none())
        .map(|o| date(o, name))
        .transpose()
}

/// A Python document read into a serde type of the core or of `hedui-ops` through the one
/// JSON adapter (`hedui_ops::json::parse`): a shape error is `InputError` `input_json` naming
/// `document`.
pub(crate) fn document<T: serde::de::DeserializeOwned>(
    obj: &Bound<'_, PyAny>,
    document: &'static str,
) -> PyResult<T> {
    let text = to_json(obj, document)?;
    hedui_ops::json::parse(document, &text).map_err(|f| errors::failure(obj.py(), &f))
}

/// [`document`] under a rulebook: its limits, and, when `on` is given, every resident ID held
/// to its identifier rules on that day (a refused ID fails with its JSON path within the
/// document).
pub(crate) fn document_under<T: serde::de::DeserializeOwned>(
    obj: &Bound<'_, PyAny>,
    document: &'static str,
    rulebook: &hedui_core::Rulebook,
    on: Option<Date>,
) -> PyResult<T> {
    let text = to_json(obj, document)?;
    hedui_ops::json::parse_under(document, &text, rulebook, on)
        .map_err(|f| errors::failure(obj.py(), &f))
}

/// [`document_under`] for a document that names its own day: read under the rulebook's
/// limits, then again under its identifier rules on the day `day` takes from it.
pub(crate) fn document_dated<T: serde::de::DeserializeOwned>(
    obj: &Bound<'_, PyAny>,
    document: &'static str,
    rulebook: &hedui_core::Rulebook,
    day: impl FnOnce(&T) -> Date,
) -> PyResult<T> {
    let text = to_json(obj, document)?;
    hedui_ops::json::parse_dated(document, &text, rulebook, day)
        .map_err(|f| errors::failure(obj.py(), &f))
}

/// An optional document: `None` stays `None`.
pub(crate) fn opt_document<T: serde::de::DeserializeOwned>(
    obj: Option<&Bound<'_, PyAny>>,
    name: &'static str,
) -> PyResult<Option<T>> {
    obj.filter(|o| !o.is_none())
        .map(|o| document(o, name))
        .transpose()
}

/// A non-negative count argument.
pub(crate) fn count(obj: &Bound<'_, PyAny>, name: &str, max: u64) -> PyResult<u64> {
    let py = obj.py();
    if obj.is_instance_of::<PyBool>() {
        return Err(argument(py, format!("`{name}` must be an int, got `bool`")));
    }
    let n: u64 = obj.extract().map_err(|_| {
        argument(
            py,
            format!(
                "`{name}` must be an int between 0 and {max}, got `{}`",
                obj.repr()
                    .map_or_else(|_| type_name(obj), |r| r.to_string())
            ),
        )
    })?;
    if n > max {
        return Err(argument(
            py,
            format!("`{name}` must be at most {max}, got {n}"),
        ));
    }
    Ok(n)
}
