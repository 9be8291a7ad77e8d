//! Files people download and open in a spreadsheet program.

use std::borrow::Cow;

/// One CSV field (RFC 4180), safe to open in a spreadsheet. Text that a
/// spreadsheet would run as a formula (`=HYPERLINK(…)` typed as a payment
/// reference) starts with an apostrophe, which spreadsheets show as text;
/// a number such as `-12.50` (a reversal) is left a number.
pub fn csv_field(text: &str) -> Cow<'_, str> {
    let formula = text.starts_with(['=', '+', '-', '@', '\t', '\r'])
        && text.parse::<rust_decimal::Decimal>().is_err();
    let field: Cow<'_, str> = if formula {
        Cow::Owned(format!("'{text}"))
    } else {
        Cow::Borrowed(text)
    };
    if field.contains([',', '"', '\n', '\r']) {
        Cow::Owned(format!("\"{}\"", field.replace('"', "\"\"")))
    } else {
        field
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn formulas_become_text_and_numbers_stay_numbers() {
        assert_eq!(
            csv_field("=HYPERLINK(\"http://x\",\"y\")"),
            "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\""
        );
        assert_eq!(csv_field("+86 138"), "'+86 138");
        assert_eq!(csv_field("-1+1"), "'-1+1");
        assert_eq!(csv_field("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(csv_field("\tcmd"), "'\tcmd");
        assert_eq!(csv_field("\r=1"), "\"'\r=1\"");
        assert_eq!(csv_field("-12.50"), "-12.50");
        assert_eq!(csv_field("120.00"), "120.00");
        assert_eq!(csv_field("微信 a,b"), "\"微信 a,b\"");
        assert_eq!(csv_field("plain"), "plain");
        assert_eq!(csv_field(""), "");
    }

    proptest! {
        /// Whatever the text, the field does not start a formula once a
        /// spreadsheet has taken off the CSV quotes.
        #[test]
        fn no_field_starts_a_formula(text in "[=+\\-@\t\r\n,\"0-9a-z.]{0,8}") {
            let field = csv_field(&text);
            let unquoted = match field.strip_prefix('"').and_then(|f| f.strip_suffix('"')) {
                Some(inner) => inner.replace("\"\"", "\""),
                None => field.into_owned(),
            };
            let number = unquoted.parse::<rust_decimal::Decimal>().is_ok();
            prop_assert!(number || !unquoted.starts_with(['=', '+', '-', '@', '\t', '\r']), "{unquoted:?}");
        }
    }
}
