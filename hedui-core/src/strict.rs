//! Strict documents: a serde [`Deserializer`] adapter that refuses what serde_json lets
//! through.
//!
//! - A struct (a case, a household, any document type) given as a JSON array of its fields in
//!   order: serde accepts a sequence for a struct; here a struct is read from an object only.
//! - A key that appears twice in one object: serde_json lets the last one win in a map.
//! - Nesting deeper than [`DocumentLimits::max_depth`], strings longer than
//!   [`DocumentLimits::max_string_chars`], and amounts (fields named `..._fen`) beyond
//!   [`DocumentLimits::max_amount_fen`].
//!
//! The adapter wraps every nested deserializer, so the rules hold at every depth. The first
//! rule broken is kept in a [`Violation`] that [`crate::Error::parse_with`] turns into its own
//! error code.

use std::borrow::Cow;
use std::cell::{Cell, RefCell};
use std::fmt;

#[cfg(feature = "schemas")]
use schemars::JsonSchema;
use serde::de::{
    self, DeserializeSeed, Deserializer, EnumAccess, MapAccess, SeqAccess, VariantAccess, Visitor,
};
use serde::{Deserialize, Serialize};

/// Limits on the documents hedui reads (a rulebook's `limits`, [`crate::rulebook::Rulebook`]).
/// An exceeded limit fails with `input_limit_exceeded`, naming the limit and the value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemas", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct DocumentLimits {
    /// Deepest nesting of arrays and objects in one document: 64 *(practice: a case nests 6
    /// deep; serde_json itself stops at 128)*.
    pub max_depth: u32,
    /// Longest string value or key, in characters: 65,536 *(practice)*.
    pub max_string_chars: u32,
    /// Largest amount in fen (any field whose name ends in `_fen`), either sign:
    /// 10^15 fen (10 trillion yuan) *(practice: beyond any household's assets, well inside
    /// `i64`, so sums of many amounts cannot overflow)*.
    pub max_amount_fen: i64,
    /// Most members per household: 100 *(practice)*.
    pub max_members: u32,
    /// Most facts in one case, over all answers: 100,000 *(practice)*.
    pub max_facts: u32,
    /// Longest line of a JSON-lines input (the main job's `--input`, Python's
    /// `verify_batch`, the C and uniffi `verify_batch_jsonl`), in bytes without its line
    /// ending: 16 MiB *(practice: a case is a few KiB; a longer line is skipped to its end
    /// without being held in memory and rejected at its number)*.
    #[serde(default = "default_max_line_bytes")]
    pub max_line_bytes: u64,
}

/// The default of [`DocumentLimits::max_line_bytes`]: 16 MiB.
pub const DEFAULT_MAX_LINE_BYTES: u64 = 16 << 20;

fn default_max_line_bytes() -> u64 {
    DEFAULT_MAX_LINE_BYTES
}

impl Default for DocumentLimits {
    fn default() -> Self {
        DocumentLimits {
            max_depth: 64,
            max_string_chars: 65_536,
            max_amount_fen: 1_000_000_000_000_000,
            max_members: 100,
            max_facts: 100_000,
            max_line_bytes: DEFAULT_MAX_LINE_BYTES,
        }
    }
}

/// The bounds a rulebook's `limits` must keep, each `(field, smallest, largest)`: a limit
/// cannot be switched off (no zero, no value past what the readers can hold) nor set so low
/// that no valid case passes.
pub const LIMIT_BOUNDS: [(&str, i128, i128); 6] = [
    // a case nests 6 deep; serde_json itself stops at 128
    ("limits.max_depth", 8, 128),
    // a name or an address must fit; 16 Mi characters is past any line
    ("limits.max_string_chars", 64, 16 << 20),
    // ±10^15 fen is the ceiling: beyond it an amount is refused whatever the rulebook
    ("limits.max_amount_fen", 1, 1_000_000_000_000_000),
    ("limits.max_members", 1, 10_000),
    ("limits.max_facts", 1, 10_000_000),
    // a case line needs a few KiB; past 1 GiB one line would not fit a worker's memory
    ("limits.max_line_bytes", 4096, 1 << 30),
];

