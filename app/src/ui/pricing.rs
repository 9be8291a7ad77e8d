//! Prices against the market, wherever they appear: the company's catalog with
//! every price version, and the resident's price list. A price at or above the
//! market average always carries its warning and reason.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::AppError;
use crate::api::pricing::{AddService, SetPrice, SetServiceTiming, get_catalog, get_price_list};
use crate::domain::pricing::{
    BillingUnit, Catalog, PriceList, PriceQuote, PriceVersion, Service, ServiceCategory,
};
use crate::i18n::{Key, use_i18n};
use crate::ui::components::{
    Badge, Loaded, MoneyText, Refresh, SelectField, TextField, Tone, field_error, form_error,
    refresh_on_success, route_id,
};

pub fn category_label(c: ServiceCategory) -> Key {
    match c {
        ServiceCategory::Cleaning => Key::ServiceCategoryCleaning,
        ServiceCategory::EstateManagement => Key::ServiceCategoryEstateManagement,
        ServiceCategory::Housekeeping => Key::ServiceCategoryHousekeeping,
        ServiceCategory::Repair => Key::ServiceCategoryRepair,
    }
}

pub fn unit_label(u: BillingUnit) -> Key {
    match u {
        BillingUnit::PerSquareMetreMonth => Key::ServiceUnitPerM2Month,
        BillingUnit::PerHour => Key::ServiceUnitPerHour,
        BillingUnit::PerVisit => Key::ServiceUnitPerVisit,
    }
}

/// Our price, the market average and the saving; a warning when the price is
/// not below the market.
#[component]
pub fn PriceAgainstMarket(quote: PriceQuote, unit: BillingUnit) -> impl IntoView {
    let i18n = use_i18n();
    let saving = quote.saving();
    let per = i18n.t(unit_label(unit));
    let verdict = if quote.above_market() {
        view! {
            <Badge tone=Tone::Danger>{i18n.t(Key::PriceAboveMarket)}</Badge>
            <span class="price-reason">{i18n.t(Key::PriceReason)} ": " {quote.reason.clone()}</span>
        }
        .into_any()
    } else {
        let percent = saving.percent.to_string();
        view! {
            <Badge tone=Tone::Success>
                {i18n.t(Key::PriceSaving)} " " <MoneyText money=saving.amount /> " (" {percent} "%)"
            </Badge>
        }
        .into_any()
    };
    view! {
        <span class="price" data-testid="price">
            <span class="price-ours"><MoneyText money=quote.ours /> <span class="price-unit">{per}</span></span>
            <span class="price-market">{i18n.t(Key::PriceMarket)} " " <MoneyText money=quote.market /></span>
            {verdict}
        </span>
    }
}

#[component]
pub fn CatalogPage() -> impl IntoView {
    let id = route_id();
    let version = Refresh::provide();
    let catalog = Resource::new_blocking(
        move || (id, version.get()),
        |(id, _)| async move {
            match id {
                Some(id) => get_catalog(id).await,
                None => Err(AppError::NotFound),
            }
        },
    );
    view! { <Loaded resource=catalog view=|c| view! { <CatalogView c /> } /> }
}

#[component]
fn CatalogView(c: Catalog) -> impl IntoView {
    let i18n = use_i18n();
    let title = format!(
        "{} · {}",
        i18n.name(&c.company_name),
        i18n.t(Key::CatalogTitle)
    );
    let today = c.today;
    let can_manage = c.can_manage;
    let services = c
        .services
        .into_iter()
        .map(|s| view! { <ServiceCard s today can_manage /> })
        .collect_view();
    let add = can_manage.then(|| view! { <AddServiceForm company=c.company.0 today /> });
    view! {
        <Title text=title.clone() />
        <section class="panel" aria-labelledby="catalog-title">
            <p class="eyebrow"><a href=format!("/companies/{}", c.company)>{i18n.name(&c.company_name)}</a></p>
            <h1 id="catalog-title">{i18n.t(Key::CatalogTitle)}</h1>
            <p class="lead">{i18n.t(Key::CatalogIntro)}</p>
            <ul class="cards">{services}</ul>
            {add}
        </section>
    }
}

