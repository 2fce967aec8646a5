//! The `writer` provider: its configuration, resource and data source.
