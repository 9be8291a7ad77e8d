//! Decision records for major matters (四议两公开): the community Party
//! organisation proposes, the two committees deliberate, the Party members'
//! meeting reviews, the residents' (representatives') meeting resolves, then
//! the resolution is disclosed and later the result of carrying it out.
//! The two meetings that vote need two thirds present and more than half of
//! those present in favour; all of it is decided here, in whole numbers.

use chrono::{NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};

use super::LocalizedName;
use super::access::EstateId;
use super::org::{CompanyId, PartyOrganizationId};
use super::roster::{Post, Signboard};

id_type!(DecisionId);

coded_enum!(
    /// What the matter is.
    DecisionKind {
        PriceChange = "price_change",
        NewContract = "new_contract",
        MajorRepair = "major_repair",
        Other = "other",
    }
);

coded_enum!(
    /// The six steps, in the order they must be taken.
    DecisionStep {
        /// 党组织提议
        Propose = "propose",
        /// 两委商议: the Party committee with the company or homeowner committee.
        Deliberate = "deliberate",
        /// 党员大会审议
        MembersReview = "members_review",
        /// 居民（代表）会议决议
        Resolve = "resolve",
        /// 决议公开
        DiscloseResolution = "disclose_resolution",
        /// 实施结果公开
        DiscloseImplementation = "disclose_implementation",
    }
);

impl DecisionStep {
    /// The step after this one, if any.
    pub fn next(self) -> Option<DecisionStep> {
        let all = DecisionStep::ALL;
        all.iter()
            .position(|s| *s == self)
            .and_then(|i| all.get(i + 1))
            .copied()
    }

    /// 1 to 6, as the steps are numbered on paper.
    pub fn number(self) -> usize {
        DecisionStep::ALL
            .iter()
            .position(|s| *s == self)
            .map_or(0, |i| i + 1)
    }

    /// A meeting that votes: attendance is required and the quorum applies.
    pub fn votes(self) -> bool {
        matches!(self, DecisionStep::MembersReview | DecisionStep::Resolve)
    }

    /// A disclosure to the residents rather than a meeting.
    pub fn is_disclosure(self) -> bool {
        matches!(
            self,
            DecisionStep::DiscloseResolution | DecisionStep::DiscloseImplementation
        )
    }
}

coded_enum!(
    /// Where a decision stands: after which step, or rejected by a vote.
    DecisionState {
        Proposed = "proposed",
        Deliberated = "deliberated",
        Reviewed = "reviewed",
        Resolved = "resolved",
        Disclosed = "disclosed",
        Implemented = "implemented",
        /// A valid meeting voted it down: the matter is closed.
        Rejected = "rejected",
    }
);

impl DecisionState {
    /// The step to take next; `None` once closed.
    pub fn next_step(self) -> Option<DecisionStep> {
        match self {
            DecisionState::Proposed => Some(DecisionStep::Deliberate),
            DecisionState::Deliberated => Some(DecisionStep::MembersReview),
            DecisionState::Reviewed => Some(DecisionStep::Resolve),
            DecisionState::Resolved => Some(DecisionStep::DiscloseResolution),
            DecisionState::Disclosed => Some(DecisionStep::DiscloseImplementation),
            DecisionState::Implemented | DecisionState::Rejected => None,
        }
    }

    /// The resolution is out: the affected estates' residents see it.
    pub fn is_disclosed(self) -> bool {
        matches!(self, DecisionState::Disclosed | DecisionState::Implemented)
    }

    /// Where a step that passes leaves the decision.
    fn after(step: DecisionStep, merged: bool) -> DecisionState {
        match step {
            DecisionStep::Propose if merged => DecisionState::Deliberated,
            DecisionStep::Propose => DecisionState::Proposed,
            DecisionStep::Deliberate => DecisionState::Deliberated,
            DecisionStep::MembersReview => DecisionState::Reviewed,
            DecisionStep::Resolve => DecisionState::Resolved,
            DecisionStep::DiscloseResolution => DecisionState::Disclosed,
            DecisionStep::DiscloseImplementation => DecisionState::Implemented,
        }
    }
}

/// Who was expected at a meeting, who came and how many agreed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attendance {
    /// Members or representatives entitled to attend.
    pub expected: i64,
    pub attended: i64,
    pub agreed: i64,
}

