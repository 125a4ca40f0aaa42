//! What lowering moves off the inline hit path of a site-cache call (`caches`) onto the
//! helper's path, because only the helper needs it:
//! - the `load_name` of the attribute's name (code object → `co_names` → item: three loads),
//!   when the call is its only use; the hit path of an attribute load or store, or a method
//!   load, on an instance with a materialized `__dict__` loads it too, where it looks at the
//!   dict;
//! - the `set_prev_instr` before a load (attribute, method, global), when the same block sets
//!   `prev_instr` again before anything could read it (the list of
//!   `s6_strongjit::passes::prev_instr::reads_prev_instr`): the hit runs no Python code and
//!   reads no line, so only the helper, which can run code (a property, `__getattr__`) and
//!   raise, needs the frame to say where it is.
//!
//! - the `set_prev_instr` whose only readers before the block sets `prev_instr` again are
//!   releases (`decref`, `xdecref`, the old value of a `store_local*`): it is lowered in each
//!   release's `_Py_Dealloc` path, the only place where they can run code (`__del__`, a
//!   weakref callback) that sees the line. A `STORE_FAST` then costs no `prev_instr` store on
//!   its common path.
//!
//! Does not: move anything across blocks; touch site-cache stores (their hit releases the old
//! value inside the helper's inline path, which can run `__del__`, so `prev_instr` must be set
//! on the hit path too); move site-cache things in cold functions (lowered without inline
//! hits).

use std::collections::{HashMap, HashSet};

use s6_strongjit::passes::prev_instr::reads_prev_instr;
use s6_strongjit::{Function, Inst, Opcode, Operands, Value, ValueDef};

/// The instructions lowered on a site-cache helper's path instead of where they stand.
#[derive(Default)]
pub(crate) struct Sunk {
    /// `set_prev_instr`s lowered at the start of the helper's path of the call after them.
    pub(crate) prev_instr: HashSet<Inst>,
    /// `load_name` results (with their index in `co_names`) loaded where a path needs them.
    pub(crate) names: HashMap<Value, u32>,
    /// `set_prev_instr`s lowered in the `_Py_Dealloc` paths of the releases after them.
    pub(crate) dealloc_prev_instr: HashSet<Inst>,
}

/// Readers of `prev_instr` that read it only when a reference dies (`_Py_Dealloc`).
fn reads_only_at_dealloc(op: Opcode) -> bool {
    matches!(
        op,
        Opcode::Decref
            | Opcode::Xdecref
            | Opcode::StoreLocal
            | Opcode::StoreLocalFloat
            | Opcode::StoreLocalInt
    )
}

/// Whether the `set_prev_instr` at `insts[k]` is read only by releases before the block sets
/// `prev_instr` again.
fn read_only_at_dealloc(f: &Function, insts: &[Inst], k: usize) -> bool {
    for &j in &insts[k + 1..] {
        let op = f.inst(j).opcode;
        if op == Opcode::SetPrevInstr {
            return true;
        }
        if reads_prev_instr(op) && !reads_only_at_dealloc(op) {
            return false;
        }
    }
    false
}

/// Helpers whose inline hit runs no Python code and reads no line.
fn pure_hit(name: &str) -> bool {
    matches!(
        name,
        "s6_rt_load_attr_cached" | "s6_rt_load_method_cached" | "s6_rt_load_global_cached"
    )
}

/// Helpers whose hit path does not need the name (a global's hit reads a versioned slot).
fn name_off_hit(name: &str) -> bool {
    matches!(
        name,
        "s6_rt_load_attr_cached"
            | "s6_rt_load_method_cached"
            | "s6_rt_store_attr_cached"
            | "s6_rt_load_global_cached"
            | "s6_rt_store_global_cached"
    )
}

fn inlined_callee(f: &Function, i: Inst) -> Option<&'static str> {
    match &f.inst(i).operands {
        Operands::Call { callee, .. } if super::caches::is_inlined(callee.name) => {
            Some(callee.name)
        }
        _ => None,
    }
}

