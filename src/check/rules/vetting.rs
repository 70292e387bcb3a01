//! Dates and the review record: nothing in the future, reviews not overdue,
//! vetted entries with enough reviewers.

use std::fmt;

use jiff::civil::Date;

use super::{Context, Emit};
use crate::model::RawEntry;
use crate::model::raw::items;

/// A release dated after today.
struct FutureRelease {
    date: Date,
    today: Date,
}

impl fmt::Display for FutureRelease {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "the release date {} is after today ({}); record only releases that happened",
            self.date, self.today
        )
    }
}

/// A review dated after today.
struct FutureReview {
    date: Date,
    today: Date,
}

impl fmt::Display for FutureReview {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "the review date {} is after today ({}); record the day the review was done",
            self.date, self.today
        )
    }
}

/// `next_review` has passed.
struct NextReviewPassed {
    due: Date,
}

impl fmt::Display for NextReviewPassed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "the next review was due on {}; review the entry again and update `vetting.reviewed` and `vetting.next_review`",
            self.due
        )
    }
}

/// The last review is older than the policy allows.
struct ReviewTooOld<'a> {
    reviewed: &'a str,
    max_age: u32,
    due: Date,
}

impl fmt::Display for ReviewTooOld<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "the last review ({}) is more than the policy's {} days old (due {}); review the entry again",
            self.reviewed, self.max_age, self.due
        )
    }
}

/// A vetted entry with too few reviewers.
struct TooFewReviewers {
    min: usize,
    named: usize,
}

impl fmt::Display for TooFewReviewers {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "a vetted entry needs at least {} reviewers, this one names {}; add reviewers or set `status: provisional`",
            self.min, self.named
        )
    }
}

crate::message_code!(
    FutureRelease => FutureDate,
    FutureReview => FutureDate,
    NextReviewPassed => ReviewOverdue,
    ReviewTooOld<'a> => ReviewOverdue,
    TooFewReviewers => TooFewReviewers,
);

fn date(text: Option<&str>) -> Option<Date> {
    text.and_then(|t| t.parse().ok())
}

/// When a review is due: `next_review`, or `reviewed` plus the policy's
/// maximum age, whichever comes first.
pub fn due_date(
    reviewed: Option<Date>,
    next_review: Option<Date>,
    max_age_days: u32,
) -> Option<Date> {
    let by_age = reviewed.and_then(|r| {
        r.checked_add(jiff::Span::new().days(i64::from(max_age_days)))
            .ok()
    });
    match (next_review, by_age) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

/// `future-date`: release and review dates are not after today.
pub fn dates(entry: &RawEntry, ctx: &Context<'_>, out: &mut Emit<'_>) {
    let today = ctx.today;
    for (i, release) in items(&entry.versions) {
        if let Some(date) = date(release.released.as_deref())
            && date > today
        {
            out.value(
                format!("/versions/{i}/released"),
                &FutureRelease { date, today },
            );
        }
    }
    if let Some(v) = &entry.vetting
        && let Some(date) = date(v.reviewed.as_deref())
        && date > today
    {
        out.value("/vetting/reviewed", &FutureReview { date, today });
    }
}

/// `review-overdue`.
pub fn overdue(entry: &RawEntry, ctx: &Context<'_>, out: &mut Emit<'_>) {
    let Some(v) = &entry.vetting else {
        return;
    };
    let max_age = ctx.settings.policy.review_max_age_days;
    let reviewed = date(v.reviewed.as_deref());
    let next = date(v.next_review.as_deref());
    match due_date(reviewed, next, max_age) {
        Some(due) if due < ctx.today && next == Some(due) => {
            out.value("/vetting/next_review", &NextReviewPassed { due });
        }
        Some(due) if due < ctx.today => out.value(
            "/vetting/reviewed",
            &ReviewTooOld {
                reviewed: v.reviewed.as_deref().unwrap_or_default(),
                max_age,
                due,
            },
        ),
        _ => {}
    }
}

/// `too-few-reviewers`.
pub fn reviewers(entry: &RawEntry, ctx: &Context<'_>, out: &mut Emit<'_>) {
    let Some(v) = &entry.vetting else {
        return;
    };
    if v.status.as_deref() != Some("vetted") {
        return;
    }
    let min = ctx.settings.policy.vetted_min_reviewers;
    let named = items(&v.reviewers).count();
    if named < min {
        out.value("/vetting/reviewers", &TooFewReviewers { min, named });
    }
}
