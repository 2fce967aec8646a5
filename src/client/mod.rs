//! The Writer OAuth Apps API client (see `docs/writer-api.openapi.yaml`).
