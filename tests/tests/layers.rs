//! hedui-core reads bottom-up: no source file of the crate depends, directly or through
//! others, on a file that depends on it (README "Layout").
//!
//! The check reads every `.rs` file under `hedui-core/src`, strips comments, and collects the
//! `crate::…` and `super::…` paths it names. A path is resolved to the file that defines the
//! item: a module file (`crate::population::recheck`), or, for a name re-exported by a module
//! (`crate::Authorization`, `crate::population::ReliefLedger`), the file its `pub use` points
//! at. A module's `mod`/`pub use` of its own children does not count as a dependency of the
//! parent on the child (it is how the parent exposes them); everything else does. A cycle
//! between files fails the test with the files on it.

#![allow(
    clippy::unwrap_used,
    clippy::indexing_slicing,
    clippy::panic,
    reason = "test code reading the crate's own sources: a failure should stop the test loudly"
)]

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// One source file: its module path (`["population", "recheck"]`) and text without comments.
struct Source {
    module: Vec<String>,
    text: String,
}

fn core_src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../hedui-core/src")
}

fn collect(dir: &Path, module: &[String], out: &mut BTreeMap<String, Source>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for path in entries {
        let name = path.file_stem().unwrap().to_string_lossy().into_owned();
        if path.is_dir() {
            let mut sub = module.to_vec();
            sub.push(name);
            collect(&path, &sub, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            let mut m = module.to_vec();
            if name != "mod" && name != "lib" {
                m.push(name);
            }
            let text = strip_comments(&std::fs::read_to_string(&path).unwrap());
            let key = path
                .strip_prefix(core_src())
                .unwrap()
                .to_string_lossy()
                .into_owned();
            out.insert(key, Source { module: m, text });
        }
    }
}

/// Drops the unit-test module and `//` comments (doc comments included); string literals are
/// kept: paths inside strings (`serialize_with = "crate::wire::date"`) are real uses.
fn strip_comments(text: &str) -> String {
    // unit tests may import anything: the layering is about the library code above them
    let text = text.split("\n#[cfg(test)]\nmod ").next().unwrap_or(text);
    text.lines()
        .map(|l| {
            let t = l.trim_start();
            if t.starts_with("//") { "" } else { l }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The `crate::a::b::{c, d::e}` paths named in `text`, expanded, as segment lists; `super::`
/// is resolved against `module` (the file's own module path) and the inline `mod x { … }`
/// blocks it sits in.
fn paths(text: &str, module: &[String]) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    let chars: Vec<char> = text.chars().collect();
    let mut depth = 0usize;
    // inline modules open here: (name, brace depth inside the module)
    let mut inline: Vec<(String, usize)> = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let rest: String = chars[i..chars.len().min(i + 7)].iter().collect();
        let boundary = i == 0
            || !(chars[i - 1].is_alphanumeric() || chars[i - 1] == '_' || chars[i - 1] == ':');
        match chars[i] {
            '{' => depth += 1,
            '}' => {
                if inline.last().is_some_and(|(_, d)| *d == depth) {
                    inline.pop();
                }
                depth = depth.saturating_sub(1);
            }
            _ => {}
        }
        if boundary && rest.starts_with("mod ") {
            let tail: String = chars[i + 4..]
                .iter()
                .take_while(|c| **c != ';' && **c != '{')
                .collect();
            let name = tail.trim();
            let after = chars.get(i + 4 + tail.chars().count());
            if after == Some(&'{') && name.chars().all(|c| c.is_alphanumeric() || c == '_') {
                inline.push((name.to_owned(), depth + 1));
            }
        }
        if boundary && (rest.starts_with("crate::") || rest.starts_with("super::")) {
            let base: Vec<String> = if rest.starts_with("crate::") {
                Vec::new()
            } else {
                let mut here = module.to_vec();
                here.extend(inline.iter().map(|(n, _)| n.clone()));
                here.pop();
                here
            };
            i += "crate::".len();
            let (tree, used) = read_tree(&chars[i..]);
            i += used;
            for mut p in tree {
                let mut full = base.clone();
                full.append(&mut p);
                out.push(full);
            }
        } else {
            i += 1;
        }
    }
    out
}

/// Reads a use-tree (`a::b::{c, d::{e, f}}` or `a::B`) and returns its leaves as paths.
fn read_tree(chars: &[char]) -> (Vec<Vec<String>>, usize) {
    let mut i = 0;
    let mut prefix: Vec<String> = Vec::new();
    loop {
        let start = i;
        while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '_') {
            i += 1;
        }
        let seg: String = chars[start..i].iter().collect();
        if !seg.is_empty() {
            prefix.push(seg);
        }
        if i + 2 < chars.len() && chars[i] == ':' && chars[i + 1] == ':' {
            i += 2;
            if chars.get(i) == Some(&'{') {
                i += 1;
                let mut leaves = Vec::new();
                loop {
                    while i < chars.len() && (chars[i].is_whitespace() || chars[i] == ',') {
                        i += 1;
                    }
                    if i >= chars.len() || chars[i] == '}' {
                        i += 1;
                        break;
                    }
                    let (sub, used) = read_tree(&chars[i..]);
                    i += used.max(1);
                    for s in sub {
                        let mut p = prefix.clone();
                        p.extend(s);
                        leaves.push(p);
                    }
                }
                return (leaves, i);
            }
            continue;
        }
        return (vec![prefix], i);
    }
}

/// The file defining the item at `path`: follows module files and `pub use` re-exports.
fn resolve(
    path: &[String],
    modules: &BTreeMap<Vec<String>, String>,
    reexports: &BTreeMap<(Vec<String>, String), Vec<String>>,
    depth: usize,
) -> Option<String> {
    // the longest prefix of `path` that is a module
    let mut len = path.len();
    while len > 0 && !modules.contains_key(&path[..len].to_vec()) {
        len -= 1;
    }
    let module = path[..len].to_vec();
    let file = modules.get(&module)?.clone();
    if depth < 8 {
        if let Some(name) = path.get(len) {
            if let Some(target) = reexports.get(&(module.clone(), name.clone())) {
                return resolve(target, modules, reexports, depth + 1).or(Some(file));
            }
        }
    }
    Some(file)
}

fn graph() -> BTreeMap<String, BTreeSet<String>> {
    let mut sources = BTreeMap::new();
    collect(&core_src(), &[], &mut sources);
    let modules: BTreeMap<Vec<String>, String> = sources
        .iter()
        .map(|(f, s)| (s.module.clone(), f.clone()))
        .collect();
    // `pub use child::{A, B}` in a module: (module, A) -> module::child::A
    let mut reexports = BTreeMap::new();
    for s in sources.values() {
        for line in s.text.split(';') {
            let t = line.trim();
            let Some(tree) = t
                .strip_prefix("pub use ")
                .or_else(|| t.strip_prefix("pub(crate) use "))
            else {
                continue;
            };
            let tree = tree
                .trim_start_matches("self::")
                .trim_start_matches("crate::");
            let chars: Vec<char> = tree.chars().collect();
            for leaf in read_tree(&chars).0 {
                let Some(name) = leaf.last() else { continue };
                let mut target = if t.contains("crate::") {
                    Vec::new()
                } else {
                    s.module.clone()
                };
                target.extend(leaf.iter().cloned());
                reexports.insert((s.module.clone(), name.clone()), target);
            }
        }
    }
    let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (file, s) in &sources {
        let is_mod = file.ends_with("mod.rs") || file == "lib.rs";
        let own = s.module.clone();
        let mut deps = BTreeSet::new();
        for p in paths(&s.text, &own) {
            if let Some(target) = resolve(&p, &modules, &reexports, 0) {
                if &target != file {
                    deps.insert(target);
                }
            }
        }
        // a parent's `pub use child::X` is how it exposes its children, not a dependency
        if is_mod {
            deps.retain(|d| {
                let child_module = &sources[d].module;
                !(child_module.len() > own.len() && child_module.starts_with(&own))
            });
        }
        // lib.rs re-exports everything; its `pub use` lines are not dependencies either
        if file == "lib.rs" {
            deps.clear();
        }
        edges.insert(file.clone(), deps);
    }
    edges
}

/// Strongly connected components with more than one file (Tarjan).
fn cycles(edges: &BTreeMap<String, BTreeSet<String>>) -> Vec<Vec<String>> {
    struct State<'a> {
        edges: &'a BTreeMap<String, BTreeSet<String>>,
        index: BTreeMap<&'a str, usize>,
        low: BTreeMap<&'a str, usize>,
        stack: Vec<&'a str>,
        on_stack: BTreeSet<&'a str>,
        next: usize,
        out: Vec<Vec<String>>,
    }
    fn visit<'a>(s: &mut State<'a>, v: &'a str) {
        s.index.insert(v, s.next);
        s.low.insert(v, s.next);
        s.next += 1;
        s.stack.push(v);
        s.on_stack.insert(v);
        for w in s.edges.get(v).into_iter().flatten() {
            let w = w.as_str();
            if !s.index.contains_key(w) {
                visit(s, w);
                let lw = s.low[w];
                let lv = s.low.get_mut(v).unwrap();
                *lv = (*lv).min(lw);
            } else if s.on_stack.contains(w) {
                let iw = s.index[w];
                let lv = s.low.get_mut(v).unwrap();
                *lv = (*lv).min(iw);
            }
        }
        if s.low[v] == s.index[v] {
            let mut comp = Vec::new();
            loop {
                let w = s.stack.pop().unwrap();
                s.on_stack.remove(w);
                comp.push(w.to_owned());
                if w == v {
                    break;
                }
            }
            if comp.len() > 1 {
                comp.sort();
                s.out.push(comp);
            }
        }
    }
    let mut s = State {
        edges,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on_stack: BTreeSet::new(),
        next: 0,
        out: Vec::new(),
    };
    for v in edges.keys() {
        if !s.index.contains_key(v.as_str()) {
            visit(&mut s, v);
        }
    }
    s.out
}

