//! Opcode names, base opcodes and inline-cache sizes, taken from the running interpreter's own
//! `opcode` module (the same tables `dis` builds), so the harvester decodes exactly the
//! bytecode this interpreter wrote, with no table of ours to drift out of date.

use pyo3::prelude::*;

pub struct OpTables {
    names: Vec<String>,
    base: [u8; 256],
    caches: [u8; 256],
    pub extended_arg: u8,
    pub extended_arg_quick: u8,
}

impl OpTables {
    pub fn load(py: Python<'_>) -> PyResult<Self> {
        let opcode = py.import("opcode")?;
        let mut names: Vec<String> = opcode.getattr("opname")?.extract()?;
        names.resize(256, String::new());
        let specialized: Vec<String> = opcode.getattr("_specialized_instructions")?.extract()?;
        let caches_list: Vec<u8> = opcode.getattr("_inline_cache_entries")?.extract()?;
        let opmap = opcode.getattr("opmap")?;
        // dis.py: specialized instructions fill the unused slots in order.
        let empty: Vec<usize> = (0..256).filter(|&i| names[i].starts_with('<')).collect();
        for (&slot, name) in empty.iter().zip(specialized) {
            names[slot] = name;
        }
        let mut base = [0u8; 256];
        for (i, b) in base.iter_mut().enumerate() {
            *b = i as u8;
        }
        let families = opcode.getattr("_specializations")?;
        for item in families.call_method0("items")?.try_iter()? {
            let (family, members): (String, Vec<String>) = item?.extract()?;
            let family_op: u8 = opmap.get_item(&family)?.extract()?;
            for m in members {
                if let Some(slot) = names.iter().position(|n| *n == m) {
                    base[slot] = family_op;
                }
            }
        }
        let mut caches = [0u8; 256];
        for (i, c) in caches_list.iter().enumerate().take(256) {
            caches[i] = *c;
        }
        let find = |n: &str| names.iter().position(|x| x == n).unwrap_or(0) as u8;
        Ok(OpTables {
            extended_arg: find("EXTENDED_ARG"),
            extended_arg_quick: find("EXTENDED_ARG_QUICK"),
            names,
            base,
            caches,
        })
    }

    pub fn name(&self, op: u8) -> &str {
        &self.names[op as usize]
    }

    pub fn base(&self, op: u8) -> u8 {
        self.base[op as usize]
    }

    /// Cache units after `op` (those of its base opcode).
    pub fn cache_units(&self, op: u8) -> usize {
        self.caches[self.base(op) as usize] as usize
    }

    /// Whether `op` is a specialized or adaptive form (not a base opcode).
    pub fn is_specialized(&self, op: u8) -> bool {
        self.base(op) != op
    }
}
