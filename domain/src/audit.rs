//! The audit log: every change a person makes, with who, when, what, and how it
//! looked before and after. Entries are written in the same transaction as the
//! change, so a change without its entry cannot exist.

use chrono::{NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};

use super::access::PersonId;

/// The kinds of things whose changes are logged.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum AuditEntity {
    Street,
    Community,
    Company,
    PartyOrganization,
    Person,
    RoleGrant,
    Post,
    Estate,
    Takeover,
    Building,
    Household,
    Resident,
    Committee,
    Registration,
    Service,
    Contract,
    CleaningPlan,
    Complaint,
    StaffProfile,
    StaffLeave,
    BillRun,
    Payment,
    Adjustment,
    ArrearsStep,
    Expense,
    CommonIncome,
    Statement,
    Decision,
    VolunteerTask,
    Volunteer,
}

impl AuditEntity {
    pub const ALL: [AuditEntity; 30] = [
        AuditEntity::Street,
        AuditEntity::Community,
        AuditEntity::Company,
        AuditEntity::PartyOrganization,
        AuditEntity::Person,
        AuditEntity::RoleGrant,
        AuditEntity::Post,
        AuditEntity::Estate,
        AuditEntity::Takeover,
        AuditEntity::Building,
        AuditEntity::Household,
        AuditEntity::Resident,
        AuditEntity::Committee,
        AuditEntity::Registration,
        AuditEntity::Service,
        AuditEntity::Contract,
        AuditEntity::CleaningPlan,
        AuditEntity::Complaint,
        AuditEntity::StaffProfile,
        AuditEntity::StaffLeave,
        AuditEntity::BillRun,
        AuditEntity::Payment,
        AuditEntity::Adjustment,
        AuditEntity::ArrearsStep,
        AuditEntity::Expense,
        AuditEntity::CommonIncome,
        AuditEntity::Statement,
        AuditEntity::Decision,
        AuditEntity::VolunteerTask,
        AuditEntity::Volunteer,
    ];

    pub fn code(self) -> &'static str {
        match self {
            AuditEntity::Street => "street",
            AuditEntity::Community => "community",
            AuditEntity::Company => "company",
            AuditEntity::PartyOrganization => "party_organization",
            AuditEntity::Person => "person",
            AuditEntity::RoleGrant => "role_grant",
            AuditEntity::Post => "post",
            AuditEntity::Estate => "estate",
            AuditEntity::Takeover => "takeover",
            AuditEntity::Building => "building",
            AuditEntity::Household => "household",
            AuditEntity::Resident => "resident",
            AuditEntity::Committee => "committee",
            AuditEntity::Registration => "registration",
            AuditEntity::Service => "service",
            AuditEntity::Contract => "contract",
            AuditEntity::CleaningPlan => "cleaning_plan",
            AuditEntity::Complaint => "complaint",
            AuditEntity::StaffProfile => "staff_profile",
            AuditEntity::StaffLeave => "staff_leave",
            AuditEntity::BillRun => "bill_run",
            AuditEntity::Payment => "payment",
            AuditEntity::Adjustment => "adjustment",
            AuditEntity::ArrearsStep => "arrears_step",
            AuditEntity::Expense => "expense",
            AuditEntity::CommonIncome => "common_income",
            AuditEntity::Statement => "statement",
            AuditEntity::Decision => "decision",
            AuditEntity::VolunteerTask => "volunteer_task",
            AuditEntity::Volunteer => "volunteer",
        }
    }

    pub fn from_code(code: &str) -> Option<AuditEntity> {
        AuditEntity::ALL.into_iter().find(|e| e.code() == code)
    }
}

/// What was done.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum AuditAction {
    Create,
    Rename,
    Close,
    Grant,
    Revoke,
    Disable,
    Enable,
    ResetPassword,
    ChangePassword,
    End,
    Update,
    Import,
    Approve,
    Reject,
}

impl AuditAction {
    pub const ALL: [AuditAction; 14] = [
        AuditAction::Create,
        AuditAction::Rename,
        AuditAction::Close,
        AuditAction::Grant,
        AuditAction::Revoke,
        AuditAction::Disable,
        AuditAction::Enable,
        AuditAction::ResetPassword,
        AuditAction::ChangePassword,
        AuditAction::End,
        AuditAction::Update,
        AuditAction::Import,
        AuditAction::Approve,
        AuditAction::Reject,
    ];

