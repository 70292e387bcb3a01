//! The review cycle: when each vetting is due, and which are overdue.

use jiff::civil::Date;
use serde::Serialize;

use crate::model::{Entry, Status, Vetting};

/// When a vetting is due: its `next_review`, or `reviewed` plus the
/// policy's maximum age, whichever comes first.
pub fn due_date(vetting: &Vetting, max_age_days: u32) -> Option<Date> {
    crate::check::rules::due_date(Some(vetting.reviewed), vetting.next_review, max_age_days)
}

/// One entry in the review report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Due {
    /// The tool.
    pub id: String,
    /// Its vetting status.
    pub status: Status,
    /// Date of its last review.
    pub reviewed: String,
    /// Its `next_review`, if set.
    pub next_review: Option<String>,
    /// When the review is due.
    pub due: String,
    /// Days past due (negative: days left).
    pub days_overdue: i64,
    /// Whether it is overdue.
    pub overdue: bool,
}

/// Vettings overdue on `today`, and with `within` also those due within that
/// many days; oldest due date first.
pub fn due<'a>(
    entries: impl IntoIterator<Item = &'a Entry>,
    today: Date,
    max_age_days: u32,
    within: Option<u32>,
) -> Vec<Due> {
    let horizon = today
        .checked_add(jiff::Span::new().days(i64::from(within.unwrap_or(0))))
        .unwrap_or(today);
    let mut out: Vec<Due> = entries
        .into_iter()
        .filter_map(|e| {
            let due = due_date(&e.vetting, max_age_days)?;
            let overdue = due < today;
            if !(overdue || (within.is_some() && due <= horizon)) {
                return None;
            }
            let days = due.until(today).map_or(0, |s| i64::from(s.get_days()));
            Some(Due {
                id: e.id.to_string(),
                status: e.vetting.status,
                reviewed: e.vetting.reviewed.to_string(),
                next_review: e.vetting.next_review.map(|d| d.to_string()),
                due: due.to_string(),
                days_overdue: days,
                overdue,
            })
        })
        .collect();
    out.sort_by(|a, b| a.due.cmp(&b.due).then_with(|| a.id.cmp(&b.id)));
    out
}

/// The report of `review`: the day it is about, the horizon, and the
/// vettings due.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Review {
    /// The day the report is about.
    pub today: String,
    /// The horizon in days (`--within`), if any.
    pub within: Option<u32>,
    /// How many of `tools` are overdue.
    pub overdue: usize,
    /// The vettings due, oldest due date first.
    pub tools: Vec<Due>,
}

/// The column headings of a review table.
pub const REVIEW_HEADER: [&str; 5] = ["ID", "STATUS", "REVIEWED", "DUE", "WHEN"];

impl Review {
    /// The review of `entries` on `today` ([`due`]).
    pub fn build<'a>(
        entries: impl IntoIterator<Item = &'a Entry>,
        today: Date,
        max_age_days: u32,
        within: Option<u32>,
    ) -> Review {
        let tools = due(entries, today, max_age_days, within);
        Review {
            today: today.to_string(),
            within,
            overdue: tools.iter().filter(|r| r.overdue).count(),
            tools,
        }
    }

    /// What to say when nothing is due.
    pub fn nothing_due(&self) -> String {
        match self.within {
            Some(d) => format!("no vetting is due within {d} days"),
            None => "no vetting is due".to_string(),
        }
    }

    /// `N overdue, N due soon`.
    pub fn counts_line(&self) -> String {
        format!(
            "{} overdue, {} due soon",
            self.overdue,
            self.tools.len() - self.overdue
        )
    }
}

impl Due {
    /// `overdue by N days`, `due today` or `due in N days`.
    pub fn when(&self) -> String {
        if self.overdue {
            format!("overdue by {} days", self.days_overdue)
        } else if self.days_overdue == 0 {
            "due today".into()
        } else {
            format!("due in {} days", -self.days_overdue)
        }
    }

    /// The cells under [`REVIEW_HEADER`].
    pub fn cells(&self) -> Vec<String> {
        vec![
            self.id.clone(),
            self.status.as_str().into(),
            self.reviewed.clone(),
            self.due.clone(),
            self.when(),
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vetting(reviewed: &str, next: Option<&str>) -> Vetting {
        Vetting {
            status: Status::Provisional,
            reviewed: reviewed.parse().expect("date"),
            reviewers: vec!["x".into()].into(),
            evidence: Box::default(),
            next_review: next.map(|n| n.parse().expect("date")),
            notes: None,
        }
    }

    fn date(s: &str) -> Date {
        s.parse().expect("date")
    }

    #[test]
    fn due_is_the_earlier_of_next_review_and_max_age() {
        assert_eq!(
            due_date(&vetting("2025-01-01", Some("2025-06-01")), 365),
            Some(date("2025-06-01"))
        );
        assert_eq!(
            due_date(&vetting("2025-01-01", Some("2027-01-01")), 365),
            Some(date("2026-01-01"))
        );
        assert_eq!(
            due_date(&vetting("2025-01-01", None), 30),
            Some(date("2025-01-31"))
        );
    }
}