/// What to sink in `f` (nothing in a cold function: its calls have no inline hit paths).
pub(crate) fn plan(f: &Function) -> Sunk {
    let mut sunk = Sunk::default();
    for &b in &f.layout {
        let insts = &f.block(b).insts;
        for (k, &i) in insts.iter().enumerate() {
            if f.inst(i).opcode == Opcode::SetPrevInstr && read_only_at_dealloc(f, insts, k) {
                sunk.dealloc_prev_instr.insert(i);
            }
        }
    }
    if f.cold {
        return sunk;
    }
    let uses = f.use_counts();
    for &b in &f.layout {
        let insts = &f.block(b).insts;
        for (k, &i) in insts.iter().enumerate() {
            let Some(callee) = inlined_callee(f, i) else {
                continue;
            };
            if !super::caches::inline_site(f, i) {
                continue;
            }
            if let Operands::Call { args, .. } = &f.inst(i).operands
                && name_off_hit(callee)
                && let Some(&name) = args.get(1)
                && uses.get(name.index()) == Some(&1)
                && let ValueDef::Result(def, 0) = f.value_def(name)
                && let (Opcode::LoadName, Operands::UImm { imm }) =
                    (f.inst(def).opcode, &f.inst(def).operands)
            {
                sunk.names.insert(name, *imm);
            }
            if !pure_hit(callee) {
                continue;
            }
            // The `set_prev_instr` this call's index set: the last one before it, with only
            // instructions that read no line in between.
            let Some(set) = insts[..k]
                .iter()
                .rev()
                .find(|&&j| {
                    let op = f.inst(j).opcode;
                    op == Opcode::SetPrevInstr || reads_prev_instr(op)
                })
                .filter(|&&j| f.inst(j).opcode == Opcode::SetPrevInstr)
            else {
                continue;
            };
            // Set again before anything after the call reads it, in this block.
            let overwritten = insts[k + 1..]
                .iter()
                .map(|&j| f.inst(j).opcode)
                .find(|&op| op == Opcode::SetPrevInstr || reads_prev_instr(op))
                == Some(Opcode::SetPrevInstr);
            if overwritten {
                sunk.prev_instr.insert(*set);
            }
        }
    }
    sunk
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `LOAD_FAST; LOAD_ATTR` then `what` (text lines) before the return.
    fn ir(what: &str) -> Function {
        let text = format!(
            r#"function "s6::t.f" nlocalsplus=1 stacksize=1 {{
  b0..b15 = cache
  fs0 = state @2 []
bb0(v0: ptr, v1: ptr):
  v2 = load_local 0
  set_prev_instr 2 @2
  v3 = load_name 0 @2
  v4 = binding_addr b0 @2
  v5 = call s6_rt_load_attr_cached(v2, v3, v4) @2
  check_null v5, fs0 @2
{what}
  return v5 @8
}}
"#
        );
        s6_strongjit::parse(&text).unwrap()
    }

    fn set_at(f: &Function, index: u64) -> Inst {
        f.layout_insts()
            .map(|(_, i)| i)
            .find(|&i| {
                f.inst(i).opcode == Opcode::SetPrevInstr
                    && matches!(f.inst(i).operands, Operands::UImm { imm } if u64::from(imm) == index)
            })
            .unwrap()
    }

    #[test]
    fn the_line_and_name_of_a_load_move_to_its_helper_path_when_nothing_reads_them() {
        let f = ir("  set_prev_instr 8 @8");
        let sunk = plan(&f);
        assert_eq!(sunk.prev_instr, HashSet::from([set_at(&f, 2)]));
        assert_eq!(sunk.names, HashMap::from([(Value(3), 0)]));
    }

    #[test]
    fn the_line_stays_when_something_reads_it_before_the_next_one() {
        // A decref may run `__del__`, which may look at the frame's line.
        let f = ir("  decref v2 @2\n  set_prev_instr 8 @8");
        assert!(plan(&f).prev_instr.is_empty());
        // The block ends (or returns) without setting it again.
        let f = ir("");
        assert!(plan(&f).prev_instr.is_empty());
        // The name moves whatever follows.
        assert_eq!(plan(&f).names.len(), 1);
    }

    #[test]
    fn nothing_moves_in_a_cold_function() {
        let mut f = ir("  set_prev_instr 8 @8");
        f.cold = true;
        let sunk = plan(&f);
        assert!(sunk.prev_instr.is_empty() && sunk.names.is_empty());
    }

    #[test]
    fn a_line_only_releases_read_moves_to_their_dealloc_paths() {
        let f = ir(
            "  set_prev_instr 6 @6\n  store_local 0, v5 @6\n  decref v2 @6\n  set_prev_instr 8 @8",
        );
        assert_eq!(plan(&f).dealloc_prev_instr, HashSet::from([set_at(&f, 6)]));
        // Also in a cold function.
        let mut cold = f.clone();
        cold.cold = true;
        assert_eq!(
            plan(&cold).dealloc_prev_instr,
            HashSet::from([set_at(&f, 6)])
        );
    }

    #[test]
    fn a_line_a_call_or_the_next_block_reads_stays() {
        // A call reads it before the next one.
        let f = ir(
            "  set_prev_instr 6 @6\n  store_local 0, v5 @6\n  v6 = call s6_rt_load_attr_cached(v2, v3, v4) @6\n  set_prev_instr 8 @8",
        );
        assert!(!plan(&f).dealloc_prev_instr.contains(&set_at(&f, 6)));
        // The block ends (here: returns) without setting it again.
        let f = ir("  set_prev_instr 6 @6\n  store_local 0, v5 @6");
        assert!(!plan(&f).dealloc_prev_instr.contains(&set_at(&f, 6)));
    }
}
