//! A table of one small value per Basic Multilingual Plane character, computed the first time
//! a character is met: the Unicode lookups behind a character's class or folded form cost more
//! than the rest of tokenizing, and text repeats the same few hundred characters.
//!
//! The table is allocated and filled with [`BmpTable::UNKNOWN`] when first used, rather than
//! being a zeroed static filled in place. A zeroed static's page is first read as the kernel's
//! shared zero page, and the first write to it then copies the page and flushes the TLB of
//! every CPU running the process's threads. With a search's snippet threads both running,
//! those flushes (inter-processor interrupts, slow in a virtual machine) took a fifth of the
//! process's CPU; written pages of a fresh allocation need none.

use std::sync::OnceLock;
use std::sync::atomic::{AtomicU16, Ordering};

pub struct BmpTable {
    slots: OnceLock<Box<[AtomicU16]>>,
}

impl BmpTable {
    /// The value of a slot not yet computed, and of a value that cannot be kept.
    pub const UNKNOWN: u16 = u16::MAX;

    pub const fn new() -> Self {
        BmpTable {
            slots: OnceLock::new(),
        }
    }

    /// The value for `c`: the one kept, or `compute()`, kept when `c` is in the Basic
    /// Multilingual Plane. Relaxed atomics suffice, as every thread computes the same value.
    pub fn get(&self, c: char, compute: impl FnOnce() -> u16) -> u16 {
        let slots = self.slots.get_or_init(|| {
            (0..=0xFFFF)
                .map(|_| AtomicU16::new(Self::UNKNOWN))
                .collect()
        });
        let Some(slot) = slots.get(c as usize) else {
            return compute();
        };
        match slot.load(Ordering::Relaxed) {
            Self::UNKNOWN => {
                let value = compute();
                slot.store(value, Ordering::Relaxed);
                value
            }
            value => value,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn computes_each_character_once_and_beyond_the_plane_every_time() {
        let table = BmpTable::new();
        let mut calls = 0;
        for _ in 0..3 {
            assert_eq!(
                table.get('ж', || {
                    calls += 1;
                    7
                }),
                7
            );
        }
        assert_eq!(calls, 1);
        for _ in 0..2 {
            assert_eq!(
                table.get('𠀋', || {
                    calls += 1;
                    9
                }),
                9
            );
        }
        assert_eq!(calls, 3);
        // A value that cannot be kept is asked for again.
        assert_eq!(
            table.get('a', || {
                calls += 1;
                BmpTable::UNKNOWN
            }),
            BmpTable::UNKNOWN
        );
        assert_eq!(
            table.get('a', || {
                calls += 1;
                1
            }),
            1
        );
        assert_eq!(calls, 5);
    }
}
