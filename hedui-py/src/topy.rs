//! Core values straight into Python objects: a serde `Serializer` whose output is a Python
//! object, with the JSON data model (what `json.loads(serde_json::to_string(value))` gives).
//!
//! The batch path uses it to turn each sealed `Report` into its dict without writing and
//! re-reading JSON on the interpreter thread. Field and variant names are `&'static str`, so
//! their `str` objects are looked up by address (no hashing of the text); other short strings
//! go through the content cache of [`Builder`].
//!
//! Follows `serde_json`'s conventions exactly, so the dicts equal those parsed from the core's
//! JSON: `None`/unit as `None`, unit variants as their name, newtype and tuple/struct variants
//! as one-key dicts, bytes as lists of ints, non-finite floats as `None`, and map keys as
//! strings (numbers and bools written as text; other key types refused).

use std::fmt;

use pyo3::BoundObject;
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyDict, PyFloat, PyList};
use serde::Serialize;
use serde::ser::{self, Impossible};

use crate::convert::Builder;
use crate::errors;

/// A failure while building: a Python error (e.g. out of memory) or a value serde refuses.
#[derive(Debug)]
pub(crate) enum ToPyError {
    Python(PyErr),
    Message(String),
}

impl fmt::Display for ToPyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ToPyError::Python(e) => write!(f, "{e}"),
            ToPyError::Message(m) => f.write_str(m),
        }
    }
}

impl std::error::Error for ToPyError {}

impl ser::Error for ToPyError {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        ToPyError::Message(msg.to_string())
    }
}

impl From<PyErr> for ToPyError {
    fn from(e: PyErr) -> Self {
        ToPyError::Python(e)
    }
}

impl ToPyError {
    pub(crate) fn into_pyerr(self, py: Python<'_>) -> PyErr {
        match self {
            ToPyError::Python(e) => e,
            ToPyError::Message(m) => {
                errors::internal_from(py, &format!("value cannot be converted: {m}"))
            }
        }
    }
}

type Result<T> = std::result::Result<T, ToPyError>;

/// Any `Serialize` value as a Python object, sharing strings through `builder`.
pub(crate) fn to_py<'py, T: Serialize + ?Sized>(
    builder: &Builder<'py>,
    value: &T,
) -> PyResult<Bound<'py, PyAny>> {
    value
        .serialize(ToPy(builder))
        .map_err(|e| e.into_pyerr(builder.py()))
}

/// A core value as Python data, in its JSON shape, with a builder of its own (for one value;
/// a batch shares one builder through [`to_py`]).
pub(crate) fn value<'py, T: Serialize + ?Sized>(
    py: Python<'py>,
    value: &T,
) -> PyResult<Bound<'py, PyAny>> {
    to_py(&Builder::new(py), value)
}

#[derive(Clone, Copy)]
struct ToPy<'a, 'py>(&'a Builder<'py>);

impl<'a, 'py> ToPy<'a, 'py> {
    fn py(self) -> Python<'py> {
        self.0.py()
    }

    fn int<I: IntoPyObject<'py>>(self, v: I) -> Result<Bound<'py, PyAny>> {
        v.into_pyobject(self.py())
            .map(BoundObject::into_any)
            .map(BoundObject::into_bound)
            .map_err(|e| ToPyError::Python(e.into()))
    }

    /// `{variant: value}`, as serde_json writes externally tagged variants.
    fn tagged(self, variant: &'static str, value: Bound<'py, PyAny>) -> Result<Bound<'py, PyAny>> {
        let dict = PyDict::new(self.py());
        dict.set_item(self.0.static_str(variant), value)?;
        Ok(dict.into_any())
    }
}

impl<'a, 'py> ser::Serializer for ToPy<'a, 'py> {
    type Ok = Bound<'py, PyAny>;
    type Error = ToPyError;
    type SerializeSeq = Seq<'a, 'py>;
    type SerializeTuple = Seq<'a, 'py>;
    type SerializeTupleStruct = Seq<'a, 'py>;
    type SerializeTupleVariant = Seq<'a, 'py>;
    type SerializeMap = Map<'a, 'py>;
    type SerializeStruct = Struct<'a, 'py>;
    type SerializeStructVariant = Map<'a, 'py>;

