//! A local, faithful implementation of the Writer OAuth Apps API.
