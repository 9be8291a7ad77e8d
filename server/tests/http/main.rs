//! The server's tests over HTTP and the command line, in one binary for the
//! same reason as the database tests: every test binary links the whole
//! application.

mod authorization_matrix;
mod cli;
mod sessions;