    fn serialize_bool(self, v: bool) -> Result<Self::Ok> {
        Ok(PyBool::new(self.py(), v).to_owned().into_any())
    }
    fn serialize_i8(self, v: i8) -> Result<Self::Ok> {
        self.int(v)
    }
    fn serialize_i16(self, v: i16) -> Result<Self::Ok> {
        self.int(v)
    }
    fn serialize_i32(self, v: i32) -> Result<Self::Ok> {
        self.int(v)
    }
    fn serialize_i64(self, v: i64) -> Result<Self::Ok> {
        self.int(v)
    }
    fn serialize_i128(self, v: i128) -> Result<Self::Ok> {
        self.int(v)
    }
    fn serialize_u8(self, v: u8) -> Result<Self::Ok> {
        self.int(v)
    }
    fn serialize_u16(self, v: u16) -> Result<Self::Ok> {
        self.int(v)
    }
    fn serialize_u32(self, v: u32) -> Result<Self::Ok> {
        self.int(v)
    }
    fn serialize_u64(self, v: u64) -> Result<Self::Ok> {
        self.int(v)
    }
    fn serialize_u128(self, v: u128) -> Result<Self::Ok> {
        self.int(v)
    }
    fn serialize_f32(self, v: f32) -> Result<Self::Ok> {
        self.serialize_f64(f64::from(v))
    }
    fn serialize_f64(self, v: f64) -> Result<Self::Ok> {
        if v.is_finite() {
            Ok(PyFloat::new(self.py(), v).into_any())
        } else {
            // serde_json writes NaN and infinities as null
            self.serialize_unit()
        }
    }
    fn serialize_char(self, v: char) -> Result<Self::Ok> {
        self.serialize_str(v.encode_utf8(&mut [0u8; 4]))
    }
    fn serialize_str(self, v: &str) -> Result<Self::Ok> {
        Ok(self.0.string(v))
    }
    fn serialize_bytes(self, v: &[u8]) -> Result<Self::Ok> {
        let items = v.iter().map(|b| self.int(*b)).collect::<Result<Vec<_>>>()?;
        Ok(PyList::new(self.py(), items)?.into_any())
    }
    fn serialize_none(self) -> Result<Self::Ok> {
        self.serialize_unit()
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<Self::Ok> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<Self::Ok> {
        Ok(self.py().None().into_bound(self.py()))
    }
    fn serialize_unit_struct(self, _name: &'static str) -> Result<Self::Ok> {
        self.serialize_unit()
    }
    fn serialize_unit_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
    ) -> Result<Self::Ok> {
        Ok(self.0.static_str(variant).into_any())
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        value: &T,
    ) -> Result<Self::Ok> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<Self::Ok> {
        let inner = value.serialize(self)?;
        self.tagged(variant, inner)
    }
    fn serialize_seq(self, len: Option<usize>) -> Result<Self::SerializeSeq> {
        Ok(Seq {
            to: self,
            items: Vec::with_capacity(len.unwrap_or(0)),
            variant: None,
        })
    }
    fn serialize_tuple(self, len: usize) -> Result<Self::SerializeTuple> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_struct(
        self,
        _name: &'static str,
        len: usize,
    ) -> Result<Self::SerializeTupleStruct> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<Self::SerializeTupleVariant> {
        Ok(Seq {
            to: self,
            items: Vec::with_capacity(len),
            variant: Some(variant),
        })
    }
    fn serialize_map(self, _len: Option<usize>) -> Result<Self::SerializeMap> {
        Ok(Map::new(self, None))
    }
    fn serialize_struct(self, name: &'static str, _len: usize) -> Result<Self::SerializeStruct> {
        Ok(Struct {
            to: self,
            name,
            base: self.0.fields_open(),
        })
    }
    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeStructVariant> {
        Ok(Map::new(self, Some(variant)))
    }
}

/// A list being built (and, for a tuple variant, its variant name).
pub(crate) struct Seq<'a, 'py> {
    to: ToPy<'a, 'py>,
    items: Vec<Bound<'py, PyAny>>,
    variant: Option<&'static str>,
}

