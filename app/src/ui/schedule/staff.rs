//! Staff profiles: what each staff member may do, when they work, where they
//! start their day, their leave; and the company's travel time between estates.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::AppError;
use crate::api::schedule::{
    AddStaffLeave, RemoveStaffLeave, SaveStaffProfile, SetTravelBuffer, get_staff_profiles,
};
use crate::domain::pricing::ServiceCategory;
use crate::domain::schedule::{StaffProfiles, StaffRow, clock};
use crate::i18n::{Key, use_i18n};
use crate::ui::components::{
    ErrorNotice, Loaded, Refresh, SelectField, TextField, field_error, form_error,
    refresh_on_success, route_id,
};
use crate::ui::orders::WEEKDAY_KEYS;
use crate::ui::pricing::category_label;

use super::{hours_summary, hours_text, skills_text};

#[component]
pub fn StaffPage() -> impl IntoView {
    let id = route_id();
    let version = Refresh::provide();
    let staff = Resource::new_blocking(
        move || (id, version.get()),
        |(id, _)| async move {
            match id {
                Some(id) => get_staff_profiles(id).await,
                None => Err(AppError::NotFound),
            }
        },
    );
    // Made here, outside the part that reloads, so their answers stay shown.
    let save = ServerAction::<SaveStaffProfile>::new();
    refresh_on_success(save.value());
    let leave = ServerAction::<AddStaffLeave>::new();
    refresh_on_success(leave.value());
    let editing: RwSignal<Option<i64>> = RwSignal::new(None);
    Effect::new(move |_| {
        if save.value().with(|v| matches!(v, Some(Ok(())))) {
            editing.set(None);
        }
    });
    view! { <Loaded resource=staff view=move |p| view! { <Staff p save leave editing /> } /> }
}

#[component]
fn Staff(
    p: StaffProfiles,
    save: ServerAction<SaveStaffProfile>,
    leave: ServerAction<AddStaffLeave>,
    editing: RwSignal<Option<i64>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let company = p.company.0;
    let can_manage = p.can_manage;
    let sv = save.value();
    let rows = p
        .staff
        .iter()
        .map(|s| {
            let person = s.profile.person.0;
            let home = s
                .home_estate_name
                .as_ref()
                .map(|n| i18n.name(n))
                .unwrap_or_else(|| i18n.t(Key::StaffNoHome).to_owned());
            let hours = if s.described {
                hours_summary(i18n, &s.profile.hours)
            } else {
                i18n.t(Key::StaffStandard).to_owned()
            };
            let load = i18n.fill(
                Key::ScheduleLoad,
                &[
                    ("booked", &hours_text(s.booked_minutes)),
                    ("available", &hours_text(s.available_minutes)),
                ],
            );
            view! {
                <tr data-testid="staff-profile" data-person=person>
                    <th scope="row">{s.name.clone()}</th>
                    <td data-label=i18n.t(Key::StaffSkills)>{skills_text(i18n, &s.profile.skills)}</td>
                    <td data-label=i18n.t(Key::StaffHours)>{hours}</td>
                    <td data-label=i18n.t(Key::StaffHome)>{home}</td>
                    <td data-label=i18n.t(Key::StaffThisWeek)>{load}</td>
                    {can_manage.then(|| view! {
                        <td class="actions">
                            <button type="button" class="btn btn-ghost btn-small"
                                aria-expanded=move || (editing.get() == Some(person)).to_string()
                                on:click=move |_| editing.set(if editing.get_untracked() == Some(person) { None } else { Some(person) })>
                                {i18n.t(Key::StaffEdit)}
                            </button>
                        </td>
                    })}
                </tr>
            }
        })
        .collect_view();
    let data = StoredValue::new(p.clone());
    let editor = move || {
        let person = editing.get()?;
        let (row, estates) = data.with_value(|p| {
            (
                p.staff
                    .iter()
                    .find(|s| s.profile.person.0 == person)
                    .cloned(),
                p.estates.clone(),
            )
        });
        row.map(|s| view! { <ProfileEditor s company estates save /> })
    };
    let empty = p.staff.is_empty();
    view! {
        <Title text=i18n.t(Key::StaffTitle) />
        <section class="panel" aria-labelledby="staff-title">
            <p class="eyebrow"><a href=format!("/companies/{company}/schedule")>{i18n.t(Key::ScheduleTitle)}</a></p>
            <h1 id="staff-title">{i18n.t(Key::StaffTitle)} " · " {i18n.name(&p.company_name)}</h1>
            {move || sv.with(|v| matches!(v, Some(Ok(())))).then(|| view! {
                <p class="notice notice-success" role="status" data-testid="profile-saved">{i18n.t(Key::StaffSaved)}</p>
            })}
            {empty.then(|| view! { <p class="empty">{i18n.t(Key::ScheduleNoStaff)}</p> })}
            {(!empty).then(|| view! {
                <table class="table table-cards">
                    <thead>
                        <tr>
                            <th scope="col">{i18n.t(Key::ScheduleStaff)}</th>
                            <th scope="col">{i18n.t(Key::StaffSkills)}</th>
                            <th scope="col">{i18n.t(Key::StaffHours)}</th>
                            <th scope="col">{i18n.t(Key::StaffHome)}</th>
                            <th scope="col">{i18n.t(Key::StaffThisWeek)}</th>
                            {can_manage.then(|| view! { <th scope="col"><span class="visually-hidden">{i18n.t(Key::CommonActions)}</span></th> })}
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            })}
            {editor}
        </section>
        <LeaveSection p=p.clone() leave />
        <BufferForm company minutes=p.travel_buffer can_manage />
    }
}

