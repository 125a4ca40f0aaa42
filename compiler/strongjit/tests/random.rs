//! Randomized checks: many generated valid functions (random CFGs with loops, unreachable
//! blocks, block params, exits, refcounts) must stay valid through every pass and the default
//! pipeline, round-trip through the text format, and keep their effects (passes may only drop
//! pure instructions, matched refcount pairs, and control flow).

use s6_strongjit::passes::{DEFAULT_PIPELINE, PASSES};
use s6_strongjit::{
    Block, Function, FunctionBuilder, IntCC, Opcode, Type, Value, parse, print, run_pipeline,
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
        for _ in 0..r.below(8) {
            let obj = r.pick(avail.of(Type::Obj)).unwrap();
            let int = r.pick(avail.of(Type::I64)).unwrap();
            let flag = r.pick(avail.of(Type::I8)).unwrap();
            match r.below(10) {
                0 => {
                    let v = b.iadd(int, int);
                    avail.add(Type::I64, v);
                }
                1 => {
                    let v = b.icmp(IntCC::Slt, int, int);
                    avail.add(Type::I8, v);
                }
                2 => {
                    let v = b.select(flag, obj, obj);
                    avail.add(Type::Obj, v);
                }
                3 => {
                    b.incref(obj);
                    if r.below(2) == 0 {
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
            *m.entry(op.mnemonic().to_string()).or_default() += 1;
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
            assert_eq!(a2, b2, "seed {seed} {pipeline:?}: effects changed\n{text}");
        }
    }
    // The generator must give every pass something to do.
    for p in PASSES {
        let n = changed.get(p.name).copied().unwrap_or(0);
        eprintln!("{}: {n}", p.name);
        assert!(
            n >= 20,
            "{} changed only {n} of 400 functions: {changed:?}",
            p.name
        );
    }
}