impl<'py> Seq<'_, 'py> {
    fn push<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<()> {
        self.items.push(value.serialize(self.to)?);
        Ok(())
    }

    fn finish(self) -> Result<Bound<'py, PyAny>> {
        let list = PyList::new(self.to.py(), self.items)?.into_any();
        match self.variant {
            Some(variant) => self.to.tagged(variant, list),
            None => Ok(list),
        }
    }
}

/// The four list-shaped serde traits, all building a [`Seq`] (their element method is named
/// `serialize_element` or `serialize_field`).
macro_rules! seq_trait {
    ($($trait:ident :: $method:ident),+ $(,)?) => {$(
        impl<'py> ser::$trait for Seq<'_, 'py> {
            type Ok = Bound<'py, PyAny>;
            type Error = ToPyError;
            fn $method<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<()> {
                self.push(value)
            }
            fn end(self) -> Result<Self::Ok> {
                self.finish()
            }
        }
    )+};
}

seq_trait!(
    SerializeSeq::serialize_element,
    SerializeTuple::serialize_element,
    SerializeTupleStruct::serialize_field,
    SerializeTupleVariant::serialize_field,
);

/// A dict being built (and, for a struct variant, its variant name).
pub(crate) struct Map<'a, 'py> {
    to: ToPy<'a, 'py>,
    dict: Bound<'py, PyDict>,
    key: Option<Bound<'py, PyAny>>,
    variant: Option<&'static str>,
}

impl<'a, 'py> Map<'a, 'py> {
    fn new(to: ToPy<'a, 'py>, variant: Option<&'static str>) -> Self {
        Map {
            to,
            dict: PyDict::new(to.py()),
            key: None,
            variant,
        }
    }

    fn field<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) -> Result<()> {
        let value = value.serialize(self.to)?;
        self.dict.set_item(self.to.0.static_str(key), value)?;
        Ok(())
    }

    fn finish(self) -> Result<Bound<'py, PyAny>> {
        let dict = self.dict.into_any();
        match self.variant {
            Some(variant) => self.to.tagged(variant, dict),
            None => Ok(dict),
        }
    }
}

impl<'py> ser::SerializeMap for Map<'_, 'py> {
    type Ok = Bound<'py, PyAny>;
    type Error = ToPyError;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<()> {
        self.key = Some(key.serialize(KeyToPy(self.to))?);
        Ok(())
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<()> {
        let key = self
            .key
            .take()
            .ok_or_else(|| ToPyError::Message("map value without a key".to_owned()))?;
        let value = value.serialize(self.to)?;
        self.dict.set_item(key, value)?;
        Ok(())
    }
    fn end(self) -> Result<Self::Ok> {
        self.finish()
    }
}

/// A struct being built: its fields wait on the builder's stack until `end`, where the dict
/// is made in one go from a template of the same shape (see `Builder::struct_dict`).
pub(crate) struct Struct<'a, 'py> {
    to: ToPy<'a, 'py>,
    name: &'static str,
    /// Where this struct's fields start on the builder's stack.
    base: usize,
}

impl<'py> ser::SerializeStruct for Struct<'_, 'py> {
    type Ok = Bound<'py, PyAny>;
    type Error = ToPyError;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<()> {
        let value = value.serialize(self.to)?;
        self.to.0.field_push(key, value);
        Ok(())
    }
    fn end(self) -> Result<Self::Ok> {
        Ok(self.to.0.struct_dict(self.name, self.base)?.into_any())
    }
}

impl<'py> ser::SerializeStructVariant for Map<'_, 'py> {
    type Ok = Bound<'py, PyAny>;
    type Error = ToPyError;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<()> {
        self.field(key, value)
    }
    fn end(self) -> Result<Self::Ok> {
        self.finish()
    }
}

/// Map keys as serde_json writes them: strings as they are, numbers, bools and chars as
/// text, unit variants by name; anything else is refused ("key must be a string").
#[derive(Clone, Copy)]
struct KeyToPy<'a, 'py>(ToPy<'a, 'py>);

fn key_must_be_a_string() -> ToPyError {
    ToPyError::Message("key must be a string".to_owned())
}

impl<'a, 'py> KeyToPy<'a, 'py> {
    fn text(self, v: impl fmt::Display) -> Result<Bound<'py, PyAny>> {
        Ok(self.0.0.string(&v.to_string()))
    }
}

