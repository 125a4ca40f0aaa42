//! Which stores to a local find the slot holding an object for sure, so that lowering releases
//! the old value without testing it for NULL first (`store_local`'s XDECREF becomes a DECREF;
//! `store_local_float`/`store_local_int` go straight to their in-place test).
//!
//! A forward must-analysis over the strongjit CFG: a slot is bound after a `store_local` of a
//! value that cannot be NULL, unbound after one of a value that may be, and unchanged by a
//! `store_local_float`/`store_local_int` (on a memory error they leave the slot as it was). At
//! the entry and at every block natively caught exceptions enter, nothing is known to be bound;
//! where paths meet, a slot is bound when it is on every path.
//!
//! Why this is sound: while native code runs, only its own `store_local*` write a plain fast
//! local (the invariant `ssa_locals` rests on: tracing, the one writer of `f_locals` back into a
//! frame, makes native code leave first), and a store's value is NULL only when it is a `null`
//! (`DELETE_FAST`) or may be one: a `load_local` or `load_binding` result, or a block parameter
//! fed by one of those. Every other stored value came off the value stack, where 3.11 keeps
//! NULLs only below a callable (`PUSH_NULL`, `LOAD_METHOD`), which `CALL` consumes.
//!
//! Does not: assume the arguments bound at entry (the IR does not say how many there are), or
//! follow values through a `check_null` (a stored `load_local` result counts as maybe NULL).

use std::collections::HashSet;

use s6_strongjit::cfg::ControlFlowGraph;
use s6_strongjit::{Block, Function, Inst, Opcode, Operands, Value};

/// The `store_local`, `store_local_float` and `store_local_int` instructions before which their
/// slot holds an object on every path.
pub(crate) fn bound_stores(f: &Function) -> HashSet<Inst> {
    let mut out = HashSet::new();
    let Some(entry) = f.entry() else {
        return out;
    };
    let cfg = ControlFlowGraph::compute(f);
    let maybe_null = maybe_null_values(f, &cfg);
    let words = (f.nlocalsplus as usize).div_ceil(64);
    let fresh: HashSet<Block> = std::iter::once(entry)
        .chain(f.catch_blocks().into_iter().map(|(_, b)| b))
        .collect();
    // In-state per block: None until a path reaches it.
    let mut state: Vec<Option<Vec<u64>>> = vec![None; f.blocks.len()];
    let mut work: Vec<Block> = Vec::new();
    for &b in &fresh {
        state[b.index()] = Some(vec![0; words]);
        work.push(b);
    }
    let transfer = |b: Block, set: &mut Vec<u64>, mut visit: Option<&mut HashSet<Inst>>| {
        for &i in &f.block(b).insts {
            let d = f.inst(i);
            let Operands::UImmValue { imm, arg } = d.operands else {
                continue;
            };
            let (w, bit) = (imm as usize / 64, 1u64 << (imm % 64));
            if w >= words {
                continue;
            }
            match d.opcode {
                Opcode::StoreLocal | Opcode::StoreLocalFloat | Opcode::StoreLocalInt => {
                    if set[w] & bit != 0
                        && let Some(v) = visit.as_deref_mut()
                    {
                        v.insert(i);
                    }
                }
                _ => continue,
            }
            if d.opcode == Opcode::StoreLocal {
                if maybe_null.contains(&arg) {
                    set[w] &= !bit;
                } else {
                    set[w] |= bit;
                }
            }
        }
    };
    while let Some(b) = work.pop() {
        let mut set = state[b.index()]
            .clone()
            .expect("queued blocks have a state");
        transfer(b, &mut set, None);
        for &s in cfg.succs(b) {
            if fresh.contains(&s) {
                continue;
            }
            let changed = match &mut state[s.index()] {
                None => {
                    state[s.index()] = Some(set.clone());
                    true
                }
                Some(old) => {
                    let mut changed = false;
                    for (o, n) in old.iter_mut().zip(&set) {
                        if *o & n != *o {
                            *o &= n;
                            changed = true;
                        }
                    }
                    changed
                }
            };
            if changed && !work.contains(&s) {
                work.push(s);
            }
        }
    }
    for &b in &f.layout {
        if let Some(set) = &state[b.index()] {
            let mut set = set.clone();
            transfer(b, &mut set, Some(&mut out));
        }
    }
    out
}

