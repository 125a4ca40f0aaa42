//! Randomized checks: many generated valid functions (random CFGs with loops, unreachable
//! blocks, block params, exits, refcounts) must stay valid through every pass and the default
//! pipeline, round-trip through the text format, and keep their effects (passes may only drop
//! pure instructions, matched refcount pairs, and control flow) and their observable behaviour
//! under an abstract evaluator (calls, exits, returns, locals, and the reference counts seen at
//! every call and exit).

use s6_strongjit::passes::{DEFAULT_PIPELINE, PASSES};
use s6_strongjit::{
    Block, Function, FunctionBuilder, IntCC, Opcode, PyOp, Type, Value, parse, print, run_pipeline,
    verify,
};
use std::collections::BTreeMap;

/// xorshift64*: deterministic, dependency-free.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn pick<T: Copy>(&mut self, xs: &[T]) -> Option<T> {
        (!xs.is_empty()).then(|| xs[self.below(xs.len())])
    }
}

/// Values usable at the current point, by type.
#[derive(Clone, Default)]
struct Avail(BTreeMap<&'static str, Vec<Value>>);
impl Avail {
    fn add(&mut self, ty: Type, v: Value) {
        self.0.entry(ty.name()).or_default().push(v);
    }
    fn of(&self, ty: Type) -> &[Value] {
        self.0.get(ty.name()).map_or(&[], |v| v)
    }
}

fn generate(seed: u64) -> Function {
    let mut r = Rng(seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1);
    let mut b = FunctionBuilder::new(format!("s6::rand.f{seed}"), 3, 4);
    let nblocks = 1 + r.below(7);
    let blocks: Vec<Block> = (0..nblocks).map(|_| b.create_block()).collect();
    let tys = [Type::Obj, Type::I64, Type::I8];
    let params: Vec<Vec<Value>> = blocks
        .iter()
        .map(|&bl| {
            (0..r.below(3))
                .map(|_| b.append_block_param(bl, tys[r.below(3)]))
                .collect()
        })
        .collect();
    // Entry: values every block may use (bb0 dominates everything reachable).
    let mut global = Avail::default();
    global.add(Type::Obj, b.load_local(0));
    global.add(Type::Obj, b.null());
    global.add(Type::I64, b.iconst(Type::I64, 7));
    global.add(Type::I8, b.iconst(Type::I8, r.below(2) as i64));
    let mut all = vec![b.entry_block()];
    all.extend(&blocks);
    for (k, &bl) in all.iter().enumerate() {
        b.switch_to_block(bl);
        let mut avail = global.clone();
        if k > 0 {
            for &p in &params[k - 1] {
                avail.add(b.func().value_type(p), p);
            }
        }
        let body = if r.below(4) == 0 { 0 } else { r.below(8) };
        for _ in 0..body {
            let obj = r.pick(avail.of(Type::Obj)).unwrap();
            let int = r.pick(avail.of(Type::I64)).unwrap();
            let flag = r.pick(avail.of(Type::I8)).unwrap();
            let int2 = r.pick(avail.of(Type::I64)).unwrap();
            match r.below(16) {
                0 => {
                    let v = b.iadd(int, int);
                    avail.add(Type::I64, v);
                }
                1 => {
                    let v = b.icmp(IntCC::Slt, int, int2);
                    avail.add(Type::I8, v);
                }
                2 => {
                    let v = b.select(flag, obj, obj);
                    avail.add(Type::Obj, v);
                }
                3 => {
                    // A pair with something observable (or nothing) in between.
                    b.incref(obj);
                    match r.below(4) {
                        0 => {
                            let fs = b.frame_state(3, &[]);
                            let v = b.call_value("PyObject_Str", &[obj]);
                            b.check_null(v, fs);
                            avail.add(Type::Obj, v);
                        }
                        1 => {
                            let fs = b.frame_state(5, &[obj]);
                            b.deopt_if(flag, fs, "between");
                        }
                        _ => {}
                    }
                    if r.below(3) != 0 {
                        b.decref(obj);
                    }
                }
                4 => {
                    let stack: Vec<Value> = (0..r.below(3))
                        .map(|_| r.pick(avail.of(Type::Obj)).unwrap())
                        .collect();
                    let fs = b.frame_state(k as u32 * 10, &stack);
                    b.deopt_if(flag, fs, "random");
                }
                5 => {
                    let fs = b.frame_state(2, &[]);
                    let v = b.call_value("PyNumber_Add", &[obj, obj]);
                    b.check_null(v, fs);
                    avail.add(Type::Obj, v);
                }
                6 => {
                    let v = b.load_const(r.below(3) as u32);
                    avail.add(Type::Obj, v);
                }
                10 => {
                    b.incref(obj);
                    b.store_local(r.below(3) as u32, obj);
                }
                11 => {
                    // a call whose result nobody uses: still an effect
                    let ts = b.ts();
                    b.call_value("s6_rt_eval_breaker", &[ts]);
                }
                12 => {
                    // A Python-level operation (legalize turns it into its generic call) on
                    // str constants (so `specialize`, whose typed code the abstract evaluator
                    // does not model, leaves it alone).
                    let s = b.load_const(r.below(3) as u32);
                    b.func_mut().set_pytype(s, s6_strongjit::PyType::STR_EXACT);
                    let before = b.frame_state(4, &[s, s]);
                    let op = [PyOp::Binary(0), PyOp::Compare(2), PyOp::Binary(8)][r.below(3)];
                    let v = b.py(op, &[s, s], before);
                    let fs = b.frame_state(4, &[]);
                    b.check_null(v, fs);
                    avail.add(Type::Obj, v);
                }
                13 => {
                    // A local read (again): forwarding material.
                    let v = b.load_local(r.below(3) as u32);
                    avail.add(Type::Obj, v);
                }
                14 => {
                    let fs = b.frame_state(7, &[]);
                    b.check_tracing(fs);
                }
                15 => b.set_prev_instr(r.below(50) as u32),
                7 => b.xincref(obj),
                8 => b.xdecref(obj),
                _ => {
                    let (s, o) = b.iadd_ovf(int, int);
                    avail.add(Type::I64, s);
                    avail.add(Type::I8, o);
                }
            }
        }
        // Terminator.
        let choose_args =
            |r: &mut Rng, b: &FunctionBuilder, target: usize, avail: &Avail| -> Vec<Value> {
                params[target]
                    .iter()
                    .map(|&p| r.pick(avail.of(b.func().value_type(p))).unwrap())
                    .collect()
            };
        let flag = r.pick(avail.of(Type::I8)).unwrap();
        match r.below(6) {
            0 | 1 => {
                let t = r.below(nblocks);
                let args = choose_args(&mut r, &b, t, &avail);
                b.jump(blocks[t], &args);
            }
            2 | 3 => {
                let (t, e) = (r.below(nblocks), r.below(nblocks));
                let ta = choose_args(&mut r, &b, t, &avail);
                let ea = choose_args(&mut r, &b, e, &avail);
                b.branch(flag, blocks[t], &ta, blocks[e], &ea);
            }
            4 => {
                let v = r.pick(avail.of(Type::Obj)).unwrap();
                b.ret(v);
            }
            _ => {
                let fs = b.frame_state(99, &[]);
                if r.below(2) == 0 {
                    b.deopt(fs, "end")
                } else {
                    b.raise(fs)
                }
            }
        }
    }
    b.finish()
}

/// Count of each non-pure, non-control opcode in the layout.
fn effects(f: &Function) -> BTreeMap<String, usize> {
    let mut m = BTreeMap::new();
    for (_, i) in f.layout_insts() {
        let op = f.inst(i).opcode;
        if !op.is_pure() && !matches!(op, Opcode::Jump | Opcode::Branch) {
            // A `py.*` and the call `legalize` makes of it are the same effect.
            let name = if op == Opcode::Py {
                "call"
            } else {
                op.mnemonic()
            };
            *m.entry(name.to_string()).or_default() += 1;
        }
    }
    m
}

fn reachable_effects(f: &Function) -> BTreeMap<String, usize> {
    let mut g = f.clone();
    run_pipeline(&mut g, &["unreachable_blocks"], None).unwrap();
    effects(&g)
}

#[test]
fn passes_keep_random_functions_valid_and_effects_intact() {
    let mut changed: BTreeMap<String, usize> = BTreeMap::new();
    for seed in 0..400 {
        let f = generate(seed);
        if let Err(e) = verify(&f) {
            panic!(
                "generator produced invalid IR (seed {seed}):\n{e}\n{}",
                print(&f)
            );
        }
        assert_eq!(parse(&print(&f)).unwrap(), f, "seed {seed}");
        let before = reachable_effects(&f);
        let mut pipelines: Vec<Vec<&str>> = PASSES.iter().map(|p| vec![p.name]).collect();
        pipelines.push(DEFAULT_PIPELINE.to_vec());
        for pipeline in pipelines {
            let mut g = f.clone();
            if let Err(e) = run_pipeline(&mut g, &pipeline, None) {
                panic!("seed {seed}, {pipeline:?}: {e}\ninput:\n{}", print(&f));
            }
            let text = print(&g);
            assert_eq!(parse(&text).unwrap(), g, "seed {seed} {pipeline:?}");
            if g != f {
                *changed.entry(pipeline.join(",")).or_default() += 1;
            }
            // Effects of reachable code survive; refcount pairs go in pairs.
            let after = reachable_effects(&g);
            if pipeline.contains(&"thread_branches") {
                // Copies of a block on several edges repeat its effects (each path still runs
                // them once), and a decided branch makes code unreachable: no new kind of
                // effect may appear.
                for k in after.keys() {
                    assert!(
                        before.contains_key(k),
                        "seed {seed} {pipeline:?}: {k} appeared\n{text}"
                    );
                }
                continue;
            }
            if pipeline.contains(&"simplify_cfg") {
                // Branch folding may make more code unreachable: nothing may appear.
                for (k, n) in &after {
                    assert!(
                        before.get(k).is_some_and(|m| m >= n),
                        "seed {seed}: {k} appeared\n{text}"
                    );
                }
                continue;
            }
            let (mut b2, mut a2) = (before.clone(), after.clone());
            let rc = |m: &mut BTreeMap<String, usize>, inc: bool| -> usize {
                let names: &[&str] = if inc {
                    &["incref", "xincref"]
                } else {
                    &["decref", "xdecref"]
                };
                names.iter().map(|n| m.remove(*n).unwrap_or(0)).sum()
            };
            let (bi, bd, ai, ad) = (
                rc(&mut b2, true),
                rc(&mut b2, false),
                rc(&mut a2, true),
                rc(&mut a2, false),
            );
            assert_eq!(
                bi - ai,
                bd - ad,
                "seed {seed} {pipeline:?}: unbalanced refcount removal\n{text}"
            );
            // Checks that cannot fire and frame stores nobody reads may go, never appear.
            for k in ["check_tracing", "set_prev_instr"] {
                let (was, now) = (b2.remove(k).unwrap_or(0), a2.remove(k).unwrap_or(0));
                assert!(now <= was, "seed {seed} {pipeline:?}: {k} appeared\n{text}");
            }
            assert_eq!(a2, b2, "seed {seed} {pipeline:?}: effects changed\n{text}");
        }
    }
    // The generator must give every pass something to do, except the passes that work on
    // Python types and feedback, which random functions do not have (their filetests and the
    // differential corpus cover them; here they must still keep every function valid),
    // `catch_types`, which needs handler blocks with typed merges, and `inline`, which needs
    // callee bodies from the driver.
    const TYPED: &[&str] = &[
        "catch_types",
        "inline",
        "specialize",
        "simplify",
        "unbox_params",
        "box_elim",
        "reuse_local_boxes",
        "reuse_item_boxes",
    ];
    for p in PASSES.iter().filter(|p| !TYPED.contains(&p.name)) {
        let n = changed.get(p.name).copied().unwrap_or(0);
        eprintln!("{}: {n}", p.name);
        assert!(
            n >= 20,
            "{} changed only {n} of 400 functions: {changed:?}",
            p.name
        );
    }
}

/// An abstract value: objects are ids (`None` = NULL), ints are kept sign-extended.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Val {
    Obj(Option<u32>),
    Int(i64),
    F(u64),
    Ptr(u64),
}

