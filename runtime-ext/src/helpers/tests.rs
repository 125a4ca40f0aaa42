//! Helper tests against the embedded interpreter: each helper's result or exception (type and
//! message) must equal what CPython's own instruction produces for the same operands.

use super::{build, calls, names, ops, unpack};
use pyo3::Python;
use pyo3_ffi::*;
use s6_py311::layout::frame;
use std::ffi::{CStr, CString};
use std::ptr;

/// Runs `code` in a fresh namespace (with builtins) and returns the namespace (new ref).
unsafe fn run(code: &str) -> *mut PyObject {
    // SAFETY: GIL held by the caller; C-API on fresh objects.
    unsafe {
        let g = PyDict_New();
        PyDict_SetItemString(g, c"__builtins__".as_ptr(), PyEval_GetBuiltins());
        let src = CString::new(code).unwrap();
        let r = PyRun_String(src.as_ptr(), Py_file_input, g, g);
        assert!(!r.is_null(), "test setup failed: {code}");
        Py_DECREF(r);
        g
    }
}

/// `ns[name]` (borrowed).
unsafe fn get(ns: *mut PyObject, name: &CStr) -> *mut PyObject {
    // SAFETY: GIL held; ns is a dict.
    let v = unsafe { PyDict_GetItemString(ns, name.as_ptr()) };
    assert!(!v.is_null(), "{name:?} missing");
    v
}

/// `repr(o)`.
unsafe fn repr(o: *mut PyObject) -> String {
    // SAFETY: GIL held, o live.
    unsafe {
        let r = PyObject_Repr(o);
        let s = CStr::from_ptr(PyUnicode_AsUTF8(r))
            .to_string_lossy()
            .into_owned();
        Py_DECREF(r);
        s
    }
}

/// The pending exception as `Type: message`, cleared.
unsafe fn take_err() -> String {
    // SAFETY: GIL held; an exception is pending.
    unsafe {
        assert!(!PyErr_Occurred().is_null(), "expected an exception");
        let (mut t, mut v, mut tb) = (ptr::null_mut(), ptr::null_mut(), ptr::null_mut());
        PyErr_Fetch(&mut t, &mut v, &mut tb);
        PyErr_NormalizeException(&mut t, &mut v, &mut tb);
        let name = CStr::from_ptr((*(t as *mut PyTypeObject)).tp_name)
            .to_string_lossy()
            .into_owned();
        let s = PyObject_Str(v);
        let msg = CStr::from_ptr(PyUnicode_AsUTF8(s))
            .to_string_lossy()
            .into_owned();
        Py_DECREF(s);
        Py_XDECREF(t);
        Py_XDECREF(v);
        Py_XDECREF(tb);
        format!("{name}: {msg}")
    }
}

/// What the interpreter raises for `stmt` in `ns`, as `Type: message`.
unsafe fn python_err(ns: *mut PyObject, stmt: &str) -> String {
    // SAFETY: GIL held.
    unsafe {
        let src = CString::new(stmt).unwrap();
        let r = PyRun_String(src.as_ptr(), Py_file_input, ns, ns);
        assert!(r.is_null(), "{stmt} should raise");
        take_err()
    }
}

/// Word index of the frame field at byte offset `off`.
fn word(off: i32) -> usize {
    (off / s6_py311::layout::PTR) as usize
}

/// A zeroed `_PyInterpreterFrame` with globals/builtins and `slots` localsplus words.
struct FakeFrame(Vec<*mut PyObject>);

impl FakeFrame {
    unsafe fn new(globals: *mut PyObject, slots: usize) -> FakeFrame {
        let mut w = vec![ptr::null_mut(); frame::SPECIALS_SIZE as usize + slots];
        w[word(frame::F_GLOBALS)] = globals;
        // SAFETY: GIL held.
        w[word(frame::F_BUILTINS)] = unsafe { PyEval_GetBuiltins() };
        FakeFrame(w)
    }
    fn f(&mut self) -> *mut super::frame::Frame {
        self.0.as_mut_ptr().cast()
    }
    fn slot(&mut self, i: usize) -> &mut *mut PyObject {
        &mut self.0[frame::SPECIALS_SIZE as usize + i]
    }
}

fn with_python(body: impl FnOnce()) {
    Python::initialize();
    Python::attach(|_py| body());
}