#[test]
fn core_modules_have_no_import_cycle() {
    let edges = graph();
    if std::env::var_os("HEDUI_PRINT_LAYERS").is_some() {
        for (f, d) in &edges {
            println!(
                "{f} -> {}",
                d.iter().cloned().collect::<Vec<_>>().join(", ")
            );
        }
    }
    let found = cycles(&edges);
    assert!(
        found.is_empty(),
        "import cycles between hedui-core files: {found:#?}"
    );
}

#[test]
fn the_cycle_check_sees_a_cycle() {
    let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    edges.insert("a.rs".into(), ["b.rs".to_owned()].into());
    edges.insert("b.rs".into(), ["c.rs".to_owned()].into());
    edges.insert("c.rs".into(), ["a.rs".to_owned()].into());
    edges.insert("d.rs".into(), ["a.rs".to_owned()].into());
    assert_eq!(
        cycles(&edges),
        vec![vec!["a.rs".to_owned(), "b.rs".into(), "c.rs".into()]]
    );
}

#[test]
fn the_graph_sees_real_dependencies() {
    let edges = graph();
    // a use line, a path in a serde attribute string, a root re-export followed to its file
    assert!(
        edges["authorization.rs"].contains("household.rs"),
        "{:?}",
        edges["authorization.rs"]
    );
    assert!(
        edges["verify.rs"].contains("report.rs"),
        "{:?}",
        edges["verify.rs"]
    );
    assert!(!edges["id.rs"].contains("verify.rs"));
}