/// What the outside world can see of a run.
#[derive(Clone, PartialEq, Eq, Debug)]
enum Event {
    /// callee, arguments, reference counts of every object at the call
    Call(String, Vec<Val>, Vec<(u32, i64)>),
    /// kind, frame-state index, stack, reason, locals and reference counts at the exit
    Exit(
        &'static str,
        u32,
        Vec<Val>,
        String,
        Vec<Val>,
        Vec<(u32, i64)>,
    ),
    Return(Val, Vec<Val>, Vec<(u32, i64)>),
    Unreachable,
}

fn wrap(ty: Type, x: i64) -> i64 {
    match ty {
        Type::I8 => x as i8 as i64,
        Type::I32 => x as i32 as i64,
        _ => x,
    }
}

/// Runs `f` from the entry; `None` when it does not finish within the step budget.
fn eval(f: &Function) -> Option<Vec<Event>> {
    use s6_strongjit::Operands as O;
    let mut vals: Vec<Option<Val>> = vec![None; f.values.len()];
    let mut locals: Vec<Val> = (0..f.nlocalsplus)
        .map(|i| Val::Obj(Some(1000 + i)))
        .collect();
    let mut rc: BTreeMap<u32, i64> = BTreeMap::new();
    let mut next_obj = 5000u32;
    let mut events = Vec::new();
    let entry = f.layout[0];
    vals[f.block(entry).params[0].index()] = Some(Val::Ptr(1));
    vals[f.block(entry).params[1].index()] = Some(Val::Ptr(2));
    let mut block = entry;
    let mut steps = 0;
    let snapshot = |rc: &BTreeMap<u32, i64>| {
        rc.iter()
            .map(|(&k, &v)| (k, v))
            .filter(|&(_, v)| v != 0)
            .collect::<Vec<_>>()
    };
    // What a call sees: the counts of the objects it is given (objects the frame holds may
    // carry fewer references there than the interpreter's value stack would add; see
    // `refcount_pairs`). Exits and returns see every count.
    let given = |rc: &BTreeMap<u32, i64>, argv: &[Val]| {
        rc.iter()
            .map(|(&k, &v)| (k, v))
            .filter(|&(k, v)| v != 0 && argv.contains(&Val::Obj(Some(k))))
            .collect::<Vec<_>>()
    };
    loop {
        let mut next: Option<(Block, Vec<Val>)> = None;
        for &i in &f.block(block).insts {
            steps += 1;
            if steps > 2_000 {
                return None;
            }
            let d = f.inst(i);
            let get =
                |v: Value| vals[v.index()].unwrap_or_else(|| panic!("{v} read before written"));
            let int = |v: Value| match get(v) {
                Val::Int(x) => x,
                other => panic!("{v} is {other:?}, not int"),
            };
            let ty0 = d.operands.args().first().map(|&v| f.value_type(v));
            // NULL is a no-op for every refcount op here (the generator may pass `null` to
            // `incref`; passes must not care either way).
            let mut adjust = |v: Val, delta: i64| match v {
                Val::Obj(Some(id)) => *rc.entry(id).or_default() += delta,
                Val::Obj(None) => {}
                other => panic!("refcount op on {other:?}"),
            };
            let res: Vec<Val> = match (&d.opcode, &d.operands) {
                (Opcode::Iconst, O::IntConst { ty, imm }) => vec![Val::Int(wrap(*ty, *imm))],
                (Opcode::Fconst, O::FloatConst { bits }) => vec![Val::F(*bits)],
                (Opcode::Null, _) => vec![Val::Obj(None)],
                (Opcode::LoadLocal, O::UImm { imm }) => vec![locals[*imm as usize]],
                (Opcode::LoadConst, O::UImm { imm }) => vec![Val::Obj(Some(2000 + imm))],
                (Opcode::LoadName, O::UImm { imm }) => vec![Val::Obj(Some(3000 + imm))],
                (Opcode::LoadBinding, O::Binding { binding }) => {
                    vec![Val::Obj(Some(4000 + binding.0))]
                }
                (Opcode::SetPrevInstr, _) => vec![],
                (Opcode::StoreLocal, O::UImmValue { imm, arg }) => {
                    let old = std::mem::replace(&mut locals[*imm as usize], get(*arg));
                    adjust(old, -1);
                    vec![]
                }
                (Opcode::Incref | Opcode::Xincref, O::Unary { arg }) => {
                    adjust(get(*arg), 1);
                    vec![]
                }
                (Opcode::Decref | Opcode::Xdecref, O::Unary { arg }) => {
                    adjust(get(*arg), -1);
                    vec![]
                }
                (op, O::Binary { args: [a, b] }) if ty0.is_some_and(|t| t.is_int()) => {
                    let t = ty0.unwrap();
                    let (x, y) = (int(*a), int(*b));
                    let (r, o) = match op {
                        Opcode::Iadd | Opcode::IaddOvf => (
                            x.wrapping_add(y),
                            x.checked_add(y).is_none_or(|s| wrap(t, s) != s),
                        ),
                        Opcode::Isub | Opcode::IsubOvf => (
                            x.wrapping_sub(y),
                            x.checked_sub(y).is_none_or(|s| wrap(t, s) != s),
                        ),
                        Opcode::Imul | Opcode::ImulOvf => (
                            x.wrapping_mul(y),
                            x.checked_mul(y).is_none_or(|s| wrap(t, s) != s),
                        ),
                        Opcode::And => (x & y, false),
                        Opcode::Or => (x | y, false),
                        Opcode::Xor => (x ^ y, false),
                        _ => panic!("eval: {op} unsupported"),
                    };
                    let r = Val::Int(wrap(t, r));
                    if d.results.len() == 2 {
                        vec![r, Val::Int(o as i64)]
                    } else {
                        vec![r]
                    }
                }
                (Opcode::Icmp, O::IntCompare { cond, args: [a, b] }) => {
                    let (x, y) = match (get(*a), get(*b)) {
                        (Val::Int(x), Val::Int(y)) => (x, y),
                        (Val::Obj(x), Val::Obj(y)) => {
                            (x.map_or(0, i64::from), y.map_or(0, i64::from))
                        }
                        other => panic!("icmp on {other:?}"),
                    };
                    let (ux, uy) = (x as u64, y as u64);
                    let r = match cond {
                        IntCC::Eq => x == y,
                        IntCC::Ne => x != y,
                        IntCC::Slt => x < y,
                        IntCC::Sle => x <= y,
                        IntCC::Sgt => x > y,
                        IntCC::Sge => x >= y,
                        IntCC::Ult => ux < uy,
                        IntCC::Ule => ux <= uy,
                        IntCC::Ugt => ux > uy,
                        IntCC::Uge => ux >= uy,
                    };
                    vec![Val::Int(r as i64)]
                }
                (Opcode::Select, O::Ternary { args: [c, a, b] }) => {
                    vec![if int(*c) != 0 { get(*a) } else { get(*b) }]
                }
                (Opcode::Py, O::Py { op, args, .. }) => {
                    // Observed as the generic call it stands for.
                    let (name, imm) = op.generic();
                    let mut argv: Vec<Val> = args.iter().map(|&a| get(a)).collect();
                    argv.extend(imm.map(|k| Val::Int(i64::from(k))));
                    let seen = given(&rc, &argv);
                    events.push(Event::Call(name.to_string(), argv, seen));
                    next_obj += 1;
                    rc.insert(next_obj, 1);
                    vec![Val::Obj(Some(next_obj))]
                }
                (Opcode::Call, O::Call { callee, args }) => {
                    let argv: Vec<Val> = args.iter().map(|&a| get(a)).collect();
                    let seen = given(&rc, &argv);
                    events.push(Event::Call(callee.name.to_string(), argv, seen));
                    match callee.ret {
                        Some(Type::Obj) => {
                            next_obj += 1;
                            rc.insert(next_obj, 1);
                            vec![Val::Obj(Some(next_obj))]
                        }
                        Some(_) => vec![Val::Int(0)],
                        None => vec![],
                    }
                }
                (
                    Opcode::CheckNull | Opcode::CheckNeg | Opcode::DeoptIf,
                    O::Check { arg: c, fs } | O::DeoptIf { cond: c, fs, .. },
                ) => {
                    let taken = match (d.opcode, get(*c)) {
                        (Opcode::CheckNull, v) => v == Val::Obj(None),
                        (Opcode::CheckNeg, Val::Int(x)) => x < 0,
                        (_, Val::Int(x)) => x != 0,
                        (_, v) => panic!("exit condition {v:?}"),
                    };
                    if taken {
                        let st = f.frame_state(*fs);
                        let reason = if let O::DeoptIf { reason, .. } = &d.operands {
                            reason.clone()
                        } else {
                            String::new()
                        };
                        let stack = st.stack.iter().map(|&v| get(v)).collect();
                        borrow_at_exit(st, &get, &mut rc);
                        events.push(Event::Exit(
                            d.opcode.mnemonic(),
                            st.index,
                            stack,
                            reason,
                            locals.clone(),
                            snapshot(&rc),
                        ));
                        return Some(events);
                    }
                    vec![]
                }
                // Tracing is never on in this world.
                (Opcode::CheckTracing, _) => vec![],
                (Opcode::Deopt | Opcode::Raise, O::Deopt { fs, .. } | O::Raise { fs }) => {
                    let st = f.frame_state(*fs);
                    let reason = if let O::Deopt { reason, .. } = &d.operands {
                        reason.clone()
                    } else {
                        String::new()
                    };
                    let stack = st.stack.iter().map(|&v| get(v)).collect();
                    borrow_at_exit(st, &get, &mut rc);
                    events.push(Event::Exit(
                        d.opcode.mnemonic(),
                        st.index,
                        stack,
                        reason,
                        locals.clone(),
                        snapshot(&rc),
                    ));
                    return Some(events);
                }
                (Opcode::Return, O::Unary { arg }) => {
                    events.push(Event::Return(get(*arg), locals.clone(), snapshot(&rc)));
                    return Some(events);
                }
                (Opcode::Unreachable, _) => {
                    events.push(Event::Unreachable);
                    return Some(events);
                }
                (Opcode::Jump, O::Jump { dest }) => {
                    next = Some((dest.block, dest.args.iter().map(|&a| get(a)).collect()));
                    vec![]
                }
                (
                    Opcode::Branch,
                    O::Branch {
                        cond,
                        then_dest,
                        else_dest,
                    },
                ) => {
                    let dest = if int(*cond) != 0 {
                        then_dest
                    } else {
                        else_dest
                    };
                    next = Some((dest.block, dest.args.iter().map(|&a| get(a)).collect()));
                    vec![]
                }
                (op, _) => panic!("eval: {op} unsupported"),
            };
            for (&r, v) in d.results.iter().zip(res) {
                vals[r.index()] = Some(v);
            }
        }
        let (b, args) = next.expect("block fell through");
        for (&p, a) in f.block(b).params.iter().zip(args) {
            vals[p.index()] = Some(a);
        }
        block = b;
    }
}