#[test]
fn binary_op_matches_every_operator() {
    // SAFETY: `with_python` holds the GIL; the helpers get live objects and a FakeFrame laid
    // out as they read it.
    with_python(|| unsafe {
        let ns = run("import operator as o\na = 7\nb = 3\n");
        let ops = [
            "a + b", "a & b", "a // b", "a << b", "", "a * b", "a % b", "a | b", "a ** b",
            "a >> b", "a - b", "a / b", "a ^ b",
        ];
        for (i, expr) in ops.iter().enumerate() {
            for inplace in [0u32, 13] {
                let got = ops::s6_rt_binary_op(get(ns, c"a"), get(ns, c"b"), i as u32 + inplace);
                if expr.is_empty() {
                    assert!(got.is_null());
                    let e = take_err();
                    assert!(
                        e.starts_with("TypeError: unsupported operand type(s) for @"),
                        "{e}"
                    );
                    continue;
                }
                let src = CString::new(*expr).unwrap();
                let want = PyRun_String(src.as_ptr(), Py_eval_input, ns, ns);
                assert_eq!(repr(got), repr(want), "oparg {}", i as u32 + inplace);
                Py_DECREF(got);
                Py_DECREF(want);
            }
        }
    });
}

#[test]
fn format_value_conversions_and_spec() {
    // SAFETY: `with_python` holds the GIL; the helpers get live objects and a FakeFrame laid
    // out as they read it.
    with_python(|| unsafe {
        let ns = run("x = 'h\u{e9}'\nspec = '>8'\ny = 2.5\n");
        let cases: [(&CStr, u32, bool, &str); 5] = [
            (c"x", 0, false, "f'{x}'"),
            (c"x", 2, false, "f'{x!r}'"),
            (c"x", 3, true, "f'{x!a:{spec}}'"),
            (c"y", 4, true, "f'{y:{spec}}'"),
            (c"y", 1, false, "f'{y!s}'"),
        ];
        for (name, oparg, spec, fstring) in cases {
            let s = if spec {
                get(ns, c"spec")
            } else {
                ptr::null_mut()
            };
            let r = ops::s6_rt_format_value(get(ns, name), s, oparg);
            assert!(!r.is_null());
            let src = CString::new(fstring).unwrap();
            let want = PyRun_String(src.as_ptr(), Py_eval_input, ns, ns);
            assert_eq!(repr(r), repr(want), "{fstring}");
            Py_DECREF(r);
            Py_DECREF(want);
        }
    });
}

#[test]
fn raise_forms_match_do_raise() {
    // SAFETY: `with_python` holds the GIL; the helpers get live objects and a FakeFrame laid
    // out as they read it.
    with_python(|| unsafe {
        let ns = run("class E(Exception): pass\nclass NotExc: pass\n");
        let e = get(ns, c"E");
        Py_INCREF(e);
        ops::s6_rt_raise(e, ptr::null_mut());
        assert_eq!(take_err(), "E: ");
        let five = PyLong_FromLong(5);
        ops::s6_rt_raise(five, ptr::null_mut());
        assert_eq!(take_err(), python_err(ns, "raise 5"));
        Py_INCREF(e);
        let bad_cause = PyLong_FromLong(1);
        ops::s6_rt_raise(e, bad_cause);
        assert_eq!(take_err(), python_err(ns, "raise E from 1"));
        // `raise E from None` sets __cause__ None and suppresses the context.
        Py_INCREF(e);
        Py_INCREF(Py_None());
        ops::s6_rt_raise(e, Py_None());
        let (mut t, mut v, mut tb) = (ptr::null_mut(), ptr::null_mut(), ptr::null_mut());
        PyErr_Fetch(&mut t, &mut v, &mut tb);
        PyErr_NormalizeException(&mut t, &mut v, &mut tb);
        let sup = PyObject_GetAttrString(v, c"__suppress_context__".as_ptr());
        assert_eq!(sup, Py_True());
        Py_DECREF(sup);
        Py_XDECREF(t);
        Py_XDECREF(v);
        Py_XDECREF(tb);
    });
}

#[test]
fn unpack_results_and_errors() {
    // SAFETY: `with_python` holds the GIL; the helpers get live objects and a FakeFrame laid
    // out as they read it.
    with_python(|| unsafe {
        let ns = run("l = [1, 2]\nr = range(3)\nr5 = range(5)\nn = 5\n");
        let mut fr = FakeFrame::new(ns, 8);
        assert_eq!(
            unpack::s6_rt_unpack_sequence(fr.f(), 0, get(ns, c"l"), 2),
            0
        );
        // First item on top (the higher slot).
        assert_eq!(
            (repr(*fr.slot(1)), repr(*fr.slot(0))),
            ("1".into(), "2".into())
        );
        assert_eq!(
            unpack::s6_rt_unpack_sequence(fr.f(), 0, get(ns, c"r"), 2),
            -1
        );
        assert_eq!(take_err(), python_err(ns, "a, b = r"));
        assert_eq!(
            unpack::s6_rt_unpack_sequence(fr.f(), 0, get(ns, c"r"), 4),
            -1
        );
        assert_eq!(take_err(), python_err(ns, "a, b, c, d = r"));
        assert_eq!(
            unpack::s6_rt_unpack_sequence(fr.f(), 0, get(ns, c"n"), 2),
            -1
        );
        assert_eq!(take_err(), python_err(ns, "a, b = n"));
        // a, *b, c = range(5): slots bottom-up are c, b, a.
        assert_eq!(
            unpack::s6_rt_unpack_ex(fr.f(), 0, get(ns, c"r5"), 1 | (1 << 8)),
            0
        );
        let got: Vec<String> = (0..3).map(|i| repr(*fr.slot(i))).collect();
        assert_eq!(got, ["4", "[1, 2, 3]", "0"]);
        assert_eq!(
            unpack::s6_rt_unpack_ex(fr.f(), 0, get(ns, c"r"), 2 | (2 << 8)),
            -1
        );
        assert_eq!(take_err(), python_err(ns, "a, b, *c, d, e = r"));
    });
}