    pub fn code(self) -> &'static str {
        match self {
            AuditAction::Create => "create",
            AuditAction::Rename => "rename",
            AuditAction::Close => "close",
            AuditAction::Grant => "grant",
            AuditAction::Revoke => "revoke",
            AuditAction::Disable => "disable",
            AuditAction::Enable => "enable",
            AuditAction::ResetPassword => "reset_password",
            AuditAction::ChangePassword => "change_password",
            AuditAction::End => "end",
            AuditAction::Update => "update",
            AuditAction::Import => "import",
            AuditAction::Approve => "approve",
            AuditAction::Reject => "reject",
        }
    }

    pub fn from_code(code: &str) -> Option<AuditAction> {
        AuditAction::ALL.into_iter().find(|a| a.code() == code)
    }
}

/// One field that differs between the before and after snapshots.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldChange {
    pub field: String,
    pub before: Option<String>,
    pub after: Option<String>,
}

/// One logged change, as the viewer shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEntry {
    pub id: i64,
    /// UTC.
    pub at: NaiveDateTime,
    pub person: Option<(PersonId, String)>,
    pub entity: AuditEntity,
    pub entity_id: i64,
    pub action: AuditAction,
    pub changes: Vec<FieldChange>,
}

/// The viewer's filters; every one optional. Dates are China dates, inclusive.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditFilter {
    pub entity: Option<AuditEntity>,
    pub person: Option<PersonId>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
}

/// A page of entries, newest first.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditPage {
    pub entries: Vec<AuditEntry>,
    /// The people who appear in the log in this scope, for the person filter.
    pub people: Vec<(PersonId, String)>,
    pub truncated: bool,
}

/// The fields that differ between two flat JSON snapshots, in field order of
/// the after (then before) snapshot. A missing snapshot (creation, deletion)
/// shows every field of the other as changed.
/// The phone numbers in logged changes, masked as the household page masks
/// them for those who only need to recognise a person (Party oversight).
pub fn mask_phones(changes: &mut [FieldChange]) {
    let is_phone = |field: &str| field == "phone" || field.ends_with("_phone");
    for change in changes.iter_mut().filter(|c| is_phone(&c.field)) {
        for value in [&mut change.before, &mut change.after]
            .into_iter()
            .flatten()
        {
            if !value.is_empty() {
                *value = crate::estates::mask_phone(value);
            }
        }
    }
}

pub fn diff(
    before: Option<&serde_json::Value>,
    after: Option<&serde_json::Value>,
) -> Vec<FieldChange> {
    fn fields(v: Option<&serde_json::Value>) -> Vec<(String, String)> {
        match v {
            Some(serde_json::Value::Object(map)) => {
                map.iter().map(|(k, v)| (k.clone(), display(v))).collect()
            }
            Some(other) => vec![("value".to_owned(), display(other))],
            None => Vec::new(),
        }
    }
    fn display(v: &serde_json::Value) -> String {
        match v {
            serde_json::Value::String(s) => s.clone(),
            serde_json::Value::Null => String::new(),
            other => other.to_string(),
        }
    }
    let (before, after) = (fields(before), fields(after));
    let lookup = |list: &[(String, String)], name: &str| {
        list.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone())
    };
    let mut names: Vec<&String> = after.iter().map(|(k, _)| k).collect();
    for (k, _) in &before {
        if !names.contains(&k) {
            names.push(k);
        }
    }
    names
        .into_iter()
        .filter_map(|name| {
            let (b, a) = (lookup(&before, name), lookup(&after, name));
            (b != a).then(|| FieldChange {
                field: name.clone(),
                before: b,
                after: a,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_rename_shows_only_the_changed_field() {
        let before = json!({"name": "文汇社区", "name_en": "Wenhui"});
        let after = json!({"name": "文汇社区（新）", "name_en": "Wenhui"});
        assert_eq!(
            diff(Some(&before), Some(&after)),
            vec![FieldChange {
                field: "name".into(),
                before: Some("文汇社区".into()),
                after: Some("文汇社区（新）".into()),
            }]
        );
    }

    #[test]
    fn a_creation_shows_every_field() {
        let after = json!({"name": "x", "role": "manager"});
        let changes = diff(None, Some(&after));
        assert_eq!(changes.len(), 2);
        assert!(changes.iter().all(|c| c.before.is_none()));
    }

    #[test]
    fn codes_round_trip() {
        for e in AuditEntity::ALL {
            assert_eq!(AuditEntity::from_code(e.code()), Some(e));
        }
        for a in AuditAction::ALL {
            assert_eq!(AuditAction::from_code(a.code()), Some(a));
        }
    }
}
