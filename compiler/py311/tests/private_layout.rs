//! Layouts of objects whose structs are private to CPython's .c files (no header to compile
//! against): read back from live objects through `ctypes`, after one `next()`, and compared
//! with `s6_py311::layout`.

mod common;

use s6_py311::layout::{range_iter, seq_iter};

#[test]
fn iterator_layouts_match_live_objects() {
    let script = format!(
        "import ctypes\n\
         def at(o, off, t=ctypes.c_ssize_t): return t.from_address(id(o) + off).value\n\
         it = iter(range(5, 100, 3)); next(it)\n\
         print(at(it, {ri}), at(it, {rs}), at(it, {rp}), at(it, {rl}))\n\
         for seq in ([1, 2, 3], (1, 2, 3)):\n\
         \x20   it = iter(seq); next(it)\n\
         \x20   print(type(it).__name__, at(it, {si}), at(it, {sq}, ctypes.c_void_p) == id(seq))\n",
        ri = range_iter::INDEX,
        rs = range_iter::START,
        rp = range_iter::STEP,
        rl = range_iter::LEN,
        si = seq_iter::IT_INDEX,
        sq = seq_iter::IT_SEQ,
    );
    let out = common::run_python(&["-c", &script]);
    assert_eq!(
        out, "1 5 3 32\nlist_iterator 1 True\ntuple_iterator 1 True\n",
        "index, start, step, len of a range iterator; index and sequence of list/tuple iterators"
    );
}