#[test]
fn load_global_lookup_and_name_error() {
    // SAFETY: `with_python` holds the GIL; the helpers get live objects and a FakeFrame laid
    // out as they read it.
    with_python(|| unsafe {
        let ns = run("x = 42\n");
        let mut fr = FakeFrame::new(ns, 0);
        let x = PyUnicode_FromString(c"x".as_ptr());
        let v = names::s6_rt_load_global(fr.f(), x);
        assert_eq!(repr(v), "42");
        Py_DECREF(v);
        let len = PyUnicode_FromString(c"len".as_ptr());
        let v = names::s6_rt_load_global(fr.f(), len);
        assert_eq!(repr(v), "<built-in function len>");
        Py_DECREF(v);
        let nope = PyUnicode_FromString(c"nope".as_ptr());
        assert!(names::s6_rt_load_global(fr.f(), nope).is_null());
        let (mut t, mut e, mut tb) = (ptr::null_mut(), ptr::null_mut(), ptr::null_mut());
        PyErr_Fetch(&mut t, &mut e, &mut tb);
        PyErr_NormalizeException(&mut t, &mut e, &mut tb);
        assert_eq!(repr(e), "NameError(\"name 'nope' is not defined\")");
        let name = PyObject_GetAttrString(e, c"name".as_ptr());
        assert_eq!(repr(name), "'nope'");
        for o in [name, t, e, x, len, nope] {
            Py_DECREF(o);
        }
        Py_XDECREF(tb);
        assert_eq!(
            names::s6_rt_delete_global(fr.f(), PyUnicode_FromString(c"gone".as_ptr())),
            -1
        );
        assert_eq!(take_err(), "NameError: name 'gone' is not defined");
    });
}

#[test]
fn call_with_keywords_and_method_slot() {
    // SAFETY: `with_python` holds the GIL; the helpers get live objects and a FakeFrame laid
    // out as they read it.
    with_python(|| unsafe {
        let ns = run("def f(a, b=0, *, k=None): return (a, b, k)\nkw = ('k',)\n");
        let mut fr = FakeFrame::new(ns, 8);
        let f = get(ns, c"f");
        Py_INCREF(f);
        *fr.slot(0) = ptr::null_mut();
        *fr.slot(1) = f;
        *fr.slot(2) = PyLong_FromLong(1);
        *fr.slot(3) = PyLong_FromLong(2);
        *fr.slot(4) = PyLong_FromLong(3);
        let r = calls::s6_rt_call(fr.f(), 0, 3, get(ns, c"kw"));
        assert_eq!(repr(r), "(1, 2, 3)");
        Py_DECREF(r);
        // [method, self, arg]: the method slot is the callable, self the first argument.
        Py_INCREF(f);
        *fr.slot(0) = f;
        *fr.slot(1) = PyLong_FromLong(7);
        *fr.slot(2) = PyLong_FromLong(8);
        let r = calls::s6_rt_call(fr.f(), 0, 1, ptr::null_mut());
        assert_eq!(repr(r), "(7, 8, None)");
        Py_DECREF(r);
        // f(*5): CPython's message.
        Py_INCREF(f);
        *fr.slot(0) = ptr::null_mut();
        *fr.slot(1) = f;
        *fr.slot(2) = PyLong_FromLong(5);
        assert!(calls::s6_rt_call_ex(fr.f(), 0, 0).is_null());
        assert_eq!(take_err(), python_err(ns, "f(*5)"));
    });
}