impl Attendance {
    /// The fewest present for a quorum: two thirds of those expected,
    /// rounded up (9 expected → 6).
    pub fn quorum_needed(&self) -> i64 {
        let needed = (i128::from(self.expected.max(0)) * 2 + 2) / 3;
        i64::try_from(needed).unwrap_or(i64::MAX)
    }

    /// At least two thirds present: attended × 3 ≥ expected × 2.
    pub fn has_quorum(&self) -> bool {
        i128::from(self.attended) * 3 >= i128::from(self.expected) * 2
    }

    /// More than half of those present agreed: agreed × 2 > attended.
    pub fn has_majority(&self) -> bool {
        i128::from(self.agreed) * 2 > i128::from(self.attended)
    }

    /// The counts fit together: someone was expected, nobody attended who
    /// was not expected, nobody agreed who did not attend.
    pub fn check(&self) -> Result<(), DecisionError> {
        if self.expected < 1 {
            return Err(DecisionError::NobodyExpected);
        }
        if self.attended < 0 || self.attended > self.expected {
            return Err(DecisionError::MoreAttendedThanExpected);
        }
        if self.agreed < 0 || self.agreed > self.attended {
            return Err(DecisionError::MoreAgreedThanAttended);
        }
        Ok(())
    }

    /// The quorum refusal for these counts, if they fall short.
    pub fn quorum_error(&self) -> Option<DecisionError> {
        (!self.has_quorum()).then(|| DecisionError::QuorumShort {
            attended: self.attended,
            expected: self.expected,
            needed: self.quorum_needed(),
        })
    }
}

/// Why a step was refused. Nothing is recorded when one of these is returned.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
pub enum DecisionError {
    #[error("the decision is closed")]
    Closed,
    #[error("the next step is {expected:?}")]
    OutOfOrder { expected: DecisionStep },
    #[error("only proposing and deliberating may be one record")]
    MergeOnlyFirst,
    #[error("merging needs one person holding a Party post and a company or committee post")]
    MergeNeedsBothPosts,
    #[error("the date is in the future")]
    FutureDate,
    #[error("the date is before the previous step's, {previous}")]
    BeforePrevious { previous: NaiveDate },
    #[error("this meeting's attendance is required")]
    AttendanceRequired,
    #[error("nobody was expected")]
    NobodyExpected,
    #[error("more attended than were expected")]
    MoreAttendedThanExpected,
    #[error("more agreed than attended")]
    MoreAgreedThanAttended,
    #[error("{attended} attended, fewer than two thirds of {expected} ({needed} needed)")]
    QuorumShort {
        attended: i64,
        expected: i64,
        needed: i64,
    },
}

/// The facts a step is checked against.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StepFacts {
    /// Where the decision stands; `None` before it is proposed.
    pub state: Option<DecisionState>,
    /// The date of the latest step recorded.
    pub last_held_on: Option<NaiveDate>,
    /// Today in China.
    pub today: NaiveDate,
    /// The person recording holds both posts (see [`may_merge`]).
    pub holds_both_posts: bool,
}

/// A step as someone asks to record it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StepRequest {
    pub step: DecisionStep,
    /// Proposing and deliberating as one record.
    pub merged: bool,
    pub held_on: NaiveDate,
    pub attendance: Option<Attendance>,
}

/// Checks a step against the order of the six steps, the dates, the
/// attendance and the quorum, and says where it leaves the decision. A
/// meeting short of its quorum is refused; a valid meeting that does not
/// give a majority closes the decision as rejected.
pub fn check_step(facts: &StepFacts, req: &StepRequest) -> Result<DecisionState, DecisionError> {
    let expected = match facts.state {
        None => DecisionStep::Propose,
        Some(state) => state.next_step().ok_or(DecisionError::Closed)?,
    };
    if req.step != expected {
        return Err(DecisionError::OutOfOrder { expected });
    }
    if req.merged {
        if req.step != DecisionStep::Propose {
            return Err(DecisionError::MergeOnlyFirst);
        }
        if !facts.holds_both_posts {
            return Err(DecisionError::MergeNeedsBothPosts);
        }
    }
    if req.held_on > facts.today {
        return Err(DecisionError::FutureDate);
    }
    if let Some(previous) = facts.last_held_on
        && req.held_on < previous
    {
        return Err(DecisionError::BeforePrevious { previous });
    }
    match req.attendance {
        Some(a) => a.check()?,
        None if req.step.votes() => return Err(DecisionError::AttendanceRequired),
        None => {}
    }
    if req.step.votes()
        && let Some(a) = req.attendance
    {
        if let Some(short) = a.quorum_error() {
            return Err(short);
        }
        if !a.has_majority() {
            return Ok(DecisionState::Rejected);
        }
    }
    Ok(DecisionState::after(req.step, req.merged))
}

