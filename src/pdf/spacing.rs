//! The spacing report: how far justification stretched the word spaces.
//!
//! For every justified line (not a paragraph's last line, at least one word
//! space), the layout records the mean word space over the natural width of
//! a space ([`super::layout::LineBox::spacing`]). A reader sees lines above
//! about 1.6x as loose; the goals the tests hold the agreements to are a
//! 95th percentile of at most 1.4x, a maximum of 1.8x and no line over 2x.

use super::layout::LaidBlock;

/// The spacing ratios of the justified lines of one document.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SpacingReport {
    /// One ratio per justified line, sorted ascending.
    pub ratios: Vec<f32>,
}

impl SpacingReport {
    /// The ratios of all justified lines of the laid-out blocks.
    pub fn of(blocks: &[LaidBlock]) -> Self {
        let mut ratios: Vec<f32> = blocks.iter().flat_map(|b| &b.lines).filter_map(|l| l.spacing).collect();
        ratios.sort_by(f32::total_cmp);
        SpacingReport { ratios }
    }

    /// Number of justified lines.
    pub fn lines(&self) -> usize {
        self.ratios.len()
    }

    /// The `q` quantile (0.0-1.0, nearest rank); 1.0 for a document without justified lines.
    pub fn quantile(&self, q: f64) -> f32 {
        if self.ratios.is_empty() {
            return 1.0;
        }
        let rank = (q.clamp(0.0, 1.0) * self.ratios.len() as f64).ceil() as usize;
        self.ratios[rank.clamp(1, self.ratios.len()) - 1]
    }

    /// The 95th percentile.
    pub fn p95(&self) -> f32 {
        self.quantile(0.95)
    }

    /// The loosest line.
    pub fn max(&self) -> f32 {
        self.ratios.last().copied().unwrap_or(1.0)
    }

    /// How many lines are looser than `ratio`.
    pub fn over(&self, ratio: f32) -> usize {
        self.ratios.iter().filter(|&&r| r > ratio).count()
    }
}

impl std::fmt::Display for SpacingReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} justified lines, p95 {:.2}x, max {:.2}x, {} over 1.6x, {} over 2x",
            self.lines(),
            self.p95(),
            self.max(),
            self.over(1.6),
            self.over(2.0)
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantiles_by_nearest_rank() {
        let report = SpacingReport { ratios: (1..=20).map(|i| 1.0 + i as f32 / 20.0).collect() };
        assert_eq!(report.lines(), 20);
        assert_eq!(report.p95(), 1.95);
        assert_eq!(report.max(), 2.0);
        assert_eq!(report.over(1.6), 8);
        assert_eq!(SpacingReport::default().p95(), 1.0);
    }
}
