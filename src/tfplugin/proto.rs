//! The protobuf types and gRPC services generated from `proto/`. Private to
//! `tfplugin`: the rest of the crate sees hand-written types only.