#[component]
fn ServiceCard(s: Service, today: chrono::NaiveDate, can_manage: bool) -> impl IntoView {
    let i18n = use_i18n();
    let current = s.price_on(today).cloned();
    let upcoming: Vec<PriceVersion> = s
        .prices
        .iter()
        .filter(|p| p.effective_from > today)
        .cloned()
        .collect();
    let now = match current {
        Some(p) => view! {
            <PriceAgainstMarket quote=p.quote.clone() unit=s.unit />
            <p class="muted">
                {i18n.fill(Key::PriceSource, &[("source", &p.market_source), ("date", &i18n.date(p.surveyed_on))])}
            </p>
        }
        .into_any(),
        None => view! { <p class="empty">{i18n.t(Key::PriceNoneYet)}</p> }.into_any(),
    };
    let next = upcoming
        .into_iter()
        .map(|p| {
            view! {
                <p class="muted">
                    {i18n.fill(Key::PriceFrom, &[("date", &i18n.date(p.effective_from))])} " "
                    <PriceAgainstMarket quote=p.quote.clone() unit=s.unit />
                </p>
            }
        })
        .collect_view();
    let history = s
        .prices
        .iter()
        .map(|p| {
            view! {
                <tr>
                    <td data-label=i18n.t(Key::PriceEffectiveFrom)>{i18n.date(p.effective_from)}</td>
                    <td data-label=i18n.t(Key::PriceOurs) class="num"><MoneyText money=p.quote.ours /></td>
                    <td data-label=i18n.t(Key::PriceMarket) class="num"><MoneyText money=p.quote.market /></td>
                    <td data-label=i18n.t(Key::PriceSourceLabel)>{p.market_source.clone()}</td>
                    <td data-label=i18n.t(Key::PriceSetBy)>{p.set_by.clone()}</td>
                </tr>
            }
        })
        .collect_view();
    let form = can_manage.then(|| view! { <SetPriceForm service=s.id.0 today /> });
    let timing = i18n.fill(
        Key::ServiceTiming,
        &[
            ("minutes", &s.visit_minutes.to_string()),
            ("hours", &s.response_hours.to_string()),
        ],
    );
    let timing_form = can_manage.then(|| {
        view! { <TimingForm service=s.id.0 minutes=s.visit_minutes hours=s.response_hours /> }
    });
    view! {
        <li class="card" data-testid="service">
            <h2 class="card-title">
                {i18n.name(&s.name)} " "
                <span class="muted">{i18n.t(category_label(s.category))}</span>
            </h2>
            {now}
            {next}
            <p class="muted" data-testid="service-timing">{timing}</p>
            {timing_form}
            <details class="history">
                <summary>{i18n.t(Key::PriceHistory)}</summary>
                <table class="table table-cards">
                    <thead>
                        <tr>
                            <th scope="col">{i18n.t(Key::PriceEffectiveFrom)}</th>
                            <th scope="col">{i18n.t(Key::PriceOurs)}</th>
                            <th scope="col">{i18n.t(Key::PriceMarket)}</th>
                            <th scope="col">{i18n.t(Key::PriceSourceLabel)}</th>
                            <th scope="col">{i18n.t(Key::PriceSetBy)}</th>
                        </tr>
                    </thead>
                    <tbody>{history}</tbody>
                </table>
            </details>
            {form}
        </li>
    }
}

/// The length of a visit and the response deadline of a service.
#[component]
fn TimingForm(service: i64, minutes: u32, hours: u32) -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<SetServiceTiming>::new();
    refresh_on_success(action.value());
    let v = action.value();
    view! {
        <details class="history">
            <summary>{i18n.t(Key::ServiceSetTiming)}</summary>
            <ActionForm action=action attr:class="form form-row">
                <input type="hidden" name="service_id" value=service />
                <TextField name="visit_minutes" id=format!("visit-minutes-{service}") input_type="number" label=Key::ServiceVisitMinutes value=RwSignal::new(minutes.to_string()) error=field_error(v, "visit_minutes") />
                <TextField name="response_hours" id=format!("response-hours-{service}") input_type="number" label=Key::ServiceResponseHours value=RwSignal::new(hours.to_string()) error=field_error(v, "response_hours") />
                {form_error(v)}
                <button type="submit" class="btn btn-secondary btn-small">{i18n.t(Key::CommonSave)}</button>
            </ActionForm>
        </details>
    }
}

/// The price fields shared by a new service and a new price version.
#[component]
fn PriceFields(
    prefix: String,
    today: chrono::NaiveDate,
    value: MappedSignal<Option<Result<(), AppError>>>,
) -> impl IntoView {
    let v = value;
    let day = today.to_string();
    view! {
        <TextField name="ours" id=format!("{prefix}-ours") label=Key::PriceOurs required=true error=field_error(v, "ours") />
        <TextField name="market" id=format!("{prefix}-market") label=Key::PriceMarket required=true error=field_error(v, "market") />
        <TextField name="market_source" id=format!("{prefix}-source") label=Key::PriceSourceLabel hint=Key::PriceSourceHint required=true error=field_error(v, "market_source") />
        <TextField name="surveyed_on" id=format!("{prefix}-surveyed") input_type="date" label=Key::PriceSurveyedOn value=RwSignal::new(day.clone()) required=true error=field_error(v, "surveyed_on") />
        <TextField name="effective_from" id=format!("{prefix}-from") input_type="date" label=Key::PriceEffectiveFrom value=RwSignal::new(day) required=true error=field_error(v, "effective_from") />
        <TextField name="reason" id=format!("{prefix}-reason") label=Key::PriceReason hint=Key::PriceReasonHint error=field_error(v, "reason") />
    }
}

