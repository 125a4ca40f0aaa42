//! Builder + printer: the text form of built functions.

use s6_strongjit::{BindingKind, FunctionBuilder, IntCC, Type, print, print_annotated};

#[test]
fn builds_and_prints_spec_example() {
    let mut b = FunctionBuilder::new("s6::mod.f", 3, 4);
    let ty = b.binding(BindingKind::Type("builtins.int".into()));
    b.set_loc(Some(2));
    let x = b.load_local(0);
    b.incref(x);
    let fs = b.frame_state(4, &[x]);
    b.set_loc(Some(4));
    let r = b.call_value("PyNumber_Add", &[x, x]);
    b.check_null(r, fs);
    let t = b.load_binding(ty);
    let k = b.load(Type::Ptr, r, 8);
    let c = b.icmp(IntCC::Ne, k, t);
    b.deopt_if(c, fs, "not \"int\"");
    let (s, o) = b.iadd_ovf(c, c);
    let _ = (s, o);
    b.decref(x);
    let exit = b.create_block();
    let p = b.append_block_param(exit, Type::Obj);
    b.set_loc(None);
    b.jump(exit, &[r]);
    b.switch_to_block(exit);
    b.ret(p);
    let f = b.finish();
    let expected = r#"function "s6::mod.f" nlocalsplus=3 stacksize=4 {
  b0 = type "builtins.int"
  fs0 = state @4 [v2]
bb0(v0: ptr, v1: ptr):
  v2 = load_local 0 @2
  incref v2 @2
  v3 = call PyNumber_Add(v2, v2) @4
  check_null v3, fs0 @4
  v4 = load_binding b0 @4
  v5 = load.ptr v3, 8 @4
  v6 = icmp.ne v5, v4 @4
  deopt_if v6, fs0, "not \"int\"" @4
  v7, v8 = iadd_ovf v6, v6 @4
  decref v2 @4
  jump bb1(v3)
bb1(v9: obj):
  return v9
}
"#;
    assert_eq!(print(&f), expected);
    let annotated = print_annotated(&f, &|loc| (loc == 4).then(|| "x + x  (m.py:7)".to_string()));
    assert!(
        annotated.contains("  incref v2 @2\n  ; x + x  (m.py:7)\n  v3 = call"),
        "{annotated}"
    );
}

#[test]
fn floats_print_exactly() {
    use s6_strongjit::write::format_float;
    for x in [
        1.5,
        0.1,
        -0.0,
        1e300,
        f64::MIN_POSITIVE,
        5e-324,
        f64::INFINITY,
        f64::NEG_INFINITY,
    ] {
        let s = format_float(x.to_bits());
        let back: f64 = match s.as_str() {
            "inf" => f64::INFINITY,
            "-inf" => f64::NEG_INFINITY,
            _ => s.parse().unwrap(),
        };
        assert_eq!(back.to_bits(), x.to_bits(), "{s}");
    }
    assert_eq!(format_float(f64::NAN.to_bits()), "nan:0x7ff8000000000000");
}

/// The driver builds functions on several threads.
#[test]
fn ir_is_send_and_sync() {
    fn check<T: Send + Sync + 'static>() {}
    check::<s6_strongjit::Function>();
    check::<s6_strongjit::FunctionBuilder>();
    check::<s6_strongjit::VerifierErrors>();
    check::<s6_strongjit::ParseError>();
}
