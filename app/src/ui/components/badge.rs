use leptos::prelude::*;

/// What a badge says about its subject; colours come from the stylesheet.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Tone {
    #[default]
    Neutral,
    Info,
    Success,
    Warning,
    Danger,
}

impl Tone {
    fn class(self) -> &'static str {
        match self {
            Tone::Neutral => "badge",
            Tone::Info => "badge badge-info",
            Tone::Success => "badge badge-success",
            Tone::Warning => "badge badge-warning",
            Tone::Danger => "badge badge-danger",
        }
    }
}

/// A short status label, e.g. "below market" or "above market: reason given".
#[component]
pub fn Badge(#[prop(optional)] tone: Tone, children: Children) -> impl IntoView {
    view! { <span class=tone.class()>{children()}</span> }
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::*;

    #[test]
    fn a_badge_carries_its_tone_class() {
        let html = view! { <Badge tone=Tone::Warning>"!"</Badge> }.to_html();
        assert!(html.contains("badge badge-warning"), "{html}");
    }
}
