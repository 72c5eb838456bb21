//! Local Stylus dev chain (work in progress).