impl DocumentLimits {
    /// Each limit with its rulebook field, in [`LIMIT_BOUNDS`] order.
    fn values(&self) -> [(&'static str, i128); 6] {
        [
            ("limits.max_depth", i128::from(self.max_depth)),
            ("limits.max_string_chars", i128::from(self.max_string_chars)),
            ("limits.max_amount_fen", i128::from(self.max_amount_fen)),
            ("limits.max_members", i128::from(self.max_members)),
            ("limits.max_facts", i128::from(self.max_facts)),
            ("limits.max_line_bytes", i128::from(self.max_line_bytes)),
        ]
    }

    /// The first limit outside its [`LIMIT_BOUNDS`]: `(field, value, smallest, largest)`.
    pub(crate) fn out_of_bounds(&self) -> Option<(&'static str, i128, i128, i128)> {
        self.values()
            .into_iter()
            .zip(LIMIT_BOUNDS)
            .find(|((_, v), (_, lo, hi))| v < lo || v > hi)
            .map(|((field, v), (_, lo, hi))| (field, v, lo, hi))
    }

    /// [`DocumentLimits::max_line_bytes`] as a length in memory.
    pub fn max_line_len(&self) -> usize {
        usize::try_from(self.max_line_bytes).unwrap_or(usize::MAX)
    }
}

/// The first rule a document broke.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Violation {
    /// An object was expected (a struct) and an array came.
    ArrayForObject,
    /// A key appeared twice in one object.
    DuplicateKey(String),
    /// A limit exceeded: which (`limits.max_depth`), the value found and the limit.
    Limit {
        /// The rulebook field.
        limit: &'static str,
        /// The value found.
        value: i128,
        /// The limit.
        max: i128,
    },
}

/// What the adapters of one reading share.
pub(crate) struct State {
    limits: DocumentLimits,
    depth: Cell<u32>,
    /// The value being read belongs to a key ending in `_fen`.
    amount: Cell<bool>,
    violation: RefCell<Option<Violation>>,
}

impl State {
    pub(crate) fn new(limits: &DocumentLimits) -> Self {
        State {
            limits: *limits,
            depth: Cell::new(0),
            amount: Cell::new(false),
            violation: RefCell::new(None),
        }
    }

    /// The first rule broken, if any.
    pub(crate) fn violation(&self) -> Option<Violation> {
        self.violation.borrow().clone()
    }

    fn fail<E: de::Error>(&self, v: Violation, message: fmt::Arguments<'_>) -> E {
        let mut slot = self.violation.borrow_mut();
        if slot.is_none() {
            *slot = Some(v);
        }
        E::custom(message)
    }

    fn limit<E: de::Error>(&self, limit: &'static str, value: i128, max: i128) -> E {
        self.fail(
            Violation::Limit { limit, value, max },
            format_args!("`{limit}` is {max}, the input has {value}"),
        )
    }

    fn enter<E: de::Error>(&self) -> Result<(), E> {
        self.amount.set(false);
        let depth = self.depth.get().saturating_add(1);
        if depth > self.limits.max_depth {
            return Err(self.limit(
                "limits.max_depth",
                i128::from(depth),
                i128::from(self.limits.max_depth),
            ));
        }
        self.depth.set(depth);
        Ok(())
    }

    fn leave(&self) {
        self.depth.set(self.depth.get().saturating_sub(1));
    }

    fn check_str<E: de::Error>(&self, s: &str) -> Result<(), E> {
        let max = usize::try_from(self.limits.max_string_chars).unwrap_or(usize::MAX);
        // bytes bound the characters from above: count only when it may matter
        if s.len() > max {
            let chars = s.chars().count();
            if chars > max {
                return Err(self.limit(
                    "limits.max_string_chars",
                    i128::try_from(chars).unwrap_or(i128::MAX),
                    i128::from(self.limits.max_string_chars),
                ));
            }
        }
        Ok(())
    }

    /// An integer, bounded when it is an amount.
    fn check_int<E: de::Error>(&self, v: i128) -> Result<(), E> {
        if self.amount.get() && v.unsigned_abs() > self.limits.max_amount_fen.unsigned_abs().into()
        {
            return Err(self.limit(
                "limits.max_amount_fen",
                v,
                i128::from(self.limits.max_amount_fen),
            ));
        }
        Ok(())
    }
}

/// A deserializer under the strict rules.
pub(crate) struct Strict<'s, D> {
    pub(crate) inner: D,
    pub(crate) state: &'s State,
}

/// A visitor under the strict rules; `object_only` refuses a sequence (a struct's visitor).
struct Wrap<'s, V> {
    inner: V,
    state: &'s State,
    object_only: bool,
}

impl<'s, V> Wrap<'s, V> {
    fn new(inner: V, state: &'s State) -> Self {
        Wrap {
            inner,
            state,
            object_only: false,
        }
    }
}

macro_rules! forward_deserialize {
    ($($method:ident),*) => {$(
        fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, D::Error> {
            self.inner.$method(Wrap::new(visitor, self.state))
        }
    )*};
}

impl<'de, D: Deserializer<'de>> Deserializer<'de> for Strict<'_, D> {
    type Error = D::Error;

