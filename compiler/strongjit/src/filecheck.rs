//! A tiny FileCheck for IR tests: directives in `;` comments are matched against output text.
//!
//! * `; check: PAT`  — PAT occurs on some line at or after the line after the previous match.
//! * `; nextln: PAT` — PAT occurs on the line right after the previous match.
//! * `; not: PAT`    — PAT occurs on no line between the previous match and the next
//!   `check`/`nextln` match (or the end of the output).
//!
//! Patterns are plain substrings with surrounding whitespace trimmed (no regexes, no
//! variables: strongjit ids are stable across passes, so tests can name them).

/// One directive.
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum Directive {
    Check(String),
    NextLn(String),
    Not(String),
}

/// The directives in `text`, in order (lines like `; check: v3 = null`).
pub fn directives(text: &str) -> Vec<Directive> {
    text.lines()
        .filter_map(|line| {
            let rest = line.trim_start().strip_prefix(';')?.trim_start();
            let (word, pat) = rest.split_once(':')?;
            let pat = pat.trim().to_string();
            match word {
                "check" => Some(Directive::Check(pat)),
                "nextln" => Some(Directive::NextLn(pat)),
                "not" => Some(Directive::Not(pat)),
                _ => None,
            }
        })
        .collect()
}

/// Matches `directives` against `output`; the error says which directive failed and why.
pub fn check(output: &str, directives: &[Directive]) -> Result<(), String> {
    let lines: Vec<&str> = output.lines().collect();
    let mut cursor = 0usize; // first line a `check` may match
    let mut last: Option<usize> = None; // line of the previous positive match
    let mut pending_not: Vec<&str> = Vec::new();
    let check_nots = |pending: &mut Vec<&str>, from: usize, to: usize| -> Result<(), String> {
        for pat in pending.drain(..) {
            if let Some(k) = (from..to).find(|&k| lines[k].contains(pat)) {
                return Err(format!("`not: {pat}` matched line {}: {}", k + 1, lines[k]));
            }
        }
        Ok(())
    };
    for d in directives {
        match d {
            Directive::Check(pat) => {
                let Some(k) = (cursor..lines.len()).find(|&k| lines[k].contains(pat.as_str()))
                else {
                    return Err(format!("`check: {pat}` not found after line {cursor}"));
                };
                check_nots(&mut pending_not, cursor, k)?;
                last = Some(k);
                cursor = k + 1;
            }
            Directive::NextLn(pat) => {
                let k = last.map_or(0, |l| l + 1);
                if !lines.get(k).is_some_and(|l| l.contains(pat.as_str())) {
                    return Err(format!(
                        "`nextln: {pat}` does not match line {}: {}",
                        k + 1,
                        lines.get(k).unwrap_or(&"<end>")
                    ));
                }
                check_nots(&mut pending_not, cursor, k)?;
                last = Some(k);
                cursor = k + 1;
            }
            Directive::Not(pat) => pending_not.push(pat),
        }
    }
    check_nots(&mut pending_not, cursor, lines.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    const OUT: &str = "a = 1\nb = 2\nc = 3\nd = 4\n";

    fn run(dirs: &str) -> Result<(), String> {
        check(OUT, &directives(dirs))
    }

    #[test]
    fn matches_and_fails() {
        assert!(run("; check: a = 1\n; nextln: b = 2\n; check: d").is_ok());
        assert!(run("; check: b\n; check: a").is_err(), "order matters");
        assert!(run("; check: a\n; nextln: c").is_err());
        assert!(run("; check: a\n; not: c\n; check: b").is_ok());
        assert!(run("; check: a\n; not: b\n; check: c").is_err());
        assert!(
            run("; check: c\n; not: a").is_ok(),
            "not only looks forward"
        );
        assert!(
            run("; check: c\n; not: d").is_err(),
            "trailing not runs to the end"
        );
        assert!(
            run("; nextln: a = 1").is_ok(),
            "leading nextln is the first line"
        );
        assert!(run("; check: zzz").is_err());
        assert_eq!(
            directives("; check: x\n;not:y\n; checks are fun\n; foo: z"),
            vec![Directive::Check("x".into()), Directive::Not("y".into())]
        );
    }
}
