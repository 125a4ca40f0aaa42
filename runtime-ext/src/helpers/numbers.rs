//! Float arithmetic that specialized code calls with unboxed operands: `//`, `%` and `**` as
//! `floatobject.c` computes them (`float_floor_div`, `float_rem`, `float_pow`), on plain
//! doubles. No Python objects, no GIL needed, no errors: the caller has already deopted on a
//! zero divisor, and `s6_rt_float_pow` reports the cases it leaves to the interpreter (errors,
//! complex results) by returning 0.

// The C library's functions that `math`'s one-argument functions call (`FUNC1` in
// mathmodule.c: `math.sin` is `math_1(x, sin, 0)`). Calling the same `libm` as the `math`
// module gives the same bits; specialized code checks the result as `math_1` does and leaves
// domain and range errors to the real function.
unsafe extern "C" {
    safe fn sin(x: f64) -> f64;
    safe fn cos(x: f64) -> f64;
    safe fn tan(x: f64) -> f64;
    safe fn atan(x: f64) -> f64;
    safe fn exp(x: f64) -> f64;
    safe fn sqrt(x: f64) -> f64;
    safe fn fabs(x: f64) -> f64;
}

/// `sin(x)` of the C library, for `math.sin` on a double.
#[unsafe(no_mangle)]
pub extern "C" fn s6_rt_math_sin(x: f64) -> f64 {
    sin(x)
}

/// `cos(x)` of the C library, for `math.cos` on a double.
#[unsafe(no_mangle)]
pub extern "C" fn s6_rt_math_cos(x: f64) -> f64 {
    cos(x)
}

/// `tan(x)` of the C library, for `math.tan` on a double.
#[unsafe(no_mangle)]
pub extern "C" fn s6_rt_math_tan(x: f64) -> f64 {
    tan(x)
}

/// `atan(x)` of the C library, for `math.atan` on a double.
#[unsafe(no_mangle)]
pub extern "C" fn s6_rt_math_atan(x: f64) -> f64 {
    atan(x)
}

/// `exp(x)` of the C library, for `math.exp` on a double.
#[unsafe(no_mangle)]
pub extern "C" fn s6_rt_math_exp(x: f64) -> f64 {
    exp(x)
}

/// `sqrt(x)` of the C library, for `math.sqrt` on a double.
#[unsafe(no_mangle)]
pub extern "C" fn s6_rt_math_sqrt(x: f64) -> f64 {
    sqrt(x)
}

/// `fabs(x)` of the C library, for `math.fabs` on a double.
#[unsafe(no_mangle)]
pub extern "C" fn s6_rt_math_fabs(x: f64) -> f64 {
    fabs(x)
}

/// `DOUBLE_IS_ODD_INTEGER`.
fn is_odd_integer(x: f64) -> bool {
    (x.abs() % 2.0) == 1.0
}

/// `vx // wx` for `wx != 0`, as `_float_div_mod` computes the quotient.
#[unsafe(no_mangle)]
pub extern "C" fn s6_rt_float_floordiv(vx: f64, wx: f64) -> f64 {
    let m = vx % wx;
    let mut div = (vx - m) / wx;
    if m != 0.0 && ((wx < 0.0) != (m < 0.0)) {
        div -= 1.0;
    }
    if div != 0.0 {
        let mut floordiv = div.floor();
        if div - floordiv > 0.5 {
            floordiv += 1.0;
        }
        floordiv
    } else {
        0.0f64.copysign(vx / wx)
    }
}

/// `vx % wx` for `wx != 0`, as `float_rem` computes it.
#[unsafe(no_mangle)]
pub extern "C" fn s6_rt_float_mod(vx: f64, wx: f64) -> f64 {
    let m = vx % wx;
    if m != 0.0 {
        if (wx < 0.0) != (m < 0.0) { m + wx } else { m }
    } else {
        0.0f64.copysign(wx)
    }
}

/// `iv ** iw` as `float_pow` computes it, written to `*out`; returns 1. Returns 0 (and writes
/// nothing) where `float_pow` would raise or return a complex number: the caller then lets the
/// interpreter run the operation.
///
/// # Safety
/// `out` points to writable memory for one double.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn s6_rt_float_pow(iv: f64, iw: f64, out: *mut f64) -> i32 {
    let r = float_pow(iv, iw);
    if let Some(x) = r {
        // SAFETY: `out` is writable per the contract.
        unsafe { *out = x };
    }
    i32::from(r.is_some())
}

