//! How much one decoded message may hold: the bounds that keep hostile
//! input from exhausting the stack or the memory.

/// How deeply values and type specs may nest. Real schemas use a handful of
/// levels; the limit keeps hostile input from exhausting the stack.
pub(crate) const MAX_DEPTH: usize = 128;

/// How many values one decoded message may hold, counting every node (set
/// and list elements, attributes, absent attributes filled with null).
///
/// A value costs 40 bytes once decoded, up to ~200 inside objects (names,
/// tree nodes), however few bytes it took on the wire: a msgpack nil is one
/// byte, an empty map decoded as an object of 16 attributes is one byte. So
/// the length of a message does not bound its cost; this does, near 50 MB.
/// (Without it, 16 MB of nils took 664 MB, 16 MB of empty objects tens of
/// GB.) Real resources hold hundreds of values; Atlassian's whole scope
/// catalogue is under a hundred.
pub(crate) const MAX_VALUES: usize = 1 << 18;

/// What is left of [`MAX_VALUES`] while one message is decoded.
pub(crate) struct Budget(usize);

impl Budget {
    pub(crate) fn new() -> Budget {
        Budget(MAX_VALUES)
    }

    /// Accounts for `n` more values; an error message once over the limit.
    pub(crate) fn spend(&mut self, n: usize) -> Result<(), String> {
        match self.0.checked_sub(n) {
            Some(left) => {
                self.0 = left;
                Ok(())
            }
            None => Err(format!(
                "the message holds more than {MAX_VALUES} values, the most one message may hold"
            )),
        }
    }
}
