//! Instants are stored in UTC; every date a person sees is in China Standard Time
//! (Asia/Shanghai, UTC+8 all year: China keeps no daylight saving).

use chrono::{FixedOffset, NaiveDate, NaiveDateTime};

const CHINA_OFFSET_SECONDS: i32 = 8 * 3600;

/// Checked when the crate is compiled: a bad offset fails the build, not a request.
const CHINA_OFFSET: FixedOffset = match FixedOffset::east_opt(CHINA_OFFSET_SECONDS) {
    Some(offset) => offset,
    None => panic!("UTC+8 is a valid offset"),
};

pub fn china_offset() -> FixedOffset {
    CHINA_OFFSET
}

/// The wall-clock time in China of an instant stored as naive UTC.
pub fn to_china(utc: NaiveDateTime) -> NaiveDateTime {
    utc + chrono::Duration::seconds(i64::from(CHINA_OFFSET_SECONDS))
}

/// The instant, as naive UTC, of a wall-clock time in China.
pub fn from_china(local: NaiveDateTime) -> NaiveDateTime {
    local - chrono::Duration::seconds(i64::from(CHINA_OFFSET_SECONDS))
}

/// The calendar date in China of an instant stored as naive UTC.
pub fn china_date(utc: NaiveDateTime) -> NaiveDate {
    to_china(utc).date()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn late_evening_utc_is_the_next_day_in_china() {
        let utc = NaiveDate::from_ymd_opt(2026, 11, 30)
            .and_then(|d| d.and_hms_opt(16, 30, 0))
            .expect("valid date");
        assert_eq!(
            china_date(utc),
            NaiveDate::from_ymd_opt(2026, 12, 1).expect("valid date")
        );
    }

    #[test]
    fn the_offset_is_eight_hours() {
        assert_eq!(china_offset().local_minus_utc(), 8 * 3600);
    }
}