impl<'a, 'py> ser::Serializer for KeyToPy<'a, 'py> {
    type Ok = Bound<'py, PyAny>;
    type Error = ToPyError;
    type SerializeSeq = Impossible<Self::Ok, ToPyError>;
    type SerializeTuple = Impossible<Self::Ok, ToPyError>;
    type SerializeTupleStruct = Impossible<Self::Ok, ToPyError>;
    type SerializeTupleVariant = Impossible<Self::Ok, ToPyError>;
    type SerializeMap = Impossible<Self::Ok, ToPyError>;
    type SerializeStruct = Impossible<Self::Ok, ToPyError>;
    type SerializeStructVariant = Impossible<Self::Ok, ToPyError>;

    fn serialize_bool(self, v: bool) -> Result<Self::Ok> {
        self.text(v)
    }
    fn serialize_i8(self, v: i8) -> Result<Self::Ok> {
        self.text(v)
    }
    fn serialize_i16(self, v: i16) -> Result<Self::Ok> {
        self.text(v)
    }
    fn serialize_i32(self, v: i32) -> Result<Self::Ok> {
        self.text(v)
    }
    fn serialize_i64(self, v: i64) -> Result<Self::Ok> {
        self.text(v)
    }
    fn serialize_i128(self, v: i128) -> Result<Self::Ok> {
        self.text(v)
    }
    fn serialize_u8(self, v: u8) -> Result<Self::Ok> {
        self.text(v)
    }
    fn serialize_u16(self, v: u16) -> Result<Self::Ok> {
        self.text(v)
    }
    fn serialize_u32(self, v: u32) -> Result<Self::Ok> {
        self.text(v)
    }
    fn serialize_u64(self, v: u64) -> Result<Self::Ok> {
        self.text(v)
    }
    fn serialize_u128(self, v: u128) -> Result<Self::Ok> {
        self.text(v)
    }
    fn serialize_f32(self, _v: f32) -> Result<Self::Ok> {
        Err(key_must_be_a_string())
    }
    fn serialize_f64(self, _v: f64) -> Result<Self::Ok> {
        Err(key_must_be_a_string())
    }
    fn serialize_char(self, v: char) -> Result<Self::Ok> {
        self.0.serialize_char(v)
    }
    fn serialize_str(self, v: &str) -> Result<Self::Ok> {
        self.0.serialize_str(v)
    }
    fn serialize_bytes(self, _v: &[u8]) -> Result<Self::Ok> {
        Err(key_must_be_a_string())
    }
    fn serialize_none(self) -> Result<Self::Ok> {
        Err(key_must_be_a_string())
    }
    fn serialize_some<T: Serialize + ?Sized>(self, _value: &T) -> Result<Self::Ok> {
        Err(key_must_be_a_string())
    }
    fn serialize_unit(self) -> Result<Self::Ok> {
        Err(key_must_be_a_string())
    }
    fn serialize_unit_struct(self, _name: &'static str) -> Result<Self::Ok> {
        Err(key_must_be_a_string())
    }
    fn serialize_unit_variant(
        self,
        name: &'static str,
        index: u32,
        variant: &'static str,
    ) -> Result<Self::Ok> {
        self.0.serialize_unit_variant(name, index, variant)
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        value: &T,
    ) -> Result<Self::Ok> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _value: &T,
    ) -> Result<Self::Ok> {
        Err(key_must_be_a_string())
    }
    fn serialize_seq(self, _len: Option<usize>) -> Result<Self::SerializeSeq> {
        Err(key_must_be_a_string())
    }
    fn serialize_tuple(self, _len: usize) -> Result<Self::SerializeTuple> {
        Err(key_must_be_a_string())
    }
    fn serialize_tuple_struct(
        self,
        _name: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeTupleStruct> {
        Err(key_must_be_a_string())
    }
    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeTupleVariant> {
        Err(key_must_be_a_string())
    }
    fn serialize_map(self, _len: Option<usize>) -> Result<Self::SerializeMap> {
        Err(key_must_be_a_string())
    }
    fn serialize_struct(self, _name: &'static str, _len: usize) -> Result<Self::SerializeStruct> {
        Err(key_must_be_a_string())
    }
    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeStructVariant> {
        Err(key_must_be_a_string())
    }
}
