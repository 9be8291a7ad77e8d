//! The estates area: the estate list by grid unit, an estate with its
//! takeover record, committee and buildings, a household with its residents,
//! CSV imports, the QR poster and self-registration.

mod estate;
mod household;
mod import;
mod join;
mod list;
mod registrations;

pub use estate::EstatePage;
pub use household::HouseholdPage;
pub use import::ImportPage;
pub use join::{JoinPage, PosterPage};
pub use list::EstatesPage;
pub use registrations::RegistrationsPage;

use crate::domain::estates::{
    BaselineItem, CommitteePosition, Condition, RegistrationStatus, Relation, TakeoverState,
};
use crate::i18n::Key;
use crate::ui::components::route_id;

fn relation_label(r: Relation) -> Key {
    match r {
        Relation::Owner => Key::RelationOwner,
        Relation::Tenant => Key::RelationTenant,
        Relation::Family => Key::RelationFamily,
    }
}

fn takeover_state_label(s: TakeoverState) -> Key {
    match s {
        TakeoverState::Unmanaged => Key::TakeoverStateUnmanaged,
        TakeoverState::Overlooked => Key::TakeoverStateOverlooked,
    }
}

fn baseline_label(i: BaselineItem) -> Key {
    match i {
        BaselineItem::Cleaning => Key::BaselineCleaning,
        BaselineItem::Lighting => Key::BaselineLighting,
        BaselineItem::Security => Key::BaselineSecurity,
        BaselineItem::Refuse => Key::BaselineRefuse,
        BaselineItem::Greenery => Key::BaselineGreenery,
        BaselineItem::Repairs => Key::BaselineRepairs,
    }
}

fn condition_label(c: Condition) -> Key {
    match c {
        Condition::Good => Key::ConditionGood,
        Condition::Poor => Key::ConditionPoor,
        Condition::Absent => Key::ConditionAbsent,
    }
}

fn position_label(p: CommitteePosition) -> Key {
    match p {
        CommitteePosition::Chair => Key::CommitteeChair,
        CommitteePosition::ViceChair => Key::CommitteeViceChair,
        CommitteePosition::Member => Key::CommitteeMember,
    }
}

fn registration_status_label(s: RegistrationStatus) -> Key {
    match s {
        RegistrationStatus::Pending => Key::RegistrationPending,
        RegistrationStatus::Approved => Key::RegistrationApproved,
        RegistrationStatus::Rejected => Key::RegistrationRejected,
    }
}

/// (code, label) pairs of a coded list, for a select.
fn choices<T: Copy>(
    all: &[T],
    code: impl Fn(T) -> &'static str,
    label: impl Fn(T) -> Key,
) -> Vec<(String, String)> {
    let i18n = crate::i18n::use_i18n();
    all.iter()
        .map(|x| (code(*x).to_owned(), i18n.t(label(*x)).to_owned()))
        .collect()
}
