; run: dce
; A dead chain goes, effects and frame-state uses stay.
function "s6::t.dce" nlocalsplus=1 stacksize=1 {
  fs0 = state @4 [v3]
bb0(v0: ptr, v1: ptr):
  v2 = load_local 0
  v3 = load_const 0
  v4 = iconst.i64 1
  v5 = iadd v4, v4
  v6 = imul v5, v5
  v7 = call PyNumber_Add(v2, v2)
  incref v2
  v8 = iconst.i8 0
  deopt_if v8, fs0, "never"
  v9 = load.i64 v2, 0
  return v2
}
; check: fs0 = state @4 [v3]
; check: v2 = load_local 0
; nextln: v3 = load_const 0
; nextln: v7 = call PyNumber_Add(v2, v2)
; nextln: incref v2
; nextln: v8 = iconst.i8 0
; nextln: deopt_if v8, fs0, "never"
; nextln: return v2
; not: iadd
; not: imul
; not: load.i64
