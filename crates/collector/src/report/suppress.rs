//! Small-cell suppression: which counts may be published.
//!
//! A count "rests on" the responses it counts. Primary suppression hides every
//! count from 1 to k-1. Because the totals of a distribution are published
//! (n of a question, the size of a group, the whole-cohort count of an option),
//! one hidden cell in a line could be recovered by subtraction, so secondary
//! (complementary) suppression hides more cells until, in every line with a
//! hidden cell, at least two cells are hidden and together hold at least k
//! responses. Lines are the rows (one per breakdown cell, total = its n) and,
//! when there is more than one row, the columns (total = the whole-cohort
//! count). Zeros are published: "none of them" is not a count that rests on a
//! response, and hiding zeros would protect no one.

/// The hidden cells of `counts` (rows x columns). A row in `row_hidden` is
/// hidden whole (its total is not published either, e.g. a group smaller than
/// k), and its cells still count as hidden when columns are checked.
pub fn suppress(counts: &[Vec<usize>], row_hidden: &[bool], k: usize) -> Vec<Vec<bool>> {
    let mut hidden: Vec<Vec<bool>> = counts
        .iter()
        .enumerate()
        .map(|(i, row)| row.iter().map(|&c| row_hidden.get(i).copied().unwrap_or(false) || (c > 0 && c < k)).collect())
        .collect();
    let width = counts.iter().map(Vec::len).max().unwrap_or(0);
    // Each pass hides at least one more cell or stops, so this ends.
    loop {
        let mut changed = false;
        for (i, row) in counts.iter().enumerate() {
            if row_hidden.get(i).copied().unwrap_or(false) {
                continue; // its total is hidden too: nothing to subtract from
            }
            let cells: Vec<(usize, usize)> = (0..row.len()).map(|j| (i, j)).collect();
            changed |= protect(counts, &mut hidden, &cells, k);
        }
        if counts.len() > 1 {
            for j in 0..width {
                let cells: Vec<(usize, usize)> = (0..counts.len()).filter(|&i| j < counts[i].len()).map(|i| (i, j)).collect();
                changed |= protect(counts, &mut hidden, &cells, k);
            }
        }
        if !changed {
            return hidden;
        }
    }
}

/// One line whose total is published: if it has hidden cells, they must be
/// at least two and hold at least `k` between them; otherwise hide the
/// smallest shown cell (a non-zero one first, as hiding a zero adds nothing).
fn protect(counts: &[Vec<usize>], hidden: &mut [Vec<bool>], cells: &[(usize, usize)], k: usize) -> bool {
    let hidden_cells: Vec<&(usize, usize)> = cells.iter().filter(|(i, j)| hidden[*i][*j]).collect();
    if hidden_cells.is_empty() {
        return false;
    }
    let sum: usize = hidden_cells.iter().map(|(i, j)| counts[*i][*j]).sum();
    // Hidden zeros that subtraction would reveal are zeros, which are published anyway.
    if sum == 0 || hidden_cells.len() >= 2 && sum >= k {
        return false;
    }
    let shown = cells.iter().filter(|(i, j)| !hidden[*i][*j]);
    let pick = shown.clone().filter(|(i, j)| counts[*i][*j] > 0).min_by_key(|(i, j)| counts[*i][*j]).or_else(|| shown.clone().next());
    match pick {
        Some(&(i, j)) => {
            hidden[i][j] = true;
            true
        }
        None => false,
    }
}

/// 1-D convenience: one distribution whose total is published when it is 0 or at least `k`.
pub fn suppress_line(counts: &[usize], k: usize) -> Vec<bool> {
    let total: usize = counts.iter().sum();
    suppress(&[counts.to_vec()], &[total > 0 && total < k], k).remove(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn k_minus_one_hidden_k_shown() {
        // 9 is primary; the complement is the smallest other non-zero cell.
        assert_eq!(suppress_line(&[9, 40, 30, 0], 10), [true, false, true, false]);
        assert_eq!(suppress_line(&[10, 40, 30, 0], 10), [false, false, false, false]);
    }

    #[test]
    fn the_worked_example_in_docs_report_md() {
        assert_eq!(suppress_line(&[0, 9, 10, 21, 0], 10), [false, true, true, false, false]);
        assert_eq!(suppress_line(&[4, 36], 10), [true, true]);
    }

    #[test]
    fn complementary_until_two_cells_hold_k() {
        // 2 + 3 = 5 < 10: the next smallest goes too, then all are hidden.
        assert_eq!(suppress_line(&[2, 3, 85], 10), [true, true, true]);
        // 1 + 9 = 10: two cells holding k are enough.
        assert_eq!(suppress_line(&[1, 9, 50], 10), [true, true, false]);
        // A total under k hides everything.
        assert_eq!(suppress_line(&[4, 5], 10), [true, true]);
        assert_eq!(suppress_line(&[0, 0], 10), [false, false], "nobody: zeros are published");
    }

    #[test]
    fn columns_protect_a_hidden_group() {
        // Group B (n = 5) is hidden whole; its cells must not follow from the
        // column totals, so a shown group's cells in those columns go too.
        let counts = vec![vec![12, 8, 0], vec![3, 2, 0], vec![10, 20, 0]];
        let h = suppress(&counts, &[false, true, false], 10);
        assert_eq!(h[1], [true, true, true]);
        assert!(h[0][0] || h[2][0], "column 0 needs a second hidden cell: {h:?}");
        assert!(h[0][1] || h[2][1], "column 1 needs a second hidden cell: {h:?}");
        // A column of zeros reveals only zeros, so group C keeps its figures
        // unless column 0 or 1 needed one of them.
        assert!(!h[0][2] && !h[2][2], "{h:?}");
        // Every row with a hidden cell has two.
        for (i, row) in h.iter().enumerate() {
            let n = row.iter().filter(|x| **x).count();
            assert!(n == 0 || n >= 2, "row {i}: {row:?}");
        }
    }
}
