//! Robustness: mutated IR text never panics the parser, and whatever parses never panics the
//! verifier; whatever verifies round-trips and survives the default pipeline.

use s6_strongjit::passes::DEFAULT_PIPELINE;
use s6_strongjit::{parse, print, run_pipeline, verify};

struct Rng(u64);
impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n as u64) as usize
    }
}

fn corpus() -> Vec<String> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/filetests");
    let mut out: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| std::fs::read_to_string(e.unwrap().path()).unwrap())
        .collect();
    out.sort();
    out
}

/// One random edit: delete, duplicate or replace a short span with a token-ish snippet.
fn mutate(r: &mut Rng, text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let at = r.below(chars.len());
    let len = 1 + r.below(6).min(chars.len() - at - 1);
    let snippets = [
        "v",
        "v99",
        "bb7",
        "fs9",
        "b3",
        ",",
        "(",
        ")",
        "[",
        "]",
        ":",
        "=",
        "@",
        "\"",
        "-",
        "0",
        "4294967295",
        "v4000000000",
        "obj",
        "i8",
        ".",
        "iadd",
        "call",
        "jump bb0()",
        "\n",
        "nan:0x1",
        "1e999",
        "\\",
    ];
    let piece: String = match r.below(3) {
        0 => String::new(),
        1 => chars[at..at + len].iter().collect::<String>().repeat(2),
        _ => snippets[r.below(snippets.len())].to_string(),
    };
    let mut s: String = chars[..at].iter().collect();
    s.push_str(&piece);
    s.extend(&chars[at + len..]);
    s
}

#[test]
fn mutated_text_never_panics() {
    let corpus = corpus();
    let mut r = Rng(0x5eed);
    let (mut parsed, mut valid) = (0, 0);
    for round in 0..3000 {
        let base = &corpus[round % corpus.len()];
        let mut text = base.clone();
        for _ in 0..1 + r.below(3) {
            text = mutate(&mut r, &text);
        }
        let Ok(f) = parse(&text) else { continue };
        parsed += 1;
        if verify(&f).is_err() {
            continue;
        }
        valid += 1;
        assert_eq!(parse(&print(&f)).unwrap(), f, "{text}");
        let mut g = f.clone();
        run_pipeline(&mut g, DEFAULT_PIPELINE, None).unwrap();
    }
    assert!(
        parsed > 100 && valid > 50,
        "mutations too destructive: {parsed} parsed, {valid} valid"
    );
}
