//! Deterministic numbers for the unit tests that hold a fast path equal to the code it
//! replaced over many generated inputs. The numbers come from proptest's seeded generator,
//! the suite's one source of random inputs; a fixed seed means every run sees the same
//! inputs.

use proptest::prelude::Rng as _;
use proptest::test_runner::{RngAlgorithm, TestRng};

pub(crate) struct Rng(TestRng);

impl Rng {
    pub(crate) fn new(seed: u64) -> Self {
        // ChaCha takes a 32-byte seed: the number four times over.
        Rng(TestRng::from_seed(
            RngAlgorithm::ChaCha,
            &seed.to_le_bytes().repeat(4),
        ))
    }

    pub(crate) fn next_u64(&mut self) -> u64 {
        self.0.next_u64()
    }

    /// A number below `n` (not zero).
    pub(crate) fn below(&mut self, n: usize) -> usize {
        // 48 bits fit a usize on every target this builds for.
        usize::try_from(self.next_u64() >> 16).unwrap_or(usize::MAX) % n
    }

    /// One of `from` (not empty).
    pub(crate) fn pick<T: Copy>(&mut self, from: &[T]) -> T {
        from[self.below(from.len())]
    }
}
