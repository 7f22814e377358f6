//! `StrMap` (a sorted `Vec` standing in for `BTreeMap<String, String>` to keep
//! the wasm app small) against `BTreeMap` itself: the same entries in the same
//! order after any mix of building, inserting, removing and reading; and building one
//! from many unsorted keys stays O(n log n).

use cs_json::StrMap;
use proptest::prelude::*;
use std::collections::BTreeMap;
use std::time::{Duration, Instant};

/// Few distinct keys, so repeats (later wins) and hits are common; bytes
/// beyond ASCII, so the order is byte order, as `String`'s `Ord`.
fn key() -> impl Strategy<Value = String> {
    "[a-cé😀]{0,3}"
}

fn pairs() -> impl Strategy<Value = Vec<(String, String)>> {
    prop::collection::vec((key(), "[a-z]{0,3}"), 0..24)
}

fn same(ours: &StrMap, theirs: &BTreeMap<String, String>) {
    assert_eq!(ours.iter().collect::<Vec<_>>(), theirs.iter().collect::<Vec<_>>());
    assert_eq!(ours.keys().collect::<Vec<_>>(), theirs.keys().collect::<Vec<_>>());
    assert_eq!(ours.values().collect::<Vec<_>>(), theirs.values().collect::<Vec<_>>());
    let mut looped = Vec::new();
    for (k, v) in ours {
        looped.push((k, v));
    }
    assert_eq!(looped, theirs.iter().collect::<Vec<_>>(), "for over &StrMap");
    assert_eq!(ours.len(), theirs.len());
    assert_eq!(ours.is_empty(), theirs.is_empty());
    assert_eq!(format!("{ours:?}"), format!("{theirs:?}"));
}

proptest! {
    #[test]
    fn behaves_as_a_btree_map(
        built in pairs(),
        inserted in pairs(),
        removed in prop::collection::vec(key(), 0..8),
        probes in prop::collection::vec(key(), 0..8),
    ) {
        let mut ours: StrMap = built.iter().cloned().collect();
        let mut theirs: BTreeMap<String, String> = built.into_iter().collect();
        same(&ours, &theirs);
        for (k, v) in inserted {
            prop_assert_eq!(ours.insert(k.clone(), v.clone()), theirs.insert(k, v));
            same(&ours, &theirs);
        }
        for k in &removed {
            prop_assert_eq!(ours.remove(k), theirs.remove(k));
            same(&ours, &theirs);
        }
        for k in probes {
            prop_assert_eq!(ours.get(&k), theirs.get(&k));
            prop_assert_eq!(ours.contains_key(&k), theirs.contains_key(&k));
            if let Some(v) = theirs.get(&k) {
                prop_assert_eq!(&ours[k.as_str()], v);
            }
        }
        let rebuilt: StrMap = theirs.clone().into_iter().collect();
        prop_assert!(rebuilt == ours);
        same(&rebuilt, &theirs);
    }

    #[test]
    fn reads_an_object_of_strings_as_a_btree_map_would(built in prop::collection::btree_map(key(), "[a-z]{0,3}", 0..12), seed in any::<u64>()) {
        // Document order shuffled: the map comes out sorted all the same.
        let mut pairs: Vec<(String, String)> = built.clone().into_iter().collect();
        let n = pairs.len().max(1);
        for i in 0..pairs.len() {
            pairs.swap(i, (seed as usize).wrapping_mul(i + 7) % n);
        }
        let json = cs_json::Json::Obj(pairs.into_iter().map(|(k, v)| (k, cs_json::Json::Str(v))).collect());
        same(&json.string_map("m").unwrap(), &built);
    }
}

#[test]
#[should_panic(expected = "no entry for this key")]
fn indexing_an_absent_key_panics_as_btree_map_does() {
    let m: StrMap = [("a".to_owned(), "1".to_owned())].into_iter().collect();
    let _ = &m["b"];
}

#[test]
fn many_keys_in_reverse_order_are_sorted_in_bounded_time() {
    // Inserting each key into a sorted Vec would be quadratic: a hostile
    // grid answer of this size took minutes that way.
    let n = 200_000;
    let pairs: Vec<(String, String)> = (0..n).rev().map(|i| (format!("k{i:07}"), String::new())).collect();
    let start = Instant::now();
    let m: StrMap = pairs.into_iter().collect();
    let took = start.elapsed();
    assert_eq!(m.len(), n);
    assert!(m.keys().zip(m.keys().skip(1)).all(|(a, b)| a < b));
    // Generous (a debug build on a busy 2-core machine).
    assert!(took < Duration::from_secs(3), "{n} keys took {took:?}");
}
