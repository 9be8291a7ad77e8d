use leptos::prelude::*;
use leptos_meta::{HashedStylesheet, Html, Meta, MetaTags, Title, provide_meta_context};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::{SsrMode, path};

use crate::api::accounts::current_session;
use crate::i18n::{I18n, Key, detect_lang};
use crate::ui::accounts::{AccountPage, LoginPage, PasswordPage, PeoplePage};
use crate::ui::audit::AuditPage;
use crate::ui::billing::{ArrearsPage, BillingPage, HouseholdBillsPage, LedgerPage, ReceiptPage};
use crate::ui::components::{Layout, SessionContext};
use crate::ui::contracts::ContractPage;
use crate::ui::decisions::{DecisionPage, DecisionsPage};
use crate::ui::estates::{
    EstatePage, EstatesPage, HouseholdPage, ImportPage, JoinPage, PosterPage, RegistrationsPage,
};
use crate::ui::landing::LandingPage;
use crate::ui::mail::{OutboxPage, UnsubscribePage};
use crate::ui::not_found::NotFoundPage;
use crate::ui::orders::{
    BookingPage, CompanyOrdersPage, ComplaintsPage, HouseholdOrdersPage, JobsPage, OrderPage,
    PlansPage,
};
use crate::ui::org_admin::OrgAdminPage;
use crate::ui::oversight::{OversightEstatePage, PartyPage};
use crate::ui::places::CompanyPage;
use crate::ui::pricing::{CatalogPage, PriceListPage};
use crate::ui::roster::RosterPage;
use crate::ui::schedule::{StaffPage, WeekSchedulePage};
use crate::ui::statements::{AccountsPage, NoticesPage, StatementPage};
use crate::ui::volunteers::{DispatchPage, VolunteerBoardPage, VolunteerPage, VolunteerTasksPage};

