//! The two signboards, one team (一套人马、两块牌子): a company and its Party
//! organisation are separate bodies, and one person may hold a post on each.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::LocalizedName;
use super::access::{PersonId, PostId};
use super::org::{CompanyId, PartyOrganizationId};

/// Which signboard a post is on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Signboard {
    Company(CompanyId),
    PartyOrganization(PartyOrganizationId),
}

impl Signboard {
    /// "company:5" or "party:3", for form fields.
    pub fn code(&self) -> String {
        match self {
            Signboard::Company(id) => format!("company:{id}"),
            Signboard::PartyOrganization(id) => format!("party:{id}"),
        }
    }

    pub fn parse(code: &str) -> Option<Signboard> {
        let (kind, id) = code.split_once(':')?;
        let id: i64 = id.parse().ok()?;
        match kind {
            "company" => Some(Signboard::Company(CompanyId(id))),
            "party" => Some(Signboard::PartyOrganization(PartyOrganizationId(id))),
            _ => None,
        }
    }
}

/// One post: person × signboard × title × dates.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Post {
    pub id: PostId,
    pub signboard: Signboard,
    pub signboard_name: LocalizedName,
    pub title: String,
    pub starts_on: NaiveDate,
    pub ends_on: Option<NaiveDate>,
}

impl Post {
    /// Held on `day`: started, and not yet ended (the end day is the last one).
    pub fn is_held_on(&self, day: NaiveDate) -> bool {
        self.starts_on <= day && self.ends_on.is_none_or(|end| day <= end)
    }
}

/// One person's posts on both signboards, side by side.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RosterLine {
    pub person: PersonId,
    pub name: String,
    pub company_posts: Vec<Post>,
    pub party_posts: Vec<Post>,
}

impl RosterLine {
    /// Holds a current post on both signboards at once.
    pub fn serves_both_on(&self, day: NaiveDate) -> bool {
        self.company_posts.iter().any(|p| p.is_held_on(day))
            && self.party_posts.iter().any(|p| p.is_held_on(day))
    }
}

/// A signboard a post can be added to, for the form.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignboardChoice {
    pub signboard: Signboard,
    pub name: LocalizedName,
}

/// The roster of a scope: every person with a post there, past posts included.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Roster {
    pub scope: LocalizedName,
    pub today: NaiveDate,
    pub lines: Vec<RosterLine>,
    pub signboards: Vec<SignboardChoice>,
    /// Everyone who can be given a post (for the form), when the caller may add.
    pub people: Vec<(PersonId, String)>,
    pub can_manage: bool,
}

/// Groups posts by person, company posts and Party posts apart, people in order
/// of their first post. Posts within a side keep their order (current first).
pub fn roster_lines(posts: Vec<(PersonId, String, Post)>) -> Vec<RosterLine> {
    let mut lines: Vec<RosterLine> = Vec::new();
    for (person, name, post) in posts {
        let index = match lines.iter().position(|l| l.person == person) {
            Some(i) => i,
            None => {
                lines.push(RosterLine {
                    person,
                    name,
                    company_posts: Vec::new(),
                    party_posts: Vec::new(),
                });
                lines.len() - 1
            }
        };
        match post.signboard {
            Signboard::Company(_) => lines[index].company_posts.push(post),
            Signboard::PartyOrganization(_) => lines[index].party_posts.push(post),
        }
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, d).expect("valid date")
    }

    fn post(id: i64, signboard: Signboard, ends_on: Option<NaiveDate>) -> Post {
        Post {
            id: PostId(id),
            signboard,
            signboard_name: LocalizedName::new("牌子", "Board"),
            title: "书记".into(),
            starts_on: day(1),
            ends_on,
        }
    }

    #[test]
    fn the_secretary_who_is_also_manager_shows_on_both_sides() {
        let lines = roster_lines(vec![
            (
                PersonId(1),
                "和丽".into(),
                post(1, Signboard::Company(CompanyId(1)), None),
            ),
            (
                PersonId(2),
                "杨军".into(),
                post(2, Signboard::Company(CompanyId(1)), None),
            ),
            (
                PersonId(1),
                "和丽".into(),
                post(
                    3,
                    Signboard::PartyOrganization(PartyOrganizationId(1)),
                    None,
                ),
            ),
        ]);
        assert_eq!(lines.len(), 2);
        assert_eq!(lines[0].company_posts.len(), 1);
        assert_eq!(lines[0].party_posts.len(), 1);
        assert!(lines[0].serves_both_on(day(10)));
        assert!(!lines[1].serves_both_on(day(10)));
    }

    #[test]
    fn an_ended_post_is_held_through_its_last_day_only() {
        let p = post(1, Signboard::Company(CompanyId(1)), Some(day(10)));
        assert!(p.is_held_on(day(10)));
        assert!(!p.is_held_on(day(11)));
    }
}