/// Skills, home estate and the hours of each weekday of one staff member.
#[component]
fn ProfileEditor(
    s: StaffRow,
    company: i64,
    estates: Vec<(
        crate::domain::access::EstateId,
        crate::domain::LocalizedName,
    )>,
    save: ServerAction<SaveStaffProfile>,
) -> impl IntoView {
    let i18n = use_i18n();
    let person = s.profile.person.0;
    let v = save.value();
    let skills: RwSignal<Vec<ServiceCategory>> = RwSignal::new(s.profile.skills.clone());
    let home = RwSignal::new(s.profile.home_estate.map(|e| e.0).unwrap_or(0));
    let starts: Vec<RwSignal<String>> = (0..7)
        .map(|i| {
            RwSignal::new(
                s.profile.hours.0[i]
                    .map(|h| clock(h.start))
                    .unwrap_or_default(),
            )
        })
        .collect();
    let ends: Vec<RwSignal<String>> = (0..7)
        .map(|i| {
            RwSignal::new(
                s.profile.hours.0[i]
                    .map(|h| clock(h.end))
                    .unwrap_or_default(),
            )
        })
        .collect();
    let skill_boxes = ServiceCategory::ALL
        .iter()
        .map(|c| {
            let c = *c;
            let id = format!("skill-{}", c.code());
            view! {
                <span class="day-choice">
                    <input type="checkbox" id=id.clone()
                        checked=move || skills.with(|s| s.contains(&c))
                        on:change=move |ev| {
                            let on = event_target_checked(&ev);
                            skills.update(|s| {
                                s.retain(|x| *x != c);
                                if on { s.push(c); s.sort(); }
                            });
                        } />
                    <label for=id>{i18n.t(category_label(c))}</label>
                </span>
            }
        })
        .collect_view();
    let estate_options = estates
        .iter()
        .map(|(id, name)| {
            let id = id.0;
            view! { <option value=id selected=move || home.get() == id>{i18n.name(name)}</option> }
        })
        .collect_view();
    let day_rows = (0..7)
        .map(|i| {
            let (start, end) = (starts[i], ends[i]);
            let field = format!("hours-{}", i + 1);
            let error = move || {
                v.with(|r| match r {
                    Some(Err(AppError::Invalid { field: f, message })) if *f == field => Some(*message),
                    _ => None,
                })
            };
            view! {
                <tr>
                    <th scope="row">{i18n.t(WEEKDAY_KEYS[i])}</th>
                    <td><input type="time" id=format!("start-{}", i + 1) aria-label=format!("{} {}", i18n.t(WEEKDAY_KEYS[i]), i18n.t(Key::StaffStart)) bind:value=start /></td>
                    <td><input type="time" id=format!("end-{}", i + 1) aria-label=format!("{} {}", i18n.t(WEEKDAY_KEYS[i]), i18n.t(Key::StaffEnd)) bind:value=end /></td>
                    <td>
                        <button type="button" class="btn btn-ghost btn-small" on:click=move |_| { start.set(String::new()); end.set(String::new()); }>
                            {i18n.t(Key::StaffDayOff)}
                        </button>
                        <span class="field-error" role="alert">{move || error().map(|k| i18n.t(k))}</span>
                    </td>
                </tr>
            }
        })
        .collect_view();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        save.dispatch(SaveStaffProfile {
            company,
            person,
            skills: skills
                .get_untracked()
                .iter()
                .map(|c| c.code().to_owned())
                .collect(),
            home_estate: home.get_untracked(),
            starts: starts.iter().map(|s| s.get_untracked()).collect(),
            ends: ends.iter().map(|s| s.get_untracked()).collect(),
        });
    };
    view! {
        <form class="form profile-editor" on:submit=submit data-testid="profile-editor">
            <h2>{i18n.fill(Key::StaffEditTitle, &[("name", &s.name)])}</h2>
            <fieldset class="field">
                <legend>{i18n.t(Key::StaffSkills)}</legend>
                <div class="day-list">{skill_boxes}</div>
                <p class="field-error" role="alert">{move || field_error(v, "skills").get().map(|k| i18n.t(k))}</p>
            </fieldset>
            <div class="field">
                <label for="profile-home">{i18n.t(Key::StaffHome)}</label>
                <select id="profile-home" on:change=move |ev| home.set(event_target_value(&ev).parse().unwrap_or(0))>
                    <option value="0">{i18n.t(Key::StaffNoHome)}</option>
                    {estate_options}
                </select>
                <p class="field-error" role="alert">{move || field_error(v, "home_estate").get().map(|k| i18n.t(k))}</p>
            </div>
            <table class="table hours-table">
                <caption>{i18n.t(Key::StaffHours)}</caption>
                <thead>
                    <tr>
                        <th scope="col"><span class="visually-hidden">{i18n.t(Key::StaffDay)}</span></th>
                        <th scope="col">{i18n.t(Key::StaffStart)}</th>
                        <th scope="col">{i18n.t(Key::StaffEnd)}</th>
                        <th scope="col"><span class="visually-hidden">{i18n.t(Key::CommonActions)}</span></th>
                    </tr>
                </thead>
                <tbody>{day_rows}</tbody>
            </table>
            <p class="field-error" role="alert">{move || field_error(v, "hours").get().map(|k| i18n.t(k))}</p>
            {form_error(v)}
            <button type="submit" class="btn btn-primary">{i18n.t(Key::StaffSave)}</button>
        </form>
    }
}

