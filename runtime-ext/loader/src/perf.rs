//! Which perf integration the user asked for (`S6_PERF`), read once. When it is off the loader
//! does no perf work at all: no files, no line-table decoding.

use std::sync::OnceLock;

pub use crate::debug::jitdump::path as jitdump_path;
pub use crate::debug::perf_map::path as perf_map_path;

/// `S6_PERF`: unset/empty/`off` → [`Mode::Off`], `map`, `jitdump`, or `map,jitdump` → [`Mode::Both`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Mode {
    #[default]
    Off,
    /// `/tmp/perf-<pid>.map` lines `<start hex> <size hex> <symbol>`.
    Map,
    /// `jit-<pid>.dump` (in `$JITDUMPDIR` or `/tmp`) for `perf inject --jit`.
    Jitdump,
    Both,
}

impl Mode {
    /// The mode named by `S6_PERF`, parsed on first call; unknown values mean [`Mode::Off`].
    pub fn from_env() -> Mode {
        static MODE: OnceLock<Mode> = OnceLock::new();
        *MODE.get_or_init(|| {
            std::env::var("S6_PERF")
                .ok()
                .and_then(|v| Mode::parse(&v))
                .unwrap_or_default()
        })
    }

    /// Parses an `S6_PERF` value; `None` when it is not understood.
    pub fn parse(value: &str) -> Option<Mode> {
        let (mut map, mut jit) = (false, false);
        for part in value.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            match part {
                "map" => map = true,
                "jitdump" => jit = true,
                "off" | "0" => {}
                _ => return None,
            }
        }
        Some(match (map, jit) {
            (false, false) => Mode::Off,
            (true, false) => Mode::Map,
            (false, true) => Mode::Jitdump,
            (true, true) => Mode::Both,
        })
    }

    pub fn map(self) -> bool {
        matches!(self, Mode::Map | Mode::Both)
    }

    pub fn jitdump(self) -> bool {
        matches!(self, Mode::Jitdump | Mode::Both)
    }
}

#[cfg(test)]
mod tests {
    use super::Mode;

    #[test]
    fn parses_values() {
        assert_eq!(Mode::parse(""), Some(Mode::Off));
        assert_eq!(Mode::parse("map"), Some(Mode::Map));
        assert_eq!(Mode::parse("jitdump"), Some(Mode::Jitdump));
        assert_eq!(Mode::parse("map,jitdump"), Some(Mode::Both));
        assert_eq!(Mode::parse("bogus"), None);
        assert!(Mode::Both.map() && Mode::Both.jitdump() && !Mode::Off.map());
    }
}