/// Values that may be NULL: `null`, `load_local` and `load_binding` results, and block
/// parameters fed one of them on some edge. (A value a `STORE_FAST` took from the value stack
/// is never NULL in 3.11: NULLs on the stack only sit below a callable, for `CALL`.)
fn maybe_null_values(f: &Function, cfg: &ControlFlowGraph) -> HashSet<Value> {
    let mut set: HashSet<Value> = HashSet::new();
    for (_, i) in f.layout_insts() {
        let d = f.inst(i);
        if matches!(
            d.opcode,
            Opcode::Null | Opcode::LoadLocal | Opcode::LoadBinding
        ) {
            set.extend(d.results.iter().copied());
        }
    }
    s6_strongjit::cfg::close_over_params(f, cfg, &mut set);
    set
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(body: &str) -> Function {
        let text = format!(
            r#"function "s6::t.f" nlocalsplus=3 stacksize=1 {{
  const 0 = int 0
{body}
}}
"#
        );
        s6_strongjit::parse(&text).unwrap()
    }

    /// The stores in layout order, each with whether it was found bound.
    fn stores(f: &Function) -> Vec<(u32, bool)> {
        let bound = bound_stores(f);
        f.layout_insts()
            .filter_map(|(_, i)| match f.inst(i).operands {
                Operands::UImmValue { imm, .. } if f.inst(i).opcode != Opcode::LoadLocal => {
                    Some((imm, bound.contains(&i)))
                }
                _ => None,
            })
            .collect()
    }

    #[test]
    fn a_store_after_a_store_of_an_object_is_bound_and_after_a_delete_is_not() {
        let f = parse(
            "bb0(v0: ptr, v1: ptr):
  v2 = load_const 0
  incref v2
  store_local 1, v2
  incref v2
  store_local 1, v2
  v3 = null
  store_local 1, v3
  incref v2
  store_local 1, v2
  v4 = load_local 0
  incref v4
  store_local 1, v4
  store_local 1, v2
  return v2",
        );
        assert_eq!(
            stores(&f),
            [
                (1, false),
                (1, true),
                (1, true),
                (1, false),
                (1, true),
                (1, false)
            ]
        );
    }

    #[test]
    fn paths_that_meet_must_all_have_bound_the_slot() {
        // bb1 stores on one path only; the loop's header is reached unbound from the entry.
        let f = parse(
            "bb0(v0: ptr, v1: ptr):
  v2 = load_const 0
  v3 = iconst.i8 1
  branch v3, bb1(), bb2()
bb1():
  store_local 1, v2
  store_local 2, v2
  jump bb2()
bb2():
  store_local 1, v2
  store_local 2, v2
  jump bb3()
bb3():
  store_local 2, v2
  store_local 0, v2
  branch v3, bb3(), bb4()
bb4():
  store_local 0, v2
  return v2",
        );
        assert_eq!(
            stores(&f),
            [
                (1, false),
                (2, false),
                (1, false),
                (2, false),
                (2, true),
                (0, false),
                (0, true)
            ]
        );
    }

    #[test]
    fn a_block_parameter_fed_a_null_may_be_null_and_handlers_start_with_nothing_bound() {
        let f = parse(
            "bb0(v0: ptr, v1: ptr):
  entry bb1(), catch @10 bb3()
bb1():
  v2 = load_const 0
  v3 = null
  v4 = iconst.i8 1
  store_local 0, v2
  branch v4, bb2(v2), bb2(v3)
bb2(v5: obj):
  store_local 0, v5
  store_local 0, v2
  return v2
bb3():
  v6 = load_const 0
  store_local 0, v6
  return v6",
        );
        assert_eq!(stores(&f), [(0, false), (0, true), (0, false), (0, false)]);
    }
}
