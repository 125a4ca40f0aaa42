//! `s6c inspect ir` and `s6c inspect asm`: one function of a profile as strongjit text, or of
//! a cache as annotated disassembly.

use std::path::Path;

use s6_profiles::manifest::{FunctionEntry, ObjectEntry};
use s6_profiles::model::{CodeKey, Profile};

use super::panics::{IN_WORKER, guarded, record_worker_panics};
use super::{DEFAULT_MIN_SHARE, line_table, load_code, never_compiled, selection, symbols, to_ir};
use crate::emit;

/// `module.qualname` of a key.
pub fn full_name(k: &CodeKey) -> String {
    format!("{}.{}", k.module, k.qualname)
}

/// A `--function` argument: `qualname` or `module.qualname`, optionally `#firstlineno`, then
/// optionally `~hash` (the first 8 hex digits of the marshal hash, as in the symbol of one of
/// several code objects made from the same line, e.g. by `exec` in `dataclasses`).
pub struct FunctionName<'a> {
    base: &'a str,
    line: Option<u32>,
    hash: Option<u32>,
}

impl<'a> FunctionName<'a> {
    pub fn parse(name: &'a str) -> Self {
        let (rest, hash) = match name.rsplit_once('~') {
            Some((r, h)) if h.len() == 8 => match u32::from_str_radix(h, 16) {
                Ok(h) => (r, Some(h)),
                Err(_) => (name, None),
            },
            _ => (name, None),
        };
        let (base, line) = match rest.rsplit_once('#') {
            Some((b, l)) if l.parse::<u32>().is_ok() => (b, l.parse::<u32>().ok()),
            _ => (rest, None),
        };
        FunctionName { base, line, hash }
    }

    /// The name without its `#line` and `~hash`.
    pub fn base(&self) -> &'a str {
        self.base
    }

    pub fn matches(&self, k: &CodeKey) -> bool {
        (k.qualname == self.base || full_name(k) == self.base)
            && self.line.is_none_or(|l| k.firstlineno == l)
            && self.hash.is_none_or(|h| (k.marshal_hash >> 32) as u32 == h)
    }
}

/// The name `--function` accepts for exactly `k` among `keys`: `module.qualname#line`, with
/// `~hash` when another key has the same name and line.
pub fn exact_name(k: &CodeKey, keys: &[&CodeKey]) -> String {
    let same_line = keys
        .iter()
        .filter(|o| full_name(o) == full_name(k) && o.firstlineno == k.firstlineno)
        .count();
    if same_line > 1 {
        format!(
            "{}#{}~{:08x}",
            full_name(k),
            k.firstlineno,
            k.marshal_hash >> 32
        )
    } else {
        format!("{}#{}", full_name(k), k.firstlineno)
    }
}

/// Finds one code object by a [`FunctionName`]. `place` names where it was looked for (`the
/// profile`); an unknown name lists the closest candidates, an ambiguous one every match, each
/// as a name `--function` accepts.
pub fn find_key<'a, T>(
    items: &'a [T],
    key: impl Fn(&T) -> &CodeKey,
    name: &str,
    place: &str,
) -> Result<&'a T, String> {
    let wanted = FunctionName::parse(name);
    let hits: Vec<&T> = items.iter().filter(|c| wanted.matches(key(c))).collect();
    match hits.as_slice() {
        [one] => Ok(one),
        [] if items.is_empty() => Err(format!(
            "no function `{name}` in {place}: it holds no functions at all"
        )),
        [] => {
            let keys: Vec<&CodeKey> = items.iter().map(&key).collect();
            Err(format!(
                "no function `{name}` in {place}: pass --function one of {}",
                candidates(&keys, wanted.base())
            ))
        }
        many => {
            let keys: Vec<&CodeKey> = many.iter().map(|c| key(c)).collect();
            Err(format!(
                "`{name}` is ambiguous in {place} ({}): pass --function one of them",
                keys.iter()
                    .map(|k| exact_name(k, &keys))
                    .collect::<Vec<_>>()
                    .join(", ")
            ))
        }
    }
}

/// Up to 8 names of `keys`, those that look like `wanted` first (same last name part, or
/// containing it, ignoring case).
fn candidates(keys: &[&CodeKey], wanted: &str) -> String {
    const SHOWN: usize = 8;
    let wanted = wanted.to_lowercase();
    let last = wanted.rsplit('.').next().unwrap_or(&wanted).to_owned();
    let score = |k: &CodeKey| {
        let full = full_name(k).to_lowercase();
        let own = k.qualname.rsplit('.').next().unwrap_or("").to_lowercase();
        if own == last {
            0
        } else if full.contains(&wanted) || (!last.is_empty() && own.contains(&last)) {
            1
        } else {
            2
        }
    };
    let mut names: Vec<(u8, String)> = keys.iter().map(|k| (score(k), full_name(k))).collect();
    names.sort();
    names.dedup_by(|a, b| a.1 == b.1);
    let total = names.len();
    let mut out = names
        .into_iter()
        .take(SHOWN)
        .map(|(_, n)| n)
        .collect::<Vec<_>>()
        .join(", ");
    if total > SHOWN {
        out.push_str(&format!(" ({} more)", total - SHOWN));
    }
    out
}

/// Source lines of `path` (empty when the file cannot be read).
pub fn source_lines(path: &str) -> Vec<String> {
    std::fs::read_to_string(path)
        .map(|s| s.lines().map(str::to_owned).collect())
        .unwrap_or_default()
}

