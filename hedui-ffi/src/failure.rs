//! The failure of a binding call is the operations layer's [`hedui_ops::Failure`]; this module
//! keeps the path `crate::failure` the C result table and the last-error store use.

pub(crate) use hedui_ops::{Area, Failure};