/// One team, two signboards (一套人马、两块牌子): proposing and deliberating
/// may be one record only when the person recording holds, on `on`, a post
/// on the community's Party organisation and also a post in a company
/// serving the affected estates, or a seat on one of their committees.
pub fn may_merge(
    posts: &[Post],
    party: Option<PartyOrganizationId>,
    companies: &[CompanyId],
    sits_on_committee: bool,
    on: NaiveDate,
) -> bool {
    let Some(party) = party else {
        return false;
    };
    let party_post = posts
        .iter()
        .any(|p| p.signboard == Signboard::PartyOrganization(party) && p.is_held_on(on));
    let company_post = posts.iter().any(|p| {
        matches!(p.signboard, Signboard::Company(c) if companies.contains(&c)) && p.is_held_on(on)
    });
    party_post && (company_post || sits_on_committee)
}

// ----- views -----

/// A recorded step.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StepRecord {
    pub step: DecisionStep,
    /// Also stands for deliberating (only on the proposal).
    pub merged: bool,
    pub held_on: NaiveDate,
    pub attendance: Option<Attendance>,
    pub outcome: String,
    pub recorded_by: String,
    pub recorded_at: NaiveDateTime,
}

/// The record that stands for `step`: its own, or for deliberating the
/// proposal it was merged into.
pub fn record_for(steps: &[StepRecord], step: DecisionStep) -> Option<&StepRecord> {
    steps.iter().find(|r| r.step == step).or_else(|| {
        (step == DecisionStep::Deliberate)
            .then(|| {
                steps
                    .iter()
                    .find(|r| r.step == DecisionStep::Propose && r.merged)
            })
            .flatten()
    })
}

/// One decision with every step recorded and what the caller may do.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DecisionView {
    pub id: DecisionId,
    pub kind: DecisionKind,
    pub title: String,
    pub details: String,
    pub state: DecisionState,
    pub community: LocalizedName,
    pub estates: Vec<(EstateId, LocalizedName)>,
    /// In the order taken.
    pub steps: Vec<StepRecord>,
    /// May record the next step.
    pub can_record: bool,
    /// Today in China, the latest date a step may carry.
    pub today: NaiveDate,
}

impl DecisionView {
    pub fn next_step(&self) -> Option<DecisionStep> {
        self.state.next_step()
    }

    /// The earliest date the next step may carry.
    pub fn last_held_on(&self) -> Option<NaiveDate> {
        self.steps.iter().map(|s| s.held_on).max()
    }
}

/// A decision as listed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DecisionSummary {
    pub id: DecisionId,
    pub kind: DecisionKind,
    pub title: String,
    pub state: DecisionState,
    pub community: LocalizedName,
    pub estates: Vec<LocalizedName>,
    /// The latest step taken and its date.
    pub last_step: Option<(DecisionStep, NaiveDate)>,
}

/// An estate a decision may be proposed for.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EstateChoice {
    pub id: EstateId,
    pub name: LocalizedName,
    pub community: LocalizedName,
}

/// The decisions in the caller's scope and, for a Party officer, the
/// estates a new one may concern.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DecisionsOverview {
    /// Newest first.
    pub items: Vec<DecisionSummary>,
    pub estates: Vec<EstateChoice>,
    pub can_record: bool,
    pub today: NaiveDate,
}

/// A disclosed decision as an affected estate's residents see it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DecisionNotice {
    pub id: DecisionId,
    pub kind: DecisionKind,
    pub title: String,
    /// The residents' (representatives') meeting: its date and vote.
    pub resolved_on: Option<NaiveDate>,
    pub vote: Option<Attendance>,
    /// The text disclosed, and when.
    pub resolution: String,
    pub disclosed_on: NaiveDate,
    /// The result of carrying it out, once disclosed.
    pub implementation: Option<(NaiveDate, String)>,
}