    forward_deserialize!(
        deserialize_any,
        deserialize_bool,
        deserialize_i8,
        deserialize_i16,
        deserialize_i32,
        deserialize_i64,
        deserialize_i128,
        deserialize_u8,
        deserialize_u16,
        deserialize_u32,
        deserialize_u64,
        deserialize_u128,
        deserialize_f32,
        deserialize_f64,
        deserialize_char,
        deserialize_str,
        deserialize_string,
        deserialize_bytes,
        deserialize_byte_buf,
        deserialize_option,
        deserialize_unit,
        deserialize_seq,
        deserialize_map,
        deserialize_identifier,
        deserialize_ignored_any
    );

    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        self.inner
            .deserialize_unit_struct(name, Wrap::new(visitor, self.state))
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        self.inner
            .deserialize_newtype_struct(name, Wrap::new(visitor, self.state))
    }

    fn deserialize_tuple<V: Visitor<'de>>(
        self,
        len: usize,
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        self.inner
            .deserialize_tuple(len, Wrap::new(visitor, self.state))
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        len: usize,
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        self.inner
            .deserialize_tuple_struct(name, len, Wrap::new(visitor, self.state))
    }

    /// A struct from an object only (serde_json would also take an array of its fields).
    fn deserialize_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        let wrap = Wrap {
            inner: visitor,
            state: self.state,
            object_only: true,
        };
        self.inner.deserialize_struct(name, fields, wrap)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        self.inner
            .deserialize_enum(name, variants, Wrap::new(visitor, self.state))
    }

    fn is_human_readable(&self) -> bool {
        self.inner.is_human_readable()
    }
}

macro_rules! forward_visit {
    ($($method:ident: $ty:ty),*) => {$(
        fn $method<E: de::Error>(self, v: $ty) -> Result<V::Value, E> {
            self.inner.$method(v)
        }
    )*};
}

impl<'de, V: Visitor<'de>> Visitor<'de> for Wrap<'_, V> {
    type Value = V::Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.inner.expecting(f)
    }

    forward_visit!(
        visit_bool: bool,
        visit_i8: i8,
        visit_i16: i16,
        visit_i32: i32,
        visit_u8: u8,
        visit_u16: u16,
        visit_u32: u32,
        visit_f32: f32,
        visit_f64: f64,
        visit_char: char,
        visit_bytes: &[u8],
        visit_borrowed_bytes: &'de [u8],
        visit_byte_buf: Vec<u8>
    );

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<V::Value, E> {
        self.state.check_int(i128::from(v))?;
        self.inner.visit_i64(v)
    }

    fn visit_i128<E: de::Error>(self, v: i128) -> Result<V::Value, E> {
        self.state.check_int(v)?;
        self.inner.visit_i128(v)
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<V::Value, E> {
        self.state.check_int(i128::from(v))?;
        self.inner.visit_u64(v)
    }

    fn visit_u128<E: de::Error>(self, v: u128) -> Result<V::Value, E> {
        self.state
            .check_int(i128::try_from(v).unwrap_or(i128::MAX))?;
        self.inner.visit_u128(v)
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<V::Value, E> {
        self.state.check_str(v)?;
        self.inner.visit_str(v)
    }

    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<V::Value, E> {
        self.state.check_str(v)?;
        self.inner.visit_borrowed_str(v)
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<V::Value, E> {
        self.state.check_str(&v)?;
        self.inner.visit_string(v)
    }

    fn visit_none<E: de::Error>(self) -> Result<V::Value, E> {
        self.inner.visit_none()
    }

    fn visit_unit<E: de::Error>(self) -> Result<V::Value, E> {
        self.inner.visit_unit()
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<V::Value, D::Error> {
        self.inner.visit_some(Strict {
            inner: d,
            state: self.state,
        })
    }

    fn visit_newtype_struct<D: Deserializer<'de>>(self, d: D) -> Result<V::Value, D::Error> {
        self.inner.visit_newtype_struct(Strict {
            inner: d,
            state: self.state,
        })
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<V::Value, A::Error> {
        if self.object_only {
            return Err(self.state.fail(
                Violation::ArrayForObject,
                format_args!("an array where an object is expected"),
            ));
        }
        self.state.enter()?;
        let out = self.inner.visit_seq(Seq {
            inner: seq,
            state: self.state,
        });
        self.state.leave();
        out
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<V::Value, A::Error> {
        self.state.enter()?;
        let out = self.inner.visit_map(Map {
            inner: map,
            state: self.state,
            keys: Vec::new(),
        });
        self.state.leave();
        out
    }

    fn visit_enum<A: EnumAccess<'de>>(self, data: A) -> Result<V::Value, A::Error> {
        self.inner.visit_enum(Enum {
            inner: data,
            state: self.state,
        })
    }
}

/// A seed whose deserializer is put under the strict rules.
struct Seed<'s, S> {
    inner: S,
    state: &'s State,
}

impl<'de, S: DeserializeSeed<'de>> DeserializeSeed<'de> for Seed<'_, S> {
    type Value = S::Value;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<S::Value, D::Error> {
        self.inner.deserialize(Strict {
            inner: d,
            state: self.state,
        })
    }
}

struct Seq<'s, A> {
    inner: A,
    state: &'s State,
}

impl<'de, A: SeqAccess<'de>> SeqAccess<'de> for Seq<'_, A> {
    type Error = A::Error;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, A::Error> {
        self.inner.next_element_seed(Seed {
            inner: seed,
            state: self.state,
        })
    }

    fn size_hint(&self) -> Option<usize> {
        self.inner.size_hint()
    }
}

struct Map<'s, 'de, A> {
    inner: A,
    state: &'s State,
    /// The keys read so far (objects are small: a linear search beats hashing).
    keys: Vec<Cow<'de, str>>,
}

impl<'de, A: MapAccess<'de>> MapAccess<'de> for Map<'_, 'de, A> {
    type Error = A::Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, A::Error> {
        self.inner.next_key_seed(KeySeed {
            inner: seed,
            state: self.state,
            keys: &mut self.keys,
        })
    }

    fn next_value_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<T::Value, A::Error> {
        let amount = self.keys.last().is_some_and(|k| k.ends_with("_fen"));
        self.state.amount.set(amount);
        let out = self.inner.next_value_seed(Seed {
            inner: seed,
            state: self.state,
        });
        self.state.amount.set(false);
        out
    }

    fn size_hint(&self) -> Option<usize> {
        self.inner.size_hint()
    }
}