#[component]
fn SetPriceForm(service: i64, today: chrono::NaiveDate) -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<SetPrice>::new();
    refresh_on_success(action.value());
    view! {
        <details class="inline-form">
            <summary class="btn btn-secondary btn-small">{i18n.t(Key::PriceNewVersion)}</summary>
            <ActionForm action=action attr:class="form form-row">
                <input type="hidden" name="service_id" value=service />
                <PriceFields prefix=format!("price-{service}") today value=action.value() />
                {form_error(action.value())}
                <button type="submit" class="btn btn-primary">{i18n.t(Key::CommonSave)}</button>
            </ActionForm>
        </details>
    }
}

#[component]
fn AddServiceForm(company: i64, today: chrono::NaiveDate) -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<AddService>::new();
    refresh_on_success(action.value());
    let v = action.value();
    let categories = ServiceCategory::ALL
        .iter()
        .map(|c| (c.code().to_owned(), i18n.t(category_label(*c)).to_owned()))
        .collect();
    let units = BillingUnit::ALL
        .iter()
        .map(|u| (u.code().to_owned(), i18n.t(unit_label(*u)).to_owned()))
        .collect();
    view! {
        <details class="inline-form">
            <summary class="btn btn-primary">{i18n.t(Key::ServiceAdd)}</summary>
            <ActionForm action=action attr:class="form form-row">
                <input type="hidden" name="company" value=company />
                <TextField name="name" id="service-name" label=Key::ServiceName required=true error=field_error(v, "name") />
                <TextField name="name_en" id="service-name-en" label=Key::OrgNameEnLabel error=field_error(v, "name_en") />
                <SelectField name="category" id="service-category" label=Key::ServiceCategory options=categories error=field_error(v, "category") />
                <SelectField name="unit" id="service-unit" label=Key::ServiceUnit options=units error=field_error(v, "unit") />
                <PriceFields prefix="service".to_owned() today value=action.value() />
                {form_error(v)}
                <button type="submit" class="btn btn-primary">{i18n.t(Key::ServiceAdd)}</button>
            </ActionForm>
        </details>
    }
}

#[component]
pub fn PriceListPage() -> impl IntoView {
    let id = route_id();
    let list = Resource::new_blocking(
        move || id,
        |id| async move {
            match id {
                Some(id) => get_price_list(id).await.map(|l| (id, l)),
                None => Err(AppError::NotFound),
            }
        },
    );
    view! { <Loaded resource=list view=|(id, l)| view! { <PriceListView household=id l /> } /> }
}

#[component]
fn PriceListView(household: i64, l: PriceList) -> impl IntoView {
    let i18n = use_i18n();
    let title = format!("{} · {}", i18n.name(&l.estate), i18n.t(Key::PriceListTitle));
    let empty = l.lines.is_empty();
    let lines = l
        .lines
        .into_iter()
        .map(|line| {
            view! {
                <li class="card" data-testid="price-line">
                    <h2 class="card-title">
                        {i18n.name(&line.name)} " "
                        <span class="muted">{i18n.t(category_label(line.category))}</span>
                    </h2>
                    <PriceAgainstMarket quote=line.quote.clone() unit=line.unit />
                    <p class="muted">
                        {i18n.fill(Key::PriceSource, &[("source", &line.market_source), ("date", &i18n.date(line.surveyed_on))])}
                    </p>
                </li>
            }
        })
        .collect_view();
    view! {
        <Title text=title.clone() />
        <section class="panel" aria-labelledby="prices-title" data-testid="price-list">
            <p class="eyebrow"><a href=format!("/households/{household}")>{i18n.name(&l.estate)}</a></p>
            <h1 id="prices-title">{i18n.t(Key::PriceListTitle)}</h1>
            <p class="lead">
                {l.company.as_ref().map(|c| i18n.name(c))} " · "
                {i18n.fill(Key::PriceListAsOf, &[("date", &i18n.date(l.today))])}
            </p>
            {empty.then(|| view! { <p class="empty">{i18n.t(Key::PriceListEmpty)}</p> })}
            <ul class="cards">{lines}</ul>
        </section>
    }
}