/// The decisions disclosed to one estate, newest first.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DecisionNotices {
    pub estate: EstateId,
    pub items: Vec<DecisionNotice>,
}

/// The notice for a decision, once its resolution is disclosed.
pub fn notice_of(
    id: DecisionId,
    kind: DecisionKind,
    title: &str,
    steps: &[StepRecord],
) -> Option<DecisionNotice> {
    let disclosed = record_for(steps, DecisionStep::DiscloseResolution)?;
    let resolved = record_for(steps, DecisionStep::Resolve);
    Some(DecisionNotice {
        id,
        kind,
        title: title.to_owned(),
        resolved_on: resolved.map(|r| r.held_on),
        vote: resolved.and_then(|r| r.attendance),
        resolution: disclosed.outcome.clone(),
        disclosed_on: disclosed.held_on,
        implementation: record_for(steps, DecisionStep::DiscloseImplementation)
            .map(|r| (r.held_on, r.outcome.clone())),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::access::PostId;
    use proptest::prelude::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("date")
    }

    fn facts(state: Option<DecisionState>) -> StepFacts {
        StepFacts {
            state,
            last_held_on: Some(day(2026, 11, 1)),
            today: day(2026, 11, 27),
            holds_both_posts: false,
        }
    }

    fn req(step: DecisionStep, attendance: Option<(i64, i64, i64)>) -> StepRequest {
        StepRequest {
            step,
            merged: false,
            held_on: day(2026, 11, 20),
            attendance: attendance.map(|(expected, attended, agreed)| Attendance {
                expected,
                attended,
                agreed,
            }),
        }
    }

    #[test]
    fn the_six_steps_go_in_order_to_implemented() {
        use DecisionState::*;
        let mut state = None;
        let mut seen = Vec::new();
        for step in DecisionStep::ALL {
            let attendance = step.votes().then_some((9, 7, 5));
            let next = check_step(&facts(state), &req(*step, attendance)).expect("passes");
            seen.push(next);
            state = Some(next);
        }
        assert_eq!(
            seen,
            vec![
                Proposed,
                Deliberated,
                Reviewed,
                Resolved,
                Disclosed,
                Implemented
            ]
        );
        assert_eq!(
            check_step(&facts(Some(Implemented)), &req(DecisionStep::Propose, None)),
            Err(DecisionError::Closed)
        );
        assert_eq!(DecisionStep::Propose.next(), Some(DecisionStep::Deliberate));
        assert_eq!(DecisionStep::DiscloseImplementation.next(), None);
        assert_eq!(DecisionStep::Resolve.number(), 4);
    }

    #[test]
    fn a_step_out_of_order_is_refused() {
        assert_eq!(
            check_step(
                &facts(Some(DecisionState::Proposed)),
                &req(DecisionStep::MembersReview, Some((9, 9, 9)))
            ),
            Err(DecisionError::OutOfOrder {
                expected: DecisionStep::Deliberate
            })
        );
        assert_eq!(
            check_step(&facts(None), &req(DecisionStep::Deliberate, None)),
            Err(DecisionError::OutOfOrder {
                expected: DecisionStep::Propose
            })
        );
        assert_eq!(
            check_step(
                &facts(Some(DecisionState::Rejected)),
                &req(DecisionStep::Resolve, Some((9, 9, 9)))
            ),
            Err(DecisionError::Closed)
        );
    }

    #[test]
    fn dates_may_not_be_in_the_future_nor_before_the_previous_step() {
        let f = facts(Some(DecisionState::Proposed));
        let mut r = req(DecisionStep::Deliberate, None);
        r.held_on = day(2026, 11, 28);
        assert_eq!(check_step(&f, &r), Err(DecisionError::FutureDate));
        r.held_on = day(2026, 10, 31);
        assert_eq!(
            check_step(&f, &r),
            Err(DecisionError::BeforePrevious {
                previous: day(2026, 11, 1)
            })
        );
        // The same day as the previous step, and today, are fine.
        r.held_on = day(2026, 11, 1);
        assert_eq!(check_step(&f, &r), Ok(DecisionState::Deliberated));
        r.held_on = day(2026, 11, 27);
        assert_eq!(check_step(&f, &r), Ok(DecisionState::Deliberated));
    }

    #[test]
    fn the_meetings_that_vote_need_attendance_a_quorum_and_a_majority() {
        let f = facts(Some(DecisionState::Deliberated));
        let review = |a| check_step(&f, &req(DecisionStep::MembersReview, a));
        assert_eq!(review(None), Err(DecisionError::AttendanceRequired));
        assert_eq!(
            review(Some((9, 5, 5))),
            Err(DecisionError::QuorumShort {
                attended: 5,
                expected: 9,
                needed: 6
            })
        );
        assert_eq!(review(Some((0, 0, 0))), Err(DecisionError::NobodyExpected));
        assert_eq!(
            review(Some((9, 10, 5))),
            Err(DecisionError::MoreAttendedThanExpected)
        );
        assert_eq!(
            review(Some((9, 6, 7))),
            Err(DecisionError::MoreAgreedThanAttended)
        );
        // Six of nine is two thirds exactly; three of six is not more than half.
        assert_eq!(review(Some((9, 6, 4))), Ok(DecisionState::Reviewed));
        assert_eq!(review(Some((9, 6, 3))), Ok(DecisionState::Rejected));
        let resolve = |a| {
            check_step(
                &facts(Some(DecisionState::Reviewed)),
                &req(DecisionStep::Resolve, a),
            )
        };
        assert_eq!(resolve(Some((30, 21, 11))), Ok(DecisionState::Resolved));
        assert_eq!(resolve(Some((30, 20, 10))), Ok(DecisionState::Rejected));
        assert!(matches!(
            resolve(Some((30, 19, 19))),
            Err(DecisionError::QuorumShort { needed: 20, .. })
        ));
    }

    #[test]
    fn attendance_is_optional_for_the_first_two_steps_but_must_add_up() {
        assert_eq!(
            check_step(&facts(None), &req(DecisionStep::Propose, None)),
            Ok(DecisionState::Proposed)
        );
        // No quorum applies to the committees' meeting.
        assert_eq!(
            check_step(
                &facts(Some(DecisionState::Proposed)),
                &req(DecisionStep::Deliberate, Some((9, 2, 1)))
            ),
            Ok(DecisionState::Deliberated)
        );
        assert_eq!(
            check_step(
                &facts(Some(DecisionState::Proposed)),
                &req(DecisionStep::Deliberate, Some((9, 2, 3)))
            ),
            Err(DecisionError::MoreAgreedThanAttended)
        );
    }

    #[test]
    fn merging_the_first_two_steps_needs_both_posts() {
        let mut r = req(DecisionStep::Propose, None);
        r.merged = true;
        assert_eq!(
            check_step(&facts(None), &r),
            Err(DecisionError::MergeNeedsBothPosts)
        );
        let both = StepFacts {
            holds_both_posts: true,
            ..facts(None)
        };
        assert_eq!(check_step(&both, &r), Ok(DecisionState::Deliberated));
        let mut later = req(DecisionStep::Deliberate, None);
        later.merged = true;
        assert_eq!(
            check_step(
                &StepFacts {
                    holds_both_posts: true,
                    ..facts(Some(DecisionState::Proposed))
                },
                &later
            ),
            Err(DecisionError::MergeOnlyFirst)
        );
    }

    fn post(signboard: Signboard, ends_on: Option<NaiveDate>) -> Post {
        Post {
            id: PostId(1),
            signboard,
            signboard_name: LocalizedName::new("文汇", "Wenhui"),
            title: "书记".into(),
            starts_on: day(2020, 5, 18),
            ends_on,
        }
    }

    #[test]
    fn one_team_two_signboards_is_a_current_post_on_each() {
        let on = day(2026, 11, 27);
        let party = PartyOrganizationId(3);
        let company = CompanyId(4);
        let p = post(Signboard::PartyOrganization(party), None);
        let c = post(Signboard::Company(company), None);
        assert!(may_merge(
            &[p.clone(), c.clone()],
            Some(party),
            &[company],
            false,
            on
        ));
        // Party post alone; or with a seat on a committee.
        assert!(!may_merge(
            std::slice::from_ref(&p),
            Some(party),
            &[company],
            false,
            on
        ));
        assert!(may_merge(
            std::slice::from_ref(&p),
            Some(party),
            &[company],
            true,
            on
        ));
        // Another company's post, another branch's post, an ended post.
        assert!(!may_merge(
            &[p.clone(), c.clone()],
            Some(party),
            &[CompanyId(5)],
            false,
            on
        ));
        assert!(!may_merge(
            &[p.clone(), c.clone()],
            Some(PartyOrganizationId(9)),
            &[company],
            false,
            on
        ));
        let ended = post(Signboard::Company(company), Some(day(2026, 11, 26)));
        assert!(!may_merge(&[p, ended], Some(party), &[company], false, on));
        assert!(!may_merge(&[c], None, &[company], true, on));
    }

    #[test]
    fn the_notice_appears_with_the_disclosure_and_carries_the_vote() {
        let record =
            |step, merged, d: u32, attendance: Option<Attendance>, outcome: &str| StepRecord {
                step,
                merged,
                held_on: day(2026, 11, d),
                attendance,
                outcome: outcome.into(),
                recorded_by: "木林".into(),
                recorded_at: day(2026, 11, d).and_hms_opt(4, 0, 0).expect("time"),
            };
        let vote = Attendance {
            expected: 30,
            attended: 24,
            agreed: 20,
        };
        let mut steps = vec![
            record(DecisionStep::Propose, true, 1, None, "提议"),
            record(DecisionStep::MembersReview, false, 5, None, "审议"),
            record(DecisionStep::Resolve, false, 10, Some(vote), "决议"),
        ];
        assert_eq!(
            record_for(&steps, DecisionStep::Deliberate).map(|r| r.step),
            Some(DecisionStep::Propose)
        );
        let id = DecisionId(1);
        assert!(notice_of(id, DecisionKind::MajorRepair, "电梯", &steps).is_none());
        steps.push(record(
            DecisionStep::DiscloseResolution,
            false,
            12,
            None,
            "公开",
        ));
        let notice = notice_of(id, DecisionKind::MajorRepair, "电梯", &steps).expect("notice");
        assert_eq!(notice.resolution, "公开");
        assert_eq!(notice.vote, Some(vote));
        assert_eq!(notice.resolved_on, Some(day(2026, 11, 10)));
        assert!(notice.implementation.is_none());
        steps.push(record(
            DecisionStep::DiscloseImplementation,
            false,
            20,
            None,
            "完工",
        ));
        let notice = notice_of(id, DecisionKind::MajorRepair, "电梯", &steps).expect("notice");
        assert_eq!(
            notice.implementation,
            Some((day(2026, 11, 20), "完工".to_owned()))
        );
    }

    proptest! {
        /// The quorum is exactly "at least two thirds present" and the
        /// majority exactly "more than half of those present", both by whole
        /// numbers: the fewest who make a quorum is ⌈2e/3⌉, and the fewest
        /// who make a majority is ⌊a/2⌋ + 1.
        #[test]
        fn quorum_and_majority_are_exact(
            expected in 1i64..1_000_000,
            attended_share in 0u32..=1000,
            agreed_share in 0u32..=1000,
        ) {
            let attended = expected * i64::from(attended_share) / 1000;
            let agreed = attended * i64::from(agreed_share) / 1000;
            let a = Attendance { expected, attended, agreed };
            prop_assert!(a.check().is_ok());
            let needed = a.quorum_needed();
            prop_assert!(needed * 3 >= expected * 2);
            prop_assert!((needed - 1) * 3 < expected * 2);
            prop_assert_eq!(a.has_quorum(), attended >= needed);
            prop_assert_eq!(a.has_majority(), agreed > attended / 2);
            prop_assert_eq!(a.has_majority(), agreed > attended / 2);
            let outcome = check_step(
                &StepFacts {
                    state: Some(DecisionState::Deliberated),
                    last_held_on: None,
                    today: NaiveDate::from_ymd_opt(2026, 11, 27).expect("date"),
                    holds_both_posts: false,
                },
                &StepRequest {
                    step: DecisionStep::MembersReview,
                    merged: false,
                    held_on: NaiveDate::from_ymd_opt(2026, 11, 27).expect("date"),
                    attendance: Some(a),
                },
            );
            match (a.has_quorum(), a.has_majority()) {
                (false, _) => prop_assert_eq!(outcome, Err(DecisionError::QuorumShort { attended, expected, needed })),
                (true, false) => prop_assert_eq!(outcome, Ok(DecisionState::Rejected)),
                (true, true) => prop_assert_eq!(outcome, Ok(DecisionState::Reviewed)),
            }
        }
    }
}