/// `s6c inspect ir`: the strongjit of one function after the pipeline (or after pass `after`,
/// `input` = before any pass), each bytecode run annotated with its Python line.
pub fn inspect_ir(profile: &Profile, name: &str, after: Option<&str>) -> Result<String, String> {
    if profile.code.is_empty() {
        return Err(
            "the profile holds no code objects: profile a longer run of the program".to_string(),
        );
    }
    let c = find_key(&profile.code, |c| &c.key, name, "the profile")?;
    let code = load_code(c).map_err(|e| {
        format!(
            "{} cannot be read from the profile ({e}): re-create the profile with `s6c profile`",
            full_name(&c.key)
        )
    })?;
    if let Some(r) = never_compiled(&code) {
        return Err(format!(
            "{} is never compiled ({r}): inspect one of the functions it calls",
            full_name(&c.key)
        ));
    }
    let pipeline: Vec<String> = s6_strongjit::passes::DEFAULT_PIPELINE
        .iter()
        .map(|s| s.to_string())
        .collect();
    let upto = match after {
        None => pipeline.len(),
        Some("input") => 0,
        Some(p) => pipeline
            .iter()
            .rposition(|x| x == p)
            .map(|i| i + 1)
            .ok_or_else(|| {
                format!(
                    "pass `{p}` is not in the pipeline: pass --after one of input, {}",
                    pipeline.join(", ")
                )
            })?,
    };
    let symbol = symbols(profile)
        .remove(&c.key)
        .expect("symbol of every key");
    // On this thread, but like a build worker: a compiler panic is reported, not printed.
    let restore = record_worker_panics();
    IN_WORKER.set(true);
    // As `s6c build --all` would compile it: for size when a default build would leave it out.
    let cold = !selection(profile, DEFAULT_MIN_SHARE).contains(&c.key);
    let all = symbols(profile);
    let compiled = |k: &s6_profiles::model::CodeKey| profile.code.iter().any(|p| &p.key == k);
    let ir = guarded(|| {
        let (inline, _) = super::inline_callees(profile, &all, &compiled, c, &pipeline[..upto]);
        to_ir(&code, c, &symbol, cold, &pipeline[..upto], None, inline)
    });
    IN_WORKER.set(false);
    std::panic::set_hook(restore);
    let (f, _) = ir.map_err(|e| {
        format!(
            "{} does not compile ({e}): `s6c build` skips it the same way",
            full_name(&c.key)
        )
    })?;
    let lines = line_table(&code);
    let text = source_lines(&c.key.filename);
    let file = Path::new(&c.key.filename)
        .file_name()
        .map_or(c.key.filename.clone(), |f| f.to_string_lossy().into_owned());
    let comment = |loc: u32| {
        let line = *lines.get(loc as usize)?;
        (line != 0).then(|| {
            let src = text
                .get(line as usize - 1)
                .map(|s| format!("  {}", s.trim()))
                .unwrap_or_default();
            format!("{file}:{line}{src}")
        })
    };
    Ok(s6_strongjit::print_annotated(&f, &comment))
}

/// `s6c inspect asm`: disassembly of one compiled function from a cache directory (or from
/// the cache whose manifest `cache` names).
pub fn inspect_asm(cache: &Path, name: &str) -> Result<String, String> {
    const REBUILD: &str = "rebuild the cache with `s6c build`";
    let (cache_dir, manifest_path) = if cache.is_file() {
        (cache.parent().unwrap_or(Path::new(".")), cache.to_owned())
    } else {
        (cache, cache.join(s6_profiles::manifest::MANIFEST_FILE))
    };
    let manifest = s6_profiles::format::read_manifest(&manifest_path).map_err(|e| e.to_string())?;
    let entries: Vec<(&ObjectEntry, &FunctionEntry)> = manifest
        .objects
        .iter()
        .flat_map(|o| o.functions.iter().map(move |f| (o, f)))
        .collect();
    if entries.is_empty() {
        return Err(format!(
            "the cache {} holds no compiled functions: rebuild it with --all or a lower --min-share",
            cache_dir.display()
        ));
    }
    let (obj, func) = find_key(&entries, |(_, f)| &f.key, name, "the cache")?;
    if obj.file.contains(['/', '\\']) {
        return Err(format!(
            "{} names object `{}` outside the cache directory: {REBUILD}",
            manifest_path.display(),
            obj.file
        ));
    }
    let path = cache_dir.join(&obj.file);
    let bytes = std::fs::read(&path).map_err(|e| {
        format!(
            "cannot read {} ({e}): the cache is incomplete; {REBUILD}",
            path.display()
        )
    })?;
    if s6_profiles::hash::fnv1a64(&bytes) != obj.hash {
        return Err(format!(
            "{} does not match the manifest's hash (stale or altered cache): {REBUILD}",
            path.display()
        ));
    }
    let text = source_lines(&obj.source);
    let file = Path::new(&obj.source)
        .file_name()
        .map_or(obj.source.clone(), |f| f.to_string_lossy().into_owned());
    let mut out = emit::disasm::disassemble(&bytes, &func.symbol, &file, &|l| {
        text.get((l as usize).wrapping_sub(1)).cloned()
    })
    .map_err(|e| format!("{}: {e}: {REBUILD}", path.display()))?;
    for (i, e) in func.exits.iter().enumerate() {
        out.push_str(&format!(
            "  exit {i}: {:?} @{} {}\n",
            e.kind, e.index, e.reason
        ));
    }
    Ok(out)
}
