//! Case tables through C: `case_tables_read` (case documents from office tables given as JSON
//! columns) and `case_tables_write` (cases as those columns), the operations of
//! `hedui_ops::tables`.

use std::ffi::c_char;

use hedui_ops::tables;

use super::{Text, json_op, result::hedui_result};

/// Case documents from office tables (the layout of `docs/tables.md`): households, members,
/// letters, pre-checks, departments' answers and their facts, offline investigations, joined by
/// the case number 案件编号.
///
/// `request_json` is `{"tables": {"家庭": {"案件编号": ["C1", ...], ...}, "家庭成员": {...},
/// ...}}`: each table by English name or Chinese sheet name, each column by English name or
/// Chinese header, its cells from the top as strings (numbers and booleans are read as their
/// text; `null` is an empty cell). Enumerated cells take the code or the Chinese label. On
/// success `*cases_json_out` receives `{"cases": [...], "errors": [...]}`, owned by the caller
/// and released with `hedui_string_free`: a case per household row whose rows are all good, and
/// an error per bad row naming its `table`, `sheet`, `row` (the header is row 1), `column` and
/// `header` with a stable `code`. A bad row is in `errors` with `HEDUI_RESULT_OK`; only a
/// request that is not the document fails (`HEDUI_RESULT_INPUT_JSON`).
///
/// # Safety
/// `request_json` is NULL or a NUL-terminated string; `cases_json_out` is NULL or valid for
/// a write of one pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hedui_case_tables_read_json(
    request_json: *const c_char,
    cases_json_out: *mut *mut c_char,
) -> hedui_result {
    // SAFETY: forwarded from this function's contract.
    unsafe {
        json_op(
            std::ptr::null(),
            Text::Terminated(request_json),
            cases_json_out,
            "cases_json_out",
            std::ptr::null_mut(),
            |_, r| tables::case_tables_read_json(r),
        )
    }
}

/// `hedui_case_tables_read_json` with `request_json` given as (pointer, length) and the error handed
/// back by the call: the `_n` form. Text is UTF-8 with no NUL among its bytes (else
/// `HEDUI_RESULT_INPUT_NUL`, `HEDUI_RESULT_INVALID_UTF8`). With `error_json_out` non-NULL,
/// `*error_json_out` becomes NULL on success and, on failure, the error as one line of JSON (as
/// `hedui_last_error_json` gives it), owned by the caller and released with
/// `hedui_string_free`.
///
/// # Safety
/// As `hedui_case_tables_read_json`; each text pointer is NULL or valid for its length in bytes of
/// reads; `error_json_out` is NULL or valid for a write of one pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hedui_case_tables_read_json_n(
    request_json: *const c_char,
    request_json_len: usize,
    cases_json_out: *mut *mut c_char,
    error_json_out: *mut *mut c_char,
) -> hedui_result {
    // SAFETY: forwarded from this function's contract.
    unsafe {
        json_op(
            std::ptr::null(),
            Text::Counted(request_json, request_json_len),
            cases_json_out,
            "cases_json_out",
            error_json_out,
            |_, r| tables::case_tables_read_json(r),
        )
    }
}

/// Cases written into the office tables: `request_json` is `{"cases": [...], "labels":
/// "codes"|"chinese" (optional; how enumerated cells are written)}`. On success
/// `*tables_json_out` receives `{"tables": {"households": {"case_id": [...], ...}, ...}}`, every
/// table of the layout in order with English column names, cells as text or `null`, owned by
/// the caller and released with `hedui_string_free`; `hedui_case_tables_read_json` reads it
/// back to the same cases. A case with a value no column holds fails with
/// `HEDUI_RESULT_TABLE_UNCOVERED`, a request that is not the document with
/// `HEDUI_RESULT_INPUT_JSON`.
///
/// # Safety
/// `request_json` is NULL or a NUL-terminated string; `tables_json_out` is NULL or valid for
/// a write of one pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hedui_case_tables_write_json(
    request_json: *const c_char,
    tables_json_out: *mut *mut c_char,
) -> hedui_result {
    // SAFETY: forwarded from this function's contract.
    unsafe {
        json_op(
            std::ptr::null(),
            Text::Terminated(request_json),
            tables_json_out,
            "tables_json_out",
            std::ptr::null_mut(),
            |_, r| tables::case_tables_write_json(r),
        )
    }
}

/// `hedui_case_tables_write_json` with `request_json` given as (pointer, length) and the error handed
/// back by the call: the `_n` form. Text is UTF-8 with no NUL among its bytes (else
/// `HEDUI_RESULT_INPUT_NUL`, `HEDUI_RESULT_INVALID_UTF8`). With `error_json_out` non-NULL,
/// `*error_json_out` becomes NULL on success and, on failure, the error as one line of JSON (as
/// `hedui_last_error_json` gives it), owned by the caller and released with
/// `hedui_string_free`.
///
/// # Safety
/// As `hedui_case_tables_write_json`; each text pointer is NULL or valid for its length in bytes of
/// reads; `error_json_out` is NULL or valid for a write of one pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hedui_case_tables_write_json_n(
    request_json: *const c_char,
    request_json_len: usize,
    tables_json_out: *mut *mut c_char,
    error_json_out: *mut *mut c_char,
) -> hedui_result {
    // SAFETY: forwarded from this function's contract.
    unsafe {
        json_op(
            std::ptr::null(),
            Text::Counted(request_json, request_json_len),
            tables_json_out,
            "tables_json_out",
            error_json_out,
            |_, r| tables::case_tables_write_json(r),
        )
    }
}
