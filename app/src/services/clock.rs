//! The one clock. Everything that needs "now" (server functions, routes, the
//! mail worker, reminders, the bill run, the demo seed) asks the `Clock` in
//! `AppState`, so a test or an operator sets the time in one place and no
//! rule ever depends on the day the machine happens to be on.

use chrono::{NaiveDate, NaiveDateTime, TimeDelta};

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Clock {
    /// The machine's clock (UTC).
    #[default]
    System,
    /// The machine's clock moved by a fixed amount: time goes on, from a
    /// chosen starting day (`--today` for a demo or a rehearsal).
    Shifted(TimeDelta),
    /// Always the same instant: tests.
    Fixed(NaiveDateTime),
}

impl Clock {
    /// Now, as naive UTC (the database's convention).
    pub fn now(&self) -> NaiveDateTime {
        match *self {
            Clock::System => system_now(),
            Clock::Shifted(by) => system_now() + by,
            Clock::Fixed(at) => at,
        }
    }

    /// A running clock on which today, in China, is `day`, at the machine's
    /// current time of day.
    pub fn with_china_today(day: NaiveDate) -> Clock {
        let now = system_now();
        let today = crate::domain::time::china_date(now);
        Clock::Shifted(TimeDelta::days((day - today).num_days()))
    }
}

fn system_now() -> NaiveDateTime {
    chrono::Utc::now().naive_utc()
}