/// An exit increfs the entries its frame state borrows before handing them over.
fn borrow_at_exit(
    st: &s6_strongjit::FrameState,
    get: &dyn Fn(Value) -> Val,
    rc: &mut BTreeMap<u32, i64>,
) {
    for (k, &v) in st.stack.iter().enumerate() {
        if st.is_borrowed(k)
            && let Val::Obj(Some(o)) = get(v)
        {
            *rc.entry(o).or_default() += 1;
        }
    }
}

#[test]
fn passes_preserve_observable_behaviour() {
    let mut conclusive = 0;
    let total = 400;
    for seed in 0..total {
        let f = generate(seed);
        let Some(want) = eval(&f) else { continue };
        conclusive += 1;
        let mut pipelines: Vec<Vec<&str>> = PASSES.iter().map(|p| vec![p.name]).collect();
        pipelines.push(DEFAULT_PIPELINE.to_vec());
        for pipeline in pipelines {
            let mut g = f.clone();
            run_pipeline(&mut g, &pipeline, None).unwrap();
            let got = eval(&g)
                .unwrap_or_else(|| panic!("seed {seed} {pipeline:?}: no longer terminates"));
            assert_eq!(
                got,
                want,
                "seed {seed} {pipeline:?}\ninput:\n{}\noutput:\n{}",
                print(&f),
                print(&g)
            );
        }
    }
    eprintln!("{conclusive} of {total} generated functions terminate");
    assert!(
        conclusive >= total / 4,
        "only {conclusive} of {total} generated functions terminate"
    );
}
