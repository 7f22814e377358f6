//! Entry point: mounts the app and nothing else (components live in lib.rs so
//! browser tests can mount them).

fn main() {
    cohort_survey::browser::remove_boot_placeholder();
    leptos::mount::mount_to_body(cohort_survey::App);
}
