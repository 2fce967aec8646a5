//! What a correct Confluence OAuth app for Writer looks like: pure rules, no I/O.
