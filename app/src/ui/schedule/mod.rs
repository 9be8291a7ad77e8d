//! Staff scheduling on screen: the manager's weekly schedule with
//! assignment and auto-assign, and the staff profiles with leave.

mod staff;
mod week;

pub use staff::StaffPage;
pub use week::WeekSchedulePage;

use crate::domain::pricing::ServiceCategory;
use crate::domain::schedule::{AssignError, AssignRefusal, WeeklyHours};
use crate::i18n::{I18n, Key};
use crate::ui::orders::WEEKDAY_KEYS;
use crate::ui::pricing::category_label;

/// "12.5" hours from minutes.
pub fn hours_text(minutes: i64) -> String {
    let tenths = (minutes * 10 + 30) / 60;
    if tenths % 10 == 0 {
        (tenths / 10).to_string()
    } else {
        format!("{}.{}", tenths / 10, tenths % 10)
    }
}

pub fn skills_text(i18n: I18n, skills: &[ServiceCategory]) -> String {
    if skills.is_empty() {
        return i18n.t(Key::StaffNoSkills).to_owned();
    }
    skills
        .iter()
        .map(|c| i18n.t(category_label(*c)))
        .collect::<Vec<_>>()
        .join("、")
}

/// Runs of days with the same hours: "周一–周五 08:00–18:00；周六 09:00–12:00".
pub fn hours_summary(i18n: I18n, hours: &WeeklyHours) -> String {
    let mut parts = Vec::new();
    let mut i = 0;
    while i < 7 {
        let Some(h) = hours.0[i] else {
            i += 1;
            continue;
        };
        let mut j = i;
        while j + 1 < 7 && hours.0[j + 1] == Some(h) {
            j += 1;
        }
        let days = if i == j {
            i18n.t(WEEKDAY_KEYS[i]).to_owned()
        } else {
            format!("{}–{}", i18n.t(WEEKDAY_KEYS[i]), i18n.t(WEEKDAY_KEYS[j]))
        };
        parts.push(format!("{days} {}", h.label()));
        i = j + 1;
    }
    if parts.is_empty() {
        i18n.t(Key::StaffNoHours).to_owned()
    } else {
        parts.join("；")
    }
}

pub fn refusal_label(r: AssignRefusal) -> Key {
    match r {
        AssignRefusal::Staff(AssignError::NotSkilled) => Key::ScheduleErrorNotSkilled,
        AssignRefusal::Staff(AssignError::OffHours) => Key::ScheduleErrorOffHours,
        AssignRefusal::Staff(AssignError::OnLeave) => Key::ScheduleErrorOnLeave,
        AssignRefusal::Staff(AssignError::Clash) => Key::ScheduleErrorClash,
        AssignRefusal::Changed => Key::ScheduleRefusedChanged,
    }
}
