fn main() {
    // The built pages are embedded: rebuild whenever they change (tauri-build alone does not
    // notice, and the app would keep showing the previous UI).
    println!("cargo:rerun-if-changed=../ui/dist");
    tauri_build::build()
}
