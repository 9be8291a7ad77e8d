use leptos::prelude::*;

use crate::i18n::{Key, use_i18n};

/// A labelled text input with room for an inline error. The error is tied to the
/// input with `aria-describedby`, so screen readers read it with the field.
#[component]
pub fn TextField(
    /// Form field name; also the element id.
    name: &'static str,
    label: Key,
    #[prop(optional)] value: Option<RwSignal<String>>,
    #[prop(default = "text")] input_type: &'static str,
    #[prop(optional)] placeholder: Option<Key>,
    #[prop(optional)] hint: Option<Key>,
    #[prop(optional, into)] error: Signal<Option<Key>>,
    #[prop(optional)] required: bool,
    #[prop(optional)] autocomplete: Option<&'static str>,
    /// Element id when one page has several forms with the same field names.
    #[prop(optional, into)]
    id: Option<String>,
) -> impl IntoView {
    let i18n = use_i18n();
    let id = id.unwrap_or_else(|| format!("field-{name}"));
    let hint_id = format!("{id}-hint");
    let error_id = format!("{id}-error");
    let described_by = {
        let (hint_id, error_id) = (hint_id.clone(), error_id.clone());
        move || {
            let mut ids = Vec::new();
            if hint.is_some() {
                ids.push(hint_id.clone());
            }
            if error.get().is_some() {
                ids.push(error_id.clone());
            }
            (!ids.is_empty()).then(|| ids.join(" "))
        }
    };
    // Without a signal from the caller the field keeps its own, so the input is
    // always bound the same way.
    let value = value.unwrap_or_else(|| RwSignal::new(String::new()));
    view! {
        <div class="field" class:field-invalid=move || error.get().is_some()>
            <label for=id.clone()>{i18n.t(label)}</label>
            <input
                id=id.clone()
                name=name
                type=input_type
                required=required
                autocomplete=autocomplete
                placeholder=placeholder.map(|k| i18n.t(k))
                aria-invalid=move || error.get().is_some().then_some("true")
                aria-describedby=described_by
                bind:value=value
            />
            {hint.map(|k| view! { <p class="field-hint" id=hint_id.clone()>{i18n.t(k)}</p> })}
            <p class="field-error" id=error_id role="alert">
                {move || error.get().map(|k| i18n.t(k))}
            </p>
        </div>
    }
}

/// A labelled choice from a list, with room for an inline error like
/// [`TextField`]. `options` are (value, label) pairs.
#[component]
pub fn SelectField(
    name: &'static str,
    label: Key,
    options: Vec<(String, String)>,
    #[prop(optional, into)] error: Signal<Option<Key>>,
    #[prop(optional)] placeholder: Option<Key>,
    /// The value chosen at first.
    #[prop(optional, into)]
    selected: Option<String>,
    /// Element id when one page has several forms with the same field names.
    #[prop(optional, into)]
    id: Option<String>,
) -> impl IntoView {
    let i18n = use_i18n();
    let id = id.unwrap_or_else(|| format!("field-{name}"));
    let error_id = format!("{id}-error");
    let described_by = {
        let error_id = error_id.clone();
        move || error.get().is_some().then(|| error_id.clone())
    };
    view! {
        <div class="field" class:field-invalid=move || error.get().is_some()>
            <label for=id.clone()>{i18n.t(label)}</label>
            <select
                id=id.clone()
                name=name
                aria-invalid=move || error.get().is_some().then_some("true")
                aria-describedby=described_by
            >
                {placeholder.map(|k| view! { <option value="">{i18n.t(k)}</option> })}
                {options
                    .into_iter()
                    .map(|(value, text)| {
                        let chosen = selected.as_deref() == Some(value.as_str());
                        view! { <option value=value selected=chosen>{text}</option> }
                    })
                    .collect_view()}
            </select>
            <p class="field-error" id=error_id role="alert">
                {move || error.get().map(|k| i18n.t(k))}
            </p>
        </div>
    }
}

/// A labelled multi-line text with room for an inline error.
#[component]
pub fn TextArea(
    name: &'static str,
    label: Key,
    #[prop(optional, into)] value: String,
    #[prop(optional, into)] error: Signal<Option<Key>>,
    #[prop(optional, into)] id: Option<String>,
) -> impl IntoView {
    let i18n = use_i18n();
    let id = id.unwrap_or_else(|| format!("field-{name}"));
    let error_id = format!("{id}-error");
    let described_by = {
        let error_id = error_id.clone();
        move || error.get().is_some().then(|| error_id.clone())
    };
    view! {
        <div class="field" class:field-invalid=move || error.get().is_some()>
            <label for=id.clone()>{i18n.t(label)}</label>
            <textarea
                id=id.clone()
                name=name
                rows="3"
                aria-invalid=move || error.get().is_some().then_some("true")
                aria-describedby=described_by
            >
                {value}
            </textarea>
            <p class="field-error" id=error_id role="alert">
                {move || error.get().map(|k| i18n.t(k))}
            </p>
        </div>
    }
}

/// A labelled checkbox; the form carries `name=on` when ticked.
#[component]
pub fn CheckField(
    name: &'static str,
    label: Key,
    #[prop(optional)] checked: bool,
    #[prop(optional, into)] id: Option<String>,
) -> impl IntoView {
    let i18n = use_i18n();
    let id = id.unwrap_or_else(|| format!("field-{name}"));
    view! {
        <div class="field field-check">
            <input id=id.clone() name=name type="checkbox" checked=checked />
            <label for=id>{i18n.t(label)}</label>
        </div>
    }
}