#[component]
fn LeaveSection(p: StaffProfiles, leave: ServerAction<AddStaffLeave>) -> impl IntoView {
    let i18n = use_i18n();
    let company = p.company.0;
    let can_manage = p.can_manage;
    let lv = leave.value();
    let name_of = |person: crate::domain::access::PersonId| {
        p.staff
            .iter()
            .find(|s| s.profile.person == person)
            .map(|s| s.name.clone())
            .unwrap_or_default()
    };
    let items = p
        .leave
        .iter()
        .map(|(id, person, l, note)| {
            let id = id.0;
            view! {
                <li data-testid="leave">
                    <strong>{name_of(*person)}</strong> " "
                    {format!("{} – {}", i18n.date(l.first), i18n.date(l.last))}
                    {(!note.is_empty()).then(|| format!(" · {note}"))}
                    {can_manage.then(|| view! { " " <RemoveLeave company leave=id /> })}
                </li>
            }
        })
        .collect_view();
    let empty = p.leave.is_empty();
    let options: Vec<(String, String)> = p
        .staff
        .iter()
        .map(|s| (s.profile.person.0.to_string(), s.name.clone()))
        .collect();
    view! {
        <section class="panel" aria-labelledby="leave-title">
            <h2 id="leave-title">{i18n.t(Key::StaffLeave)}</h2>
            {empty.then(|| view! { <p class="empty">{i18n.t(Key::StaffLeaveNone)}</p> })}
            <ul class="plain-list leave-list">{items}</ul>
            {can_manage.then(|| view! {
                <ActionForm action=leave attr:class="form">
                    <h3>{i18n.t(Key::StaffLeaveAdd)}</h3>
                    <input type="hidden" name="company" value=company />
                    <div class="form-row">
                        <SelectField name="person" id="leave-person" label=Key::ScheduleStaff options=options.clone() error=field_error(lv, "person") />
                        <TextField name="first" id="leave-first" input_type="date" label=Key::StaffLeaveFirst required=true error=field_error(lv, "first") />
                        <TextField name="last" id="leave-last" input_type="date" label=Key::StaffLeaveLast required=true error=field_error(lv, "last") />
                    </div>
                    <TextField name="note" id="leave-note" label=Key::StaffLeaveNote error=field_error(lv, "note") />
                    {form_error(lv)}
                    {move || lv.get().and_then(|r| r.ok()).map(|n| view! {
                        <p class="notice notice-success" role="status" data-testid="leave-added">
                            {if n == 0 { i18n.t(Key::StaffLeaveAddedNone).to_owned() } else { i18n.fill(Key::StaffLeaveAdded, &[("n", &n.to_string())]) }}
                        </p>
                    })}
                    <button type="submit" class="btn btn-secondary">{i18n.t(Key::StaffLeaveAdd)}</button>
                </ActionForm>
            })}
        </section>
    }
}

