//! Handler paths that keep the types of the locals they pass back: a local that a handler
//! leaves alone reaches the code after the handler as the frame's value, read afresh where the
//! caught exception entered (`ssa_locals` reads locals from the frame there). That untyped value
//! would make every merge it reaches untyped, so a loop with a `try` in it would lose its typed
//! (and unboxed) loop-carried `int`s and `float`s even when nothing is ever raised.

use std::collections::HashMap;

use crate::entities::{Block, Inst, Value};
use crate::function::{FrameState, Function, ValueDef};
use crate::instructions::{Opcode, Operands};
use crate::types::{PyType, Type};

/// For each local a catch block reads from the frame (`load_local` in a block of
/// [`Function::catch_blocks`]) whose value reaches block parameters whose other incoming values
/// (block parameters aside, whose types `simplify` derives afterwards) are all exact `float`s,
/// or all exact `int`s: guards the read value with that type at the end of the catch block
/// (`guard_type`, deopting to the handler's first instruction with the handler's stack, where
/// the interpreter runs the handler exactly as ceval would have) and gives its uses the guarded
/// value, and unboxes it right there (`unbox_float`, or `unbox_int` at the same state), which
/// `unbox_params` takes as the value's number. `simplify` then types the merges, and
/// `unbox_params` can unbox them again.
///
/// Run after `specialize` (which types the values the body computes) and before `simplify`.
///
/// Does not: guard values other than exact `int` and `float`, or a value whose merges want
/// different types; look at merges the value reaches only through other parameters.
pub fn type_catch_loads(f: &mut Function) {
    let catches = f.catch_blocks();
    if catches.is_empty() {
        return;
    }
    // Incoming values of every block parameter.
    let mut incoming: HashMap<Value, Vec<Value>> = HashMap::new();
    for &b in &f.layout {
        if let Some(t) = f.terminator(b) {
            for call in f.inst(t).operands.successors() {
                for (&p, &a) in f.block(call.block).params.iter().zip(&call.args) {
                    incoming.entry(p).or_default().push(a);
                }
            }
        }
    }
    let mut fed: HashMap<Value, Vec<Value>> = HashMap::new();
    for (&p, args) in &incoming {
        for &a in args {
            fed.entry(a).or_default().push(p);
        }
    }
    let is_param = |f: &Function, v: Value| matches!(f.value_def(v), ValueDef::Param(..));
    let mut guards: Vec<(Block, u32, Value, PyType)> = Vec::new();
    for &(at, block) in &catches {
        for &i in &f.block(block).insts {
            let d = f.inst(i);
            if d.opcode != Opcode::LoadLocal {
                continue;
            }
            let r = d.results[0];
            let mut want: Option<PyType> = None;
            let mut ok = true;
            for &p in fed.get(&r).into_iter().flatten() {
                for &a in &incoming[&p] {
                    if a == r || is_param(f, a) {
                        continue;
                    }
                    let t = f.pytype(a);
                    let number = t == PyType::FLOAT_EXACT || t == PyType::LONG_EXACT;
                    if number && want.is_none_or(|w| w == t) {
                        want = Some(t);
                    } else {
                        ok = false;
                    }
                }
            }
            if let (true, Some(t)) = (ok, want) {
                guards.push((block, at, r, t));
            }
        }
    }
    let mut map: HashMap<Value, Value> = HashMap::new();
    for (block, at, r, t) in guards {
        let Some(term) = f.terminator(block) else {
            continue;
        };
        // The catch block passes the handler's stack (loaded from the frame) to the handler.
        let stack = match &f.inst(term).operands {
            Operands::Jump { dest } if !dest.args.contains(&r) => dest.args.clone(),
            _ => continue,
        };
        let loc = f.inst(term).loc;
        let fs = f.make_frame_state(FrameState {
            index: at,
            stack,
            borrowed: Vec::new(),
            locals: Vec::new(),
            parent: None,
            abandon: None,
        });
        let name = if t == PyType::FLOAT_EXACT {
            "builtins.float"
        } else {
            "builtins.int"
        };
        let binding = f.type_binding(name);
        let guard = f.make_inst(
            Opcode::GuardType,
            Operands::GuardType {
                arg: r,
                binding,
                fs,
            },
            &[Type::Obj],
            loc,
        );
        let g = f.inst(guard).results[0];
        f.set_pytype(g, t);
        // Its number right after it, for `unbox_params` (which removes it when no twin needs
        // it; an `int` wider than the inline form deopts there, as the body's unboxes would).
        let unbox = if t == PyType::FLOAT_EXACT {
            f.make_inst(
                Opcode::UnboxFloat,
                Operands::Unary { arg: g },
                &[Type::F64],
                loc,
            )
        } else {
            f.make_inst(
                Opcode::UnboxInt,
                Operands::Check { arg: g, fs },
                &[Type::I64],
                loc,
            )
        };
        let insts = &mut f.block_mut(block).insts;
        let end = insts.len() - 1;
        insts.insert(end, guard);
        insts.insert(end + 1, unbox);
        map.insert(r, g);
    }
    if map.is_empty() {
        return;
    }
    let guards: Vec<Inst> = map
        .values()
        .filter_map(|&g| match f.value_def(g) {
            ValueDef::Result(i, _) => Some(i),
            _ => None,
        })
        .collect();
    // Every use but the guard's own operand takes the guarded value.
    let saved: Vec<(Inst, Operands)> = guards
        .iter()
        .map(|&i| (i, f.inst(i).operands.clone()))
        .collect();
    f.rewrite_uses(|v| map.get(&v).copied().unwrap_or(v));
    for (i, ops) in saved {
        f.inst_mut(i).operands = ops;
    }
}
