//! The one percentile rule of the benchmarks, so their p50/p99 mean the same thing.

/// The `q` quantile of ascending `sorted` values by nearest rank: the smallest value with at
/// least a fraction `q` of the values at or below it. The default (zero) for no values.
pub fn nearest_rank<T: Copy + Default>(sorted: &[T], q: f64) -> T {
    if sorted.is_empty() {
        return T::default();
    }
    let rank = ((q * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len());
    sorted[rank - 1]
}

#[cfg(test)]
mod tests {
    use super::nearest_rank;

    #[test]
    fn nearest_rank_percentiles() {
        let v: Vec<u64> = (1..=100).collect();
        assert_eq!(nearest_rank(&v, 0.5), 50);
        assert_eq!(nearest_rank(&v, 0.99), 99);
        assert_eq!(nearest_rank(&v, 1.0), 100);
        assert_eq!(nearest_rank(&v, 0.0), 1);
        assert_eq!(nearest_rank::<u64>(&[], 0.5), 0);
        assert_eq!(nearest_rank(&[7.0], 0.99), 7.0);
    }
}
