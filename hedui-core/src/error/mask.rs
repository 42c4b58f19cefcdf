//! No resident ID in any error text (个人信息保护法 Art 6, minimum scope).
//!
//! Errors quote input: serde's messages quote a value of the wrong type (`invalid type:
//! integer `141030197803100016`, expected a string`), messages name households, letters and
//! arguments by the text the host gave. Every error text and detail therefore passes through
//! [`mask_resident_ids`] before it leaves the crate.

use std::borrow::Cow;

/// The shortest run of digits masked: a first-generation resident ID has 15.
const MIN_RUN: usize = 15;

/// `text` with every run of 15 or more ASCII digits (and a check character `X`/`x` right
/// after it; the digits of a decimal number with its fraction, as a float prints an ID given
/// as a JSON number) masked like a report's member ID: the first six and the last two characters
/// kept, the rest `*`. A run is masked wherever it stands: next to a letter (`H` + an ID as a
/// household id), a Chinese character (`身份证号` + an ID in a free-text field) or inside a
/// credit code (`91110000600037341L`, whose 17 digits could as well be an ID's). A run of
/// digits that only looks like a resident ID (a long amount, a credit code) is masked as
/// well, which costs nothing in an error: the error's path names the field.
///
/// ```
/// use hedui_core::error::mask_resident_ids;
/// assert_eq!(
///     mask_resident_ids("invalid type: integer `141030197803100016`, expected a string"),
///     "invalid type: integer `141030**********16`, expected a string"
/// );
/// assert_eq!(mask_resident_ids("id 11010519491231002X and 110105491231002"),
///            "id 110105**********2X and 110105*******02");
/// assert_eq!(mask_resident_ids("身份证号141030197803100016"), "身份证号141030**********16");
/// assert_eq!(mask_resident_ids("credit code `91110000600037341L`"), "credit code `911100*********41L`");
/// ```
pub fn mask_resident_ids(text: &str) -> Cow<'_, str> {
    replace_resident_id_runs(text, mask_run)
}

/// `text` with every resident-ID-shaped run (as [`mask_resident_ids`] finds them) replaced by
/// `with(run)`; borrowed when there is none.
pub(crate) fn replace_resident_id_runs(text: &str, with: impl Fn(&str) -> String) -> Cow<'_, str> {
    let runs = resident_id_runs(text);
    if runs.is_empty() {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    for (start, end) in runs {
        out.push_str(text.get(last..start).unwrap_or_default());
        out.push_str(&with(text.get(start..end).unwrap_or_default()));
        last = end;
    }
    out.push_str(text.get(last..).unwrap_or_default());
    Cow::Owned(out)
}

/// The byte ranges of the runs [`mask_resident_ids`] masks, in order.
fn resident_id_runs(text: &str) -> Vec<(usize, usize)> {
    let bytes = text.as_bytes();
    let digit = |i: usize| bytes.get(i).is_some_and(u8::is_ascii_digit);
    let mut runs = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if !digit(i) {
            i += 1;
            continue;
        }
        let start = i;
        let mut count = 0;
        while digit(i) {
            i += 1;
            count += 1;
        }
        // a decimal number's fraction counts too: a float shows an ID's leading digits
        // (`1.4103019780310002e+17`)
        if bytes.get(i) == Some(&b'.') && digit(i + 1) {
            i += 1;
            while digit(i) {
                i += 1;
                count += 1;
            }
        }
        let mut end = i;
        if matches!(bytes.get(end), Some(b'X' | b'x')) {
            end += 1;
        }
        // masked whatever touches it: a letter or a Chinese character next to an ID does not
        // make it less of an ID
        if count >= MIN_RUN {
            runs.push((start, end));
        }
        i = end.max(i);
    }
    runs
}

/// One run masked: the first six and the last two characters kept (a decimal point stays
/// where it is), the rest `*`.
pub(crate) fn mask_run(run: &str) -> String {
    let len = run.chars().filter(|c| *c != '.').count();
    let mut out = String::with_capacity(run.len());
    let mut k = 0;
    for c in run.chars() {
        if c == '.' {
            out.push(c);
            continue;
        }
        out.push(if k < 6 || k + 2 >= len { c } else { '*' });
        k += 1;
    }
    out
}

/// Masks every string inside a JSON value (an error's fields) with [`mask_resident_ids`], and
/// numbers whose digits would show a resident ID.
pub(crate) fn mask_value(value: &mut serde_json::Value) {
    match value {
        serde_json::Value::String(s) => {
            if let Cow::Owned(masked) = mask_resident_ids(s) {
                *s = masked;
            }
        }
        serde_json::Value::Number(n) => {
            let text = n.to_string();
            if let Cow::Owned(masked) = mask_resident_ids(&text) {
                *value = serde_json::Value::String(masked);
            }
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(mask_value),
        serde_json::Value::Object(map) => map.values_mut().for_each(mask_value),
        serde_json::Value::Bool(_) | serde_json::Value::Null => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn runs_are_masked_where_they_stand_alone() {
        assert_eq!(mask_resident_ids("no digits"), "no digits");
        assert_eq!(mask_resident_ids("12345678901234"), "12345678901234");
        assert_eq!(mask_resident_ids("123456789012345"), "123456*******45");
        assert_eq!(
            mask_resident_ids("`141030197803100016`"),
            "`141030**********16`"
        );
        // a run touching a letter or a Chinese character is an ID all the same (found by
        // fuzzing: `H` + an ID as a household id, `身份证号` + an ID in free text)
        assert_eq!(
            mask_resident_ids("a141030197803100016"),
            "a141030**********16"
        );
        // Chinese text against an ID does not make it part of a word
        assert_eq!(
            mask_resident_ids("身份证号141030197803100016，"),
            "身份证号141030**********16，"
        );
        assert_eq!(
            mask_resident_ids("列141030197803100016号"),
            "列141030**********16号"
        );
        assert_eq!(
            mask_resident_ids("credit code `Y12345678901234567`"),
            "credit code `Y123456*********67`"
        );
        assert_eq!(
            mask_resident_ids("[141030197803100016,11010519491231002x]"),
            "[141030**********16,110105**********2x]"
        );
        // a float shows the leading digits of an ID given as a JSON number
        assert_eq!(
            mask_resident_ids("floating point `1.4103019780310002e+17`"),
            "floating point `1.41030*********02e+17`"
        );
        assert_eq!(mask_resident_ids("1.5e+17 and 3.25"), "1.5e+17 and 3.25");
        let mut v = serde_json::json!({"n": 141030197803100016u64, "s": ["x 110105491231002"]});
        mask_value(&mut v);
        assert_eq!(
            v,
            serde_json::json!({"n": "141030**********16", "s": ["x 110105*******02"]})
        );
    }

    proptest! {
        #[test]
        fn no_run_survives(prefix in "[ -~]{0,10}", run in "[0-9]{15,18}", suffix in "[ -~]{0,10}") {
            let text = format!("{prefix}{run}{suffix}");
            let masked = mask_resident_ids(&text);
            prop_assert!(!masked.contains(&run));
            prop_assert_eq!(masked.len(), text.len());
        }
    }
}