fn float_pow(mut iv: f64, iw: f64) -> Option<f64> {
    if iw == 0.0 {
        return Some(1.0);
    }
    if iv.is_nan() {
        return Some(iv);
    }
    if iw.is_nan() {
        return Some(if iv == 1.0 { 1.0 } else { iw });
    }
    if iw.is_infinite() {
        let a = iv.abs();
        return Some(if a == 1.0 {
            1.0
        } else if (iw > 0.0) == (a > 1.0) {
            iw.abs()
        } else {
            0.0
        });
    }
    if iv.is_infinite() {
        let odd = is_odd_integer(iw);
        return Some(if iw > 0.0 {
            if odd { iv } else { iv.abs() }
        } else if odd {
            0.0f64.copysign(iv)
        } else {
            0.0
        });
    }
    if iv == 0.0 {
        if iw < 0.0 {
            return None; // ZeroDivisionError
        }
        return Some(if is_odd_integer(iw) { iv } else { 0.0 });
    }
    let mut negate = false;
    if iv < 0.0 {
        if iw != iw.floor() {
            return None; // a complex result
        }
        iv = -iv;
        negate = is_odd_integer(iw);
    }
    if iv == 1.0 {
        return Some(if negate { -1.0 } else { 1.0 });
    }
    let x = iv.powf(iw);
    if x.is_infinite() {
        return None; // OverflowError (errno ERANGE)
    }
    Some(if negate { -x } else { x })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn floor_division_and_modulo_follow_python() {
        // (a, b, a // b, a % b) as CPython 3.11 prints them.
        let cases: [(f64, f64, f64, f64); 9] = [
            (7.0, 2.0, 3.0, 1.0),
            (-7.0, 2.0, -4.0, 1.0),
            (7.0, -2.0, -4.0, -1.0),
            (-7.0, -2.0, 3.0, -1.0),
            (0.0, -3.0, -0.0, -0.0),
            (-0.0, 3.0, -0.0, 0.0),
            (1e300, 1e-300, f64::INFINITY, 2.9e-301),
            (5.5, 0.5, 11.0, 0.0),
            (-5.5, 0.5, -11.0, 0.0),
        ];
        for (a, b, q, r) in cases {
            let (gq, gr) = (s6_rt_float_floordiv(a, b), s6_rt_float_mod(a, b));
            assert_eq!(gq.to_bits(), q.to_bits(), "{a} // {b} = {gq}");
            if r != 2.9e-301 {
                assert_eq!(gr.to_bits(), r.to_bits(), "{a} % {b} = {gr}");
            }
        }
    }

    #[test]
    fn power_handles_or_declines_like_float_pow() {
        assert_eq!(float_pow(2.0, 10.0), Some(1024.0));
        assert_eq!(float_pow(2.0, -1.5), Some(2f64.powf(-1.5)));
        assert_eq!(float_pow(-2.0, 3.0), Some(-8.0));
        assert_eq!(float_pow(-2.0, 2.0), Some(4.0));
        assert_eq!(float_pow(-8.0, 1.0 / 3.0), None); // complex
        assert_eq!(float_pow(0.0, -1.0), None); // ZeroDivisionError
        assert_eq!(float_pow(10.0, 400.0), None); // OverflowError
        assert_eq!(float_pow(0.0, 0.0), Some(1.0));
        assert_eq!(
            float_pow(-0.0, 3.0).map(f64::to_bits),
            Some((-0.0f64).to_bits())
        );
        assert_eq!(float_pow(1.0, f64::NAN), Some(1.0));
        assert_eq!(float_pow(-1.0, 1e300), Some(1.0));
        assert_eq!(float_pow(f64::INFINITY, -3.0), Some(0.0));
        assert_eq!(float_pow(f64::NEG_INFINITY, 3.0), Some(f64::NEG_INFINITY));
        assert_eq!(float_pow(0.5, f64::INFINITY), Some(0.0));
    }
}