#[component]
fn RemoveLeave(company: i64, leave: i64) -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<RemoveStaffLeave>::new();
    refresh_on_success(action.value());
    let v = action.value();
    view! {
        <button type="button" class="btn btn-ghost btn-small" on:click=move |_| {
            action.dispatch(RemoveStaffLeave { company, leave });
        }>{i18n.t(Key::StaffLeaveRemove)}</button>
        {move || v.get().and_then(|r| r.err()).map(|error| view! { <ErrorNotice error /> })}
    }
}

/// The minutes the company allows between jobs at two different estates.
#[component]
fn BufferForm(company: i64, minutes: u32, can_manage: bool) -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<SetTravelBuffer>::new();
    refresh_on_success(action.value());
    let v = action.value();
    view! {
        <section class="panel" aria-labelledby="buffer-title">
            <h2 id="buffer-title">{i18n.t(Key::StaffBuffer)}</h2>
            <p class="muted">{i18n.fill(Key::ScheduleTravelNote, &[("minutes", &minutes.to_string())])}</p>
            {can_manage.then(|| view! {
                <ActionForm action=action attr:class="form form-row">
                    <input type="hidden" name="company" value=company />
                    <TextField name="minutes" id="buffer-minutes" input_type="number" label=Key::StaffBufferMinutes value=RwSignal::new(minutes.to_string()) error=field_error(v, "minutes") />
                    {form_error(v)}
                    <button type="submit" class="btn btn-secondary btn-small">{i18n.t(Key::CommonSave)}</button>
                </ActionForm>
            })}
        </section>
    }
}