#[test]
fn builders_and_method_loads() {
    // SAFETY: `with_python` holds the GIL; the helpers get live objects and a FakeFrame laid
    // out as they read it.
    with_python(|| unsafe {
        let ns = run("keys = ('a', 'b')\n");
        let mut fr = FakeFrame::new(ns, 8);
        *fr.slot(0) = PyLong_FromLong(1);
        *fr.slot(1) = PyLong_FromLong(2);
        Py_INCREF(get(ns, c"keys"));
        *fr.slot(2) = get(ns, c"keys");
        let d = build::s6_rt_build_const_key_map(fr.f(), 0, 2);
        assert_eq!(repr(d), "{'a': 1, 'b': 2}");
        *fr.slot(0) = PyUnicode_FromString(c"x".as_ptr());
        *fr.slot(1) = PyUnicode_FromString(c"yz".as_ptr());
        let s = build::s6_rt_build_string(fr.f(), 0, 2);
        assert_eq!(repr(s), "'xyz'");
        *fr.slot(0) = PyLong_FromLong(3);
        *fr.slot(1) = PyLong_FromLong(3);
        let st = build::s6_rt_build_set(fr.f(), 0, 2);
        assert_eq!(repr(st), "{3}");
        let mut lower = ptr::null_mut();
        let list = PyList_New(0);
        let append = PyUnicode_FromString(c"append".as_ptr());
        let upper = ops::s6_rt_load_method(list, append, &mut lower);
        assert_eq!(upper, list);
        assert_eq!(repr(lower), "<method 'append' of 'list' objects>");
        for o in [d, s, st, lower, upper, append] {
            Py_DECREF(o);
        }
        let one = PyLong_FromLong(1);
        let mut exit = ptr::null_mut();
        assert!(ops::s6_rt_before_with(one, &mut exit).is_null());
        assert!(exit.is_null());
        assert_eq!(take_err(), python_err(ns, "with 1: pass"));
        let it = PyObject_GetIter(get(ns, c"keys"));
        for _ in 0..2 {
            let v = ops::s6_rt_for_iter(it);
            assert!(!v.is_null());
            Py_DECREF(v);
        }
        assert!(ops::s6_rt_for_iter(it).is_null());
        assert!(PyErr_Occurred().is_null(), "exhaustion is not an error");
        Py_DECREF(it);
    });
}

#[test]
fn import_from_messages() {
    // SAFETY: `with_python` holds the GIL; the helpers get live objects and a FakeFrame laid
    // out as they read it.
    with_python(|| unsafe {
        let ns = run("import os\n");
        let name = PyUnicode_FromString(c"nope".as_ptr());
        assert!(names::s6_rt_import_from(get(ns, c"os"), name).is_null());
        assert_eq!(take_err(), python_err(ns, "from os import nope"));
        let sep = PyUnicode_FromString(c"sep".as_ptr());
        let v = names::s6_rt_import_from(get(ns, c"os"), sep);
        assert_eq!(repr(v), "'/'");
        Py_DECREF(v);
        Py_DECREF(sep);
        Py_DECREF(name);
    });
}

#[test]
fn pattern_matching_helpers() {
    // SAFETY: `with_python` holds the GIL; the helpers get live objects and a FakeFrame laid
    // out as they read it.
    with_python(|| unsafe {
        let ns = run(concat!(
            "class P:\n    __match_args__ = ('x', 'y')\n    def __init__(s): s.x, s.y = 1, 2\n",
            "p = P()\nnames = ('y',)\nnone = ()\nk2 = ('a', 'b')\nkdup = ('a', 'a')\nd = {'a': 1, 'b': 2}\n",
            "d1 = {'a': 1}\nthree = 3\n",
        ));
        let (p, ty) = (get(ns, c"p"), get(ns, c"P"));
        let r = super::matching::s6_rt_match_class(p, ty, get(ns, c"names"), 1);
        assert_eq!(repr(r), "(1, 2)");
        Py_DECREF(r);
        let r = super::matching::s6_rt_match_class(get(ns, c"three"), ty, get(ns, c"none"), 0);
        assert_eq!(r, Py_None());
        Py_DECREF(r);
        assert!(super::matching::s6_rt_match_class(p, ty, get(ns, c"none"), 3).is_null());
        assert_eq!(
            take_err(),
            python_err(ns, "match p:\n    case P(1, 2, 3): pass")
        );
        // int matches itself positionally (_Py_TPFLAGS_MATCH_SELF).
        let int_ty = Py_TYPE(get(ns, c"three")) as *mut PyObject;
        let r = super::matching::s6_rt_match_class(get(ns, c"three"), int_ty, get(ns, c"none"), 1);
        assert_eq!(repr(r), "(3,)");
        Py_DECREF(r);
        let r = super::matching::s6_rt_match_keys(get(ns, c"d"), get(ns, c"k2"));
        assert_eq!(repr(r), "(1, 2)");
        Py_DECREF(r);
        let r = super::matching::s6_rt_match_keys(get(ns, c"d1"), get(ns, c"k2"));
        assert_eq!(r, Py_None());
        Py_DECREF(r);
        assert!(super::matching::s6_rt_match_keys(get(ns, c"d"), get(ns, c"kdup")).is_null());
        assert_eq!(
            take_err(),
            "ValueError: mapping pattern checks duplicate key ('a')"
        );
    });
}
