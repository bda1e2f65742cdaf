//! Accuracy figures from labelled comparison scores (distances): the ROC, the equal error
//! rate, and the false non-match rate at fixed false match rates (ISO/IEC 19795-1 terms).

use serde::Serialize;

/// A labelled comparison: `genuine` pairs show the same person.
#[derive(Debug, Clone, Copy)]
pub struct Scored {
    pub genuine: bool,
    pub distance: f32,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct AtFmr {
    pub target_fmr: f64,
    /// `None` when there are too few impostor pairs to claim this rate: by the rule of three,
    /// zero errors in n trials bounds the rate at 3/n (95%).
    pub threshold: Option<f32>,
    pub fnmr: Option<f64>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Summary {
    pub genuine: usize,
    pub impostor: usize,
    /// Area under the ROC curve (1.0: the two sets are fully separated).
    pub auc: f64,
    pub eer: f64,
    pub eer_threshold: f32,
    pub at_fmr: Vec<AtFmr>,
    /// The rates at the threshold in use.
    pub threshold: f32,
    pub fmr: f64,
    pub fnmr: f64,
    pub genuine_max: f32,
    pub impostor_min: f32,
}

/// False match rate and false non-match rate when pairs at distance ≤ t are called matches.
pub fn rates(scores: &[Scored], t: f32) -> (f64, f64) {
    let (mut g, mut i, mut fm, mut fnm) = (0usize, 0usize, 0usize, 0usize);
    for s in scores {
        if s.genuine {
            g += 1;
            fnm += usize::from(s.distance > t);
        } else {
            i += 1;
            fm += usize::from(s.distance <= t);
        }
    }
    (
        if i == 0 { 0.0 } else { fm as f64 / i as f64 },
        if g == 0 { 0.0 } else { fnm as f64 / g as f64 },
    )
}

/// Summarise scores; `None` unless there is at least one genuine and one impostor pair.
pub fn summarise(scores: &[Scored], threshold: f32, targets: &[f64]) -> Option<Summary> {
    let mut gen: Vec<f32> = scores
        .iter()
        .filter(|s| s.genuine)
        .map(|s| s.distance)
        .collect();
    let mut imp: Vec<f32> = scores
        .iter()
        .filter(|s| !s.genuine)
        .map(|s| s.distance)
        .collect();
    if gen.is_empty() || imp.is_empty() {
        return None;
    }
    gen.sort_by(f32::total_cmp);
    imp.sort_by(f32::total_cmp);
    // AUC: the chance that a random genuine pair is closer than a random impostor pair.
    let mut wins = 0f64;
    let mut j = 0usize;
    for &g in &gen {
        while j < imp.len() && imp[j] < g {
            j += 1;
        }
        let ties = imp[j..].iter().take_while(|&&x| x == g).count();
        wins += (imp.len() - j - ties) as f64 + ties as f64 / 2.0;
    }
    let auc = wins / (gen.len() as f64 * imp.len() as f64);
    // Candidate thresholds: every observed distance.
    let mut cands: Vec<f32> = gen.iter().chain(imp.iter()).copied().collect();
    cands.sort_by(f32::total_cmp);
    cands.dedup();
    let (mut eer, mut eer_t, mut best) = (1.0, cands[0], f64::INFINITY);
    for &t in &cands {
        let (fmr, fnmr) = rates(scores, t);
        if (fmr - fnmr).abs() < best {
            best = (fmr - fnmr).abs();
            eer = (fmr + fnmr) / 2.0;
            eer_t = t;
        }
    }
    let at_fmr = targets
        .iter()
        .map(|&target| {
            if (imp.len() as f64) < 3.0 / target {
                return AtFmr {
                    target_fmr: target,
                    threshold: None,
                    fnmr: None,
                };
            }
            // The largest threshold whose false match rate stays within the target.
            let allowed = (target * imp.len() as f64).floor() as usize;
            let t = imp[allowed.min(imp.len() - 1)].next_down_f32();
            AtFmr {
                target_fmr: target,
                threshold: Some(t),
                fnmr: Some(rates(scores, t).1),
            }
        })
        .collect();
    let (fmr, fnmr) = rates(scores, threshold);
    Some(Summary {
        genuine: gen.len(),
        impostor: imp.len(),
        auc,
        eer,
        eer_threshold: eer_t,
        at_fmr,
        threshold,
        fmr,
        fnmr,
        genuine_max: *gen.last().expect("non-empty"),
        impostor_min: imp[0],
    })
}

trait NextDown {
    fn next_down_f32(self) -> f32;
}
impl NextDown for f32 {
    /// The largest f32 below `self` (for finite positive and negative values).
    fn next_down_f32(self) -> f32 {
        if self == 0.0 {
            return -f32::MIN_POSITIVE;
        }
        let b = self.to_bits();
        f32::from_bits(if self > 0.0 { b - 1 } else { b + 1 })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(genuine: bool, distance: f32) -> Scored {
        Scored { genuine, distance }
    }

    #[test]
    fn separated_sets_give_auc_one_and_zero_eer() {
        let scores = [s(true, 0.3), s(true, 0.4), s(false, 0.6), s(false, 0.7)];
        let r = summarise(&scores, 0.5, &[0.5]).unwrap();
        assert_eq!(r.auc, 1.0);
        assert_eq!(r.eer, 0.0);
        assert_eq!((r.fmr, r.fnmr), (0.0, 0.0));
        assert_eq!((r.genuine_max, r.impostor_min), (0.4, 0.6));
    }

    #[test]
    fn overlapping_sets_show_their_errors() {
        let scores = [s(true, 0.3), s(true, 0.55), s(false, 0.5), s(false, 0.7)];
        let r = summarise(&scores, 0.52, &[]).unwrap();
        assert_eq!((r.fmr, r.fnmr), (0.5, 0.5));
        assert_eq!(r.auc, 0.75);
    }

    #[test]
    fn fnmr_at_a_fixed_fmr_needs_enough_impostors() {
        let mut scores: Vec<Scored> = (0..300)
            .map(|i| s(false, 0.5 + i as f32 / 1000.0))
            .collect();
        scores.extend((0..10).map(|i| s(true, 0.45 + i as f32 / 100.0)));
        let r = summarise(&scores, 0.5, &[0.01, 0.0001]).unwrap();
        // 1% of 300 impostors = 3 false matches allowed: threshold below the 4th impostor.
        let a = &r.at_fmr[0];
        let t = a.threshold.unwrap();
        assert!((0.502..0.503).contains(&t), "{t}");
        assert_eq!(rates(&scores, t).0, 0.01);
        assert_eq!(a.fnmr, Some(0.4)); // genuine 0.51–0.54 lie above it
                                       // 300 impostors cannot support a claim at 1e-4.
        assert_eq!(r.at_fmr[1].threshold, None);
        assert!(summarise(&scores[..300], 0.5, &[]).is_none());
    }
}