/// The seed of a key: JSON keys are strings; each is recorded, and a second one is refused.
struct KeySeed<'s, 'k, 'de, S> {
    inner: S,
    state: &'s State,
    keys: &'k mut Vec<Cow<'de, str>>,
}

impl<'de, S: DeserializeSeed<'de>> DeserializeSeed<'de> for KeySeed<'_, '_, 'de, S> {
    type Value = S::Value;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<S::Value, D::Error> {
        // read the key as a string first, then hand it to the real seed
        let key = d.deserialize_str(KeyVisitor)?;
        self.state.check_str::<D::Error>(&key)?;
        if self.keys.contains(&key) {
            return Err(self.state.fail(
                Violation::DuplicateKey(key.clone().into_owned()),
                format_args!("duplicate key `{key}`"),
            ));
        }
        self.keys.push(key.clone());
        self.inner
            .deserialize(de::value::CowStrDeserializer::<D::Error>::new(key))
    }
}

struct Enum<'s, A> {
    inner: A,
    state: &'s State,
}

impl<'s, 'de, A: EnumAccess<'de>> EnumAccess<'de> for Enum<'s, A> {
    type Error = A::Error;
    type Variant = Variant<'s, A::Variant>;

    fn variant_seed<V: DeserializeSeed<'de>>(
        self,
        seed: V,
    ) -> Result<(V::Value, Self::Variant), A::Error> {
        let (value, variant) = self.inner.variant_seed(seed)?;
        Ok((
            value,
            Variant {
                inner: variant,
                state: self.state,
            },
        ))
    }
}

struct Variant<'s, A> {
    inner: A,
    state: &'s State,
}

impl<'de, A: VariantAccess<'de>> VariantAccess<'de> for Variant<'_, A> {
    type Error = A::Error;

    fn unit_variant(self) -> Result<(), A::Error> {
        self.inner.unit_variant()
    }

    fn newtype_variant_seed<T: DeserializeSeed<'de>>(self, seed: T) -> Result<T::Value, A::Error> {
        self.inner.newtype_variant_seed(Seed {
            inner: seed,
            state: self.state,
        })
    }

    fn tuple_variant<V: Visitor<'de>>(self, len: usize, visitor: V) -> Result<V::Value, A::Error> {
        self.inner
            .tuple_variant(len, Wrap::new(visitor, self.state))
    }

    fn struct_variant<V: Visitor<'de>>(
        self,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, A::Error> {
        let wrap = Wrap {
            inner: visitor,
            state: self.state,
            object_only: true,
        };
        self.inner.struct_variant(fields, wrap)
    }
}

/// A JSON key, borrowed from the input where it has no escapes.
struct KeyVisitor;

impl<'de> Visitor<'de> for KeyVisitor {
    type Value = Cow<'de, str>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a key")
    }

    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
        Ok(Cow::Borrowed(v))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Cow::Owned(v.to_owned()))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
        Ok(Cow::Owned(v))
    }
}
