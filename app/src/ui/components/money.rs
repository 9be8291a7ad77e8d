use leptos::prelude::*;

use crate::domain::Money;
use crate::i18n::use_i18n;

/// An amount of money formatted for the page language, with tabular digits so
/// columns line up; negative amounts are marked for the stylesheet.
#[component]
pub fn MoneyText(money: Money) -> impl IntoView {
    let i18n = use_i18n();
    let class = if money.is_negative() {
        "money money-negative"
    } else {
        "money"
    };
    view! {
        <data class=class value=money.to_string()>
            {i18n.money(money)}
        </data>
    }
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::*;

    #[test]
    fn money_is_shown_with_the_yuan_sign_and_its_exact_value() {
        let html = view! { <MoneyText money=Money::from_fen(-123_456) /> }.to_html();
        assert!(html.contains("¥-1,234.56"), "{html}");
        assert!(html.contains("value=\"-1234.56\""), "{html}");
        assert!(html.contains("money-negative"), "{html}");
    }
}
