//! Instructions without a native form, each with the reason the interpreter runs them instead
//! (the function still compiles: native code deopts at the instruction).

use s6_py311::opcodes::{self, *};

/// `Some("unsupported: OPNAME (why)")` when `op` (a base opcode) is left to the
/// interpreter.
pub fn unsupported_reason(op: u8) -> Option<String> {
    let why = match op {
        // `except*` (its functions' handlers stay in the interpreter: see `context`).
        CHECK_EG_MATCH | PREP_RERAISE_STAR => "except* handler code",
        // Native code starts after it (see `generators`).
        RETURN_GENERATOR => "runs before a generator starts",
        // Only in async generators and coroutines with `async for`/`async with` (skipped
        // before translation: see `async_reason`).
        GET_AITER | GET_ANEXT | END_ASYNC_FOR | ASYNC_GEN_WRAP | BEFORE_ASYNC_WITH => {
            "async iteration"
        }
        // Need f_locals: module and class bodies (or a SystemError the interpreter raises).
        LOAD_NAME | STORE_NAME | DELETE_NAME | LOAD_CLASSDEREF | IMPORT_STAR
        | SETUP_ANNOTATIONS => "needs a locals dict",
        PRINT_EXPR => "interactive only",
        _ if !opcodes::is_base(op) => "not a base opcode",
        _ => return None,
    };
    Some(format!("unsupported: {} ({why})", opcodes::name(op)))
}
