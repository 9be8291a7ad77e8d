//! 一套人马、两块牌子: each person's posts on the company and on its Party
//! organisation, side by side; managers, Party and admins record and end posts.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::roster::{AddPost, EndPost, get_roster};
use crate::domain::roster::{Post, Roster};
use crate::i18n::{I18n, Key, use_i18n};
use crate::ui::components::{Badge, Loaded, SelectField, TextField, Tone, field_error, form_error};

#[component]
pub fn RosterPage() -> impl IntoView {
    let i18n = use_i18n();
    let version = RwSignal::new(0u32);
    let roster = Resource::new_blocking(move || version.get(), |_| get_roster());
    let add = ServerAction::<AddPost>::new();
    let end = ServerAction::<EndPost>::new();
    Effect::new(move |_| {
        let added = add.value().with(|v| matches!(v, Some(Ok(_))));
        let ended = end.value().with(|v| matches!(v, Some(Ok(_))));
        if added || ended {
            version.update(|v| *v += 1);
        }
    });
    view! {
        <Title text=i18n.t(Key::RosterTitle) />
        <h1>{i18n.t(Key::RosterTitle)}</h1>
        <p class="lead">{i18n.t(Key::RosterIntro)}</p>
        {form_error(end.value())}
        <Loaded resource=roster view={move |r| view! { <RosterView r add end /> }} />
    }
}

fn post_text(i18n: I18n, post: &Post) -> String {
    let from = i18n.date(post.starts_on);
    let when = match post.ends_on {
        Some(to) => i18n.fill(Key::RosterUntil, &[("from", &from), ("to", &i18n.date(to))]),
        None => i18n.fill(Key::RosterSince, &[("date", &from)]),
    };
    format!(
        "{} · {} · {}",
        post.title,
        i18n.name(&post.signboard_name),
        when
    )
}

#[component]
fn RosterView(r: Roster, add: ServerAction<AddPost>, end: ServerAction<EndPost>) -> impl IntoView {
    let i18n = use_i18n();
    let today = r.today;
    let can_manage = r.can_manage;
    let posts = move |posts: &[Post]| {
        posts
            .iter()
            .map(|p| {
                let id = p.id.0;
                let held = p.is_held_on(today);
                view! {
                    <li class:post-ended=!held>
                        {post_text(i18n, p)}
                        {(can_manage && p.ends_on.is_none()).then(|| view! {
                            " "
                            <button
                                type="button"
                                class="btn btn-ghost btn-small"
                                on:click=move |_| {
                                    end.dispatch(EndPost { post: id, ends_on: today.to_string() });
                                }
                            >
                                {i18n.t(Key::RosterEnd)}
                            </button>
                        })}
                    </li>
                }
                .into_any()
            })
            .collect_view()
    };
    let rows = r
        .lines
        .iter()
        .map(|line| {
            let both = line.serves_both_on(today);
            view! {
                <tr data-testid="roster-line">
                    <th scope="row" data-label=i18n.t(Key::RosterColPerson)>
                        {line.name.clone()}
                        {both.then(|| view! { " " <Badge tone=Tone::Info>{i18n.t(Key::RosterBoth)}</Badge> })}
                    </th>
                    <td data-label=i18n.t(Key::RosterColCompany)><ul class="plain">{posts(&line.company_posts)}</ul></td>
                    <td data-label=i18n.t(Key::RosterColParty)><ul class="plain">{posts(&line.party_posts)}</ul></td>
                </tr>
            }
            .into_any()
        })
        .collect_view();
    let empty = r.lines.is_empty();
    let add_value = add.value();
    let form = can_manage.then(|| {
        let people = r.people.iter().map(|(id, name)| (id.0.to_string(), name.clone())).collect();
        let boards = r.signboards.iter().map(|s| (s.signboard.code(), i18n.name(&s.name))).collect();
        view! {
            <section class="panel panel-narrow" aria-labelledby="add-post-title">
                <h2 id="add-post-title">{i18n.t(Key::RosterAddTitle)}</h2>
                <ActionForm action=add attr:class="form">
                    <SelectField name="person" label=Key::RosterPersonLabel options=people error=field_error(add_value, "person") />
                    <SelectField name="signboard" label=Key::RosterSignboardLabel options=boards error=field_error(add_value, "signboard") />
                    <TextField name="title" label=Key::RosterPostTitleLabel required=true error=field_error(add_value, "title") />
                    <TextField
                        name="starts_on"
                        label=Key::RosterStartsOnLabel
                        input_type="date"
                        value=RwSignal::new(today.to_string())
                        error=field_error(add_value, "starts_on")
                    />
                    {form_error(add_value)}
                    <button type="submit" class="btn btn-primary">{i18n.t(Key::RosterAddSubmit)}</button>
                </ActionForm>
            </section>
        }
        .into_any()
    });
    view! {
        <section class="panel" aria-labelledby="roster-scope" data-testid="roster">
            <h2 id="roster-scope">{i18n.name(&r.scope)}</h2>
            {empty.then(|| view! { <p class="empty">{i18n.t(Key::RosterEmpty)}</p> })}
            <table class="table table-cards roster">
                <thead>
                    <tr>
                        <th scope="col">{i18n.t(Key::RosterColPerson)}</th>
                        <th scope="col">{i18n.t(Key::RosterColCompany)}</th>
                        <th scope="col">{i18n.t(Key::RosterColParty)}</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </section>
        {form}
    }
}