/// The HTML document around the app, rendered on the server only.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    #[cfg(feature = "ssr")]
    crate::api::set_page_security_policy();
    view! {
        <!DOCTYPE html>
        <html>
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
                // The style sheet's name carries its content hash in release
                // builds, so browsers may keep it for a year.
                <HashedStylesheet options=options.clone() id="leptos" />
                <AutoReload options=options.clone() />
                <HydrationScripts options />
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    let i18n = I18n {
        lang: detect_lang(),
    };
    provide_context(i18n);
    crate::ui::components::provide_page_request();
    // Who is signed in, once per page load: the header and the guards read it.
    provide_context(SessionContext(Resource::new_blocking(
        || (),
        |_| current_session(),
    )));
    let app_name = i18n.t(Key::AppName);
    // Effects run in the browser only: mark the page once it is interactive, so
    // tests (and styles, if needed) know clicks will be handled.
    Effect::new(move |_| {
        #[cfg(feature = "hydrate")]
        if let Some(body) = document().body() {
            let _ = body.set_attribute("data-hydrated", "");
        }
    });

    view! {
        <Html attr:lang=i18n.lang.tag() />
        <Title formatter=move |page: String| {
            if page.is_empty() { app_name.to_owned() } else { format!("{page} · {app_name}") }
        } />
        <Meta name="description" content=i18n.t(Key::AppTagline) />
        <Router>
            <Layout>
                <Routes fallback=NotFoundPage>
                    <Route path=path!("/") view=LandingPage ssr=SsrMode::PartiallyBlocked />
                    <Route path=path!("/login") view=LoginPage ssr=SsrMode::PartiallyBlocked />
                    <Route path=path!("/account") view=AccountPage ssr=SsrMode::PartiallyBlocked />
                    <Route path=path!("/account/password") view=PasswordPage ssr=SsrMode::PartiallyBlocked />
                    <Route path=path!("/households/:id") view=HouseholdPage ssr=SsrMode::PartiallyBlocked />
                    <Route path=path!("/estates") view=EstatesPage ssr=SsrMode::PartiallyBlocked />
                    <Route path=path!("/estates/:id") view=EstatePage ssr=SsrMode::PartiallyBlocked />
                    <Route path=path!("/estates/:id/import") view=ImportPage ssr=SsrMode::PartiallyBlocked />
                    <Route path=path!("/estates/:id/poster") view=PosterPage ssr=SsrMode::PartiallyBlocked />
                    <Route path=path!("/estates/:id/accounts") view=AccountsPage ssr=SsrMode::PartiallyBlocked />
                    <Route path=path!("/estates/:id/accounts/:month") view=StatementPage ssr=SsrMode::PartiallyBlocked />
                    <Route path=path!("/estates/:id/notices") view=NoticesPage ssr=SsrMode::PartiallyBlocked />
                    <Route path=path!("/estates/:id/registrations") view=RegistrationsPage ssr=SsrMode::PartiallyBlocked />
                    <Route path=path!("/join/:token") view=JoinPage ssr=SsrMode::PartiallyBlocked />
                    <Route path=path!("/companies/:id") view=CompanyPage ssr=SsrMode::PartiallyBlocked />
                    <Route path=path!("/companies/:id/services") view=CatalogPage ssr=SsrMode::PartiallyBlocked />
                    <Route path=path!("/households/:id/prices") view=PriceListPage ssr=SsrMode::PartiallyBlocked />
                    <Route path=path!("/contracts/:id") view=ContractPage ssr=SsrMode::PartiallyBlocked />
                    <Route path=path!("/households/:id/book") view=BookingPage ssr=SsrMode::PartiallyBlocked />
                    <Route path=path!("/households/:id/orders") view=HouseholdOrdersPage ssr=SsrMode::PartiallyBlocked />
                    <Route path=path!("/orders/:id") view=OrderPage ssr=SsrMode::PartiallyBlocked />
                    <Route path=path!("/companies/:id/orders") view=CompanyOrdersPage ssr=SsrMode::PartiallyBlocked />
                    <Route path=path!("/companies/:id/complaints") view=ComplaintsPage ssr=SsrMode::PartiallyBlocked />
                    <Route path=path!("/companies/:id/plans") view=PlansPage ssr=SsrMode::PartiallyBlocked />
                    <Route path=path!("/companies/:id/schedule") view=WeekSchedulePage ssr=SsrMode::PartiallyBlocked />
                    <Route path=path!("/companies/:id/staff") view=StaffPage ssr=SsrMode::PartiallyBlocked />
                    <Route path=path!("/companies/:id/billing") view=BillingPage ssr=SsrMode::PartiallyBlocked />
                    <Route path=path!("/companies/:id/arrears") view=ArrearsPage ssr=SsrMode::PartiallyBlocked />
                    <Route path=path!("/companies/:id/ledger") view=LedgerPage ssr=SsrMode::PartiallyBlocked />
                    <Route path=path!("/households/:id/bills") view=HouseholdBillsPage ssr=SsrMode::PartiallyBlocked />
                    <Route path=path!("/receipts/:id") view=ReceiptPage ssr=SsrMode::PartiallyBlocked />
                    <Route path=path!("/jobs") view=JobsPage ssr=SsrMode::PartiallyBlocked />
                    <Route path=path!("/party") view=PartyPage ssr=SsrMode::PartiallyBlocked />
                    <Route path=path!("/party/estates/:id") view=OversightEstatePage ssr=SsrMode::PartiallyBlocked />
                    <Route path=path!("/decisions") view=DecisionsPage ssr=SsrMode::PartiallyBlocked />
                    <Route path=path!("/decisions/:id") view=DecisionPage ssr=SsrMode::PartiallyBlocked />
                    <Route path=path!("/households/:id/volunteer") view=VolunteerPage ssr=SsrMode::PartiallyBlocked />
                    <Route path=path!("/volunteers") view=DispatchPage ssr=SsrMode::PartiallyBlocked />
                    <Route path=path!("/volunteers/board") view=VolunteerBoardPage ssr=SsrMode::PartiallyBlocked />
                    <Route path=path!("/volunteering") view=VolunteerTasksPage ssr=SsrMode::PartiallyBlocked />
                    <Route path=path!("/roster") view=RosterPage ssr=SsrMode::PartiallyBlocked />
                    <Route path=path!("/audit") view=AuditPage ssr=SsrMode::PartiallyBlocked />
                    <Route path=path!("/admin") view=OrgAdminPage ssr=SsrMode::PartiallyBlocked />
                    <Route path=path!("/admin/people") view=PeoplePage ssr=SsrMode::PartiallyBlocked />
                    <Route path=path!("/outbox") view=OutboxPage ssr=SsrMode::PartiallyBlocked />
                    <Route path=path!("/mail/unsubscribe/:token/:category") view=UnsubscribePage ssr=SsrMode::PartiallyBlocked />
                </Routes>
            </Layout>
        </Router>
    }
}
