//! Entry point: mounts the app and nothing else (everything else lives in
//! lib.rs so browser tests can mount its parts).

fn main() {
    cohort_survey::start();
}
