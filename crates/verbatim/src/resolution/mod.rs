//! Speaker resolution (see the resolution issue brief).
