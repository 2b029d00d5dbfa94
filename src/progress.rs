//! The progress model: per platform and account group, not started → form opened → submitted → confirmed.
//!
//! Storage layout (`storage.local`): one key per platform and account group, `progress/<platform>/<group>`,
//! so two tabs changing different platforms never overwrite each other. Each value is a small versioned
//! record, decoded by [`decode`], which never panics and never loses data it does not understand.
//!
//! Stored values are read through serde from whatever the browser hands over (a JS value in the extension,
//! JSON in tests), leniently: a stored value is data from the past or the future, not a request, so a
//! wrong type makes a field unusable (or the record corrupt), never the whole storage unreadable.

use crate::rules::PlatformId;
use serde::de::{self, value::MapAccessDeserializer, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::marker::PhantomData;

/// The record version this build writes.
pub const SCHEMA_VERSION: u64 = 1;
/// The only account group before account groups get names (issue 3).
pub const MAIN_GROUP: &str = "main";
const DAY_MS: f64 = 86_400_000.0;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, Default)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum Status {
    #[default]
    NotStarted,
    FormOpened,
    Submitted,
    Confirmed,
}

impl Status {
    /// Submitted or confirmed: nothing more to urge.
    pub fn is_protected(self) -> bool {
        self >= Status::Submitted
    }
}

/// The progress of one platform in one account group.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Record {
    pub status: Status,
    /// When `status` last changed, ms since the epoch.
    pub changed_at: Option<f64>,
    /// "Not now": no banner for this platform until then, ms since the epoch.
    pub snoozed_until: Option<f64>,
}

/// What is written per platform and account group (schema version 1).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StoredRecord {
    pub v: u64,
    pub status: Status,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub changed_at: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub snoozed_until: Option<f64>,
}

/// A value for `storage.local.set`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum StorageValue {
    Record(StoredRecord),
    Groups(StoredGroups),
    Question(StoredQuestion),
    Choice(StoredChoice),
    Setting(StoredSetting),
}

/// Something the user did, or the core saw.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Event {
    FormOpened,
    MarkSubmitted,
    MarkConfirmed,
    Reset,
    Snooze,
}

impl Record {
    /// The new record after `event` at `now` (ms). Returns `None` when nothing changes, so no write is needed.
    pub fn apply(&self, event: Event, now: f64, snooze_days: u32) -> Option<Record> {
        let mut next = self.clone();
        match event {
            // Seeing the form never moves a platform backwards.
            Event::FormOpened if self.status == Status::NotStarted => next.status = Status::FormOpened,
            Event::FormOpened => return None,
            Event::MarkSubmitted if self.status < Status::Submitted => next.status = Status::Submitted,
            Event::MarkSubmitted => return None,
            Event::MarkConfirmed if self.status != Status::Confirmed => next.status = Status::Confirmed,
            Event::MarkConfirmed => return None,
            Event::Reset => next = Record::default(),
            Event::Snooze => {
                next.snoozed_until = Some(now + f64::from(snooze_days) * DAY_MS);
                return Some(next);
            }
        }
        if next.status != self.status {
            next.changed_at = Some(now);
        }
        (next != *self).then_some(next)
    }

    pub fn is_snoozed(&self, now: f64) -> bool {
        self.snoozed_until.is_some_and(|t| t > now)
    }
}

/// The result of reading one stored value.
#[derive(Debug, Clone, PartialEq)]
pub enum Decoded {
    /// Nothing stored yet.
    Missing,
    /// A record of this or an older version, migrated to the current one.
    Current(Record),
    /// Written by a newer version of Widerspruch. `understood` is what this build can read from it; the
    /// stored value must never be overwritten by this build.
    Newer { version: u64, understood: Record },
    /// Unreadable. `reason` goes into one console warning; the platform counts as not started, and the
    /// stored value is kept until the user changes that platform.
    Corrupt { reason: String },
}

impl Decoded {
    pub fn record(&self) -> Record {
        match self {
            Decoded::Current(r) | Decoded::Newer { understood: r, .. } => r.clone(),
            Decoded::Missing | Decoded::Corrupt { .. } => Record::default(),
        }
    }

    /// May this build write a new value over what is stored?
    pub fn writable(&self) -> bool {
        !matches!(self, Decoded::Newer { .. })
    }
}

/// Storage key of a platform and account group.
pub fn storage_key(platform: PlatformId, group: &str) -> String {
    format!("progress/{}/{}", platform.as_str(), group)
}

/// A stored field read without judging its type, so a wrong type never fails the value around it.
#[derive(Debug, Clone, PartialEq, Default)]
enum Loose {
    #[default]
    Missing,
    Null,
    Bool(bool),
    Int(i128),
    Float(f64),
    Str(String),
    Array,
    Object,
}

impl Loose {
    fn kind(&self) -> &'static str {
        match self {
            Loose::Missing => "missing",
            Loose::Null => "null",
            Loose::Bool(_) => "a boolean",
            Loose::Int(_) | Loose::Float(_) => "a number",
            Loose::Str(_) => "a string",
            Loose::Array => "an array",
            Loose::Object => "an object",
        }
    }

    /// A time in ms since the epoch: a finite number ≥ 0.
    fn time(&self) -> Option<f64> {
        let t = match *self {
            Loose::Int(n) => n as f64,
            Loose::Float(f) => f,
            _ => return None,
        };
        (t.is_finite() && t >= 0.0).then_some(t)
    }

    /// A known status word.
    fn status(&self) -> Option<Status> {
        let Loose::Str(s) = self else { return None };
        Status::deserialize(de::value::StrDeserializer::<de::value::Error>::new(s)).ok()
    }

    /// The schema version `v` (a whole number ≥ 1), or why it is unusable.
    fn version(&self) -> Result<u64, String> {
        match *self {
            Loose::Int(n) if n >= 1 => u64::try_from(n).map_err(|_| "bad version".to_string()),
            Loose::Int(n) => Err(format!("bad version {n}")),
            Loose::Float(_) => Err("bad version".into()),
            Loose::Missing => Err("no version".into()),
            ref other => Err(format!("version is {}", other.kind())),
        }
    }
}

impl<'de> Deserialize<'de> for Loose {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Loose, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Loose;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("any value")
            }
            fn visit_unit<E>(self) -> Result<Loose, E> {
                Ok(Loose::Null)
            }
            fn visit_none<E>(self) -> Result<Loose, E> {
                Ok(Loose::Null)
            }
            fn visit_bool<E>(self, b: bool) -> Result<Loose, E> {
                Ok(Loose::Bool(b))
            }
            fn visit_i64<E>(self, n: i64) -> Result<Loose, E> {
                Ok(Loose::Int(n.into()))
            }
            fn visit_u64<E>(self, n: u64) -> Result<Loose, E> {
                Ok(Loose::Int(n.into()))
            }
            fn visit_f64<E>(self, f: f64) -> Result<Loose, E> {
                Ok(Loose::Float(f))
            }
            fn visit_str<E>(self, s: &str) -> Result<Loose, E> {
                Ok(Loose::Str(s.to_string()))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Loose, A::Error> {
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                Ok(Loose::Array)
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Loose, A::Error> {
                while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
                Ok(Loose::Object)
            }
        }
        d.deserialize_any(V)
    }
}

/// `Ok(T)` read from an object's fields, or `Err(what it was instead)`. Reading a stored value as `T` never
/// fails on the value's type; errors are left for what the deserializer cannot read at all.
struct ObjectOr<T>(PhantomData<T>);

impl<'de, T: Deserialize<'de>> Visitor<'de> for ObjectOr<T> {
    type Value = Result<T, &'static str>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any value")
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        T::deserialize(MapAccessDeserializer::new(map)).map(Ok)
    }
    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Ok(Err("null"))
    }
    fn visit_none<E>(self) -> Result<Self::Value, E> {
        Ok(Err("null"))
    }
    fn visit_bool<E>(self, _: bool) -> Result<Self::Value, E> {
        Ok(Err("a boolean"))
    }
    fn visit_i64<E>(self, _: i64) -> Result<Self::Value, E> {
        Ok(Err("a number"))
    }
    fn visit_u64<E>(self, _: u64) -> Result<Self::Value, E> {
        Ok(Err("a number"))
    }
    fn visit_f64<E>(self, _: f64) -> Result<Self::Value, E> {
        Ok(Err("a number"))
    }
    fn visit_str<E>(self, _: &str) -> Result<Self::Value, E> {
        Ok(Err("a string"))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(Err("an array"))
    }
}

fn object_or<'de, T: Deserialize<'de>, D: Deserializer<'de>>(d: D) -> Result<Result<T, &'static str>, D::Error> {
    d.deserialize_any(ObjectOr(PhantomData))
}

/// The fields of a stored record this build reads; any others are left alone.
#[derive(Deserialize)]
struct RecordFields {
    #[serde(default)]
    v: Loose,
    #[serde(default)]
    status: Loose,
    #[serde(default)]
    changed_at: Loose,
    #[serde(default)]
    snoozed_until: Loose,
}

/// A value the deserializer cannot read at all (Firefox's storage keeps structured clones: a `BigInt`,
/// a `Date`, a `Map`) was not written by this build: it is kept untouched and read-only, like data from a
/// newer version.
const UNREADABLE_VERSION: u64 = u32::MAX as u64;

impl<'de> Deserialize<'de> for Decoded {
    /// Total: every value gives an answer (see [`decode`]).
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Decoded, D::Error> {
        let fields = match object_or::<RecordFields, D>(d) {
            Ok(Ok(f)) => f,
            Ok(Err(found)) => return Ok(Decoded::Corrupt { reason: format!("expected an object, found {found}") }),
            Err(_) => return Ok(Decoded::Newer { version: UNREADABLE_VERSION, understood: Record::default() }),
        };
        let version = match fields.v.version() {
            Ok(v) => v,
            Err(reason) => return Ok(Decoded::Corrupt { reason }),
        };
        let status = fields.status.status();
        if version > SCHEMA_VERSION {
            // Read what we can (a known status word), change nothing.
            let understood = Record { status: status.unwrap_or_default(), changed_at: fields.changed_at.time(), snoozed_until: None };
            return Ok(Decoded::Newer { version, understood });
        }
        Ok(match status {
            Some(status) => Decoded::Current(Record { status, changed_at: fields.changed_at.time(), snoozed_until: fields.snoozed_until.time() }),
            None => Decoded::Corrupt { reason: "missing or unknown status".into() },
        })
    }
}

/// Decode whatever is stored under a progress key. Total: any value gives an answer, never a panic.
pub fn decode<'de, D: Deserializer<'de>>(value: D) -> Decoded {
    Decoded::deserialize(value).unwrap_or(Decoded::Newer { version: UNREADABLE_VERSION, understood: Record::default() })
}

/// The value written for a record.
pub fn encode(record: &Record) -> StoredRecord {
    StoredRecord { v: SCHEMA_VERSION, status: record.status, changed_at: record.changed_at, snoozed_until: record.snoozed_until }
}

/// Key of the account-group list.
pub const GROUPS_KEY: &str = "groups";
/// Longest group name kept (characters).
pub const MAX_GROUP_NAME: usize = 40;
/// Most groups one person is likely to need; more is a sign of bad data.
pub const MAX_GROUPS: usize = 12;

/// An account group: the accounts that share one Accounts Center (one objection per platform covers them).
/// Nothing here is read from Meta's pages; the user names and describes the groups.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Group {
    pub id: String,
    /// The user's name for it ("Personal", "Club"); empty for the first group.
    pub name: String,
    /// The Facebook and Instagram accounts share this Accounts Center, so one objection covers both.
    pub linked: bool,
}

/// The user's account groups and which one they are working on now (stored under [`GROUPS_KEY`]).
#[derive(Debug, Clone, PartialEq)]
pub struct Groups {
    pub active: String,
    pub groups: Vec<Group>,
}

impl Default for Groups {
    fn default() -> Groups {
        Groups { active: MAIN_GROUP.into(), groups: vec![Group { id: MAIN_GROUP.into(), name: String::new(), linked: false }] }
    }
}

impl Groups {
    pub fn get(&self, id: &str) -> Option<&Group> {
        self.groups.iter().find(|g| g.id == id)
    }

    pub fn active(&self) -> &Group {
        self.get(&self.active).unwrap_or(&self.groups[0])
    }
}

/// A field that reads as `None` when it has another type, instead of failing the value around it.
struct Lenient<T>(Option<T>);

impl<T> Default for Lenient<T> {
    fn default() -> Self {
        Lenient(None)
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Lenient<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        // In-memory deserializers (a JS value, a JSON value) are left usable by a failed read.
        Ok(Lenient(T::deserialize(d).ok()))
    }
}

#[derive(Deserialize)]
struct GroupsFields {
    #[serde(default)]
    v: Loose,
    #[serde(default)]
    active: Lenient<String>,
    #[serde(default)]
    groups: Lenient<Vec<Lenient<GroupFields>>>,
}

#[derive(Deserialize)]
struct GroupFields {
    #[serde(default)]
    id: Lenient<String>,
    #[serde(default)]
    name: Lenient<String>,
    #[serde(default)]
    linked: Lenient<bool>,
}

/// The stored group list, decoded: the groups and, when the value was unusable or newer, why.
#[derive(Debug, Clone, PartialEq)]
pub struct DecodedGroups(pub Groups, pub GroupsState);

impl<'de> Deserialize<'de> for DecodedGroups {
    /// Total, like [`Decoded`]'s.
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<DecodedGroups, D::Error> {
        let corrupt = |reason: String| Ok(DecodedGroups(Groups::default(), GroupsState::Corrupt(reason)));
        let fields = match object_or::<GroupsFields, D>(d) {
            Ok(Ok(f)) => f,
            Ok(Err(found)) => return corrupt(format!("expected an object, found {found}")),
            Err(_) => return Ok(DecodedGroups(Groups::default(), GroupsState::Newer(UNREADABLE_VERSION))),
        };
        let version = match fields.v.version() {
            Ok(v) => v,
            Err(reason) => return corrupt(reason),
        };
        let mut groups: Vec<Group> = Vec::new();
        for g in fields.groups.0.unwrap_or_default().into_iter().take(MAX_GROUPS).filter_map(|g| g.0) {
            let Some(id) = g.id.0.filter(|id| valid_group_id(id)) else { continue };
            if groups.iter().any(|x| x.id == id) {
                continue;
            }
            let name = g.name.0.unwrap_or_default().chars().take(MAX_GROUP_NAME).collect();
            groups.push(Group { id, name, linked: g.linked.0.unwrap_or(false) });
        }
        // The main group always exists, first.
        if let Some(i) = groups.iter().position(|g| g.id == MAIN_GROUP) {
            let main = groups.remove(i);
            groups.insert(0, main);
        } else {
            groups.insert(0, Groups::default().groups.remove(0));
        }
        let active = fields.active.0.filter(|a| groups.iter().any(|g| g.id == *a));
        let groups = Groups { active: active.unwrap_or_else(|| MAIN_GROUP.to_string()), groups };
        let state = if version > SCHEMA_VERSION { GroupsState::Newer(version) } else { GroupsState::Current };
        Ok(DecodedGroups(groups, state))
    }
}

/// Decode the stored group list. Like [`decode`]: total, keeps what it cannot use, never panics.
/// Returns the groups and, when the value was unusable or newer, why.
pub fn decode_groups<'de, D: Deserializer<'de>>(value: Option<D>) -> (Groups, GroupsState) {
    let Some(value) = value else { return (Groups::default(), GroupsState::Current) };
    match DecodedGroups::deserialize(value) {
        Ok(DecodedGroups(g, s)) => (g, s),
        Err(_) => (Groups::default(), GroupsState::Newer(UNREADABLE_VERSION)),
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum GroupsState {
    Current,
    /// Written by a newer version: read-only.
    Newer(u64),
    /// Unusable; defaults are used and the value is kept until the user changes groups.
    Corrupt(String),
}

/// What is written for the group list.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StoredGroups {
    pub v: u64,
    pub active: String,
    pub groups: Vec<Group>,
}

pub fn encode_groups(g: &Groups) -> StoredGroups {
    StoredGroups { v: SCHEMA_VERSION, active: g.active.clone(), groups: g.groups.clone() }
}

/// Group ids are ours (`main`, `g` + digits); anything else in storage is not a group id.
pub fn valid_group_id(id: &str) -> bool {
    id == MAIN_GROUP || (id.len() <= 20 && id.starts_with('g') && id.len() > 1 && id.bytes().skip(1).all(|b| b.is_ascii_digit()))
}

/// Prefix of the keys of pending questions, one per account group (`pending/<group>`).
pub const PENDING_PREFIX: &str = "pending/";

/// Key of an account group's pending question.
pub fn pending_key(group: &str) -> String {
    format!("{PENDING_PREFIX}{group}")
}

/// Meta's Privacy Center said it received an objection, but not for which account (it serves every Meta
/// account). Until the user answers, nothing is marked sent; this is what waits for the answer.
#[derive(Debug, Clone, PartialEq)]
pub struct Question {
    /// The platforms it may have been for (those still open when it was asked), in the order offered.
    pub platforms: Vec<PlatformId>,
    /// Those whose form link the user had followed: offered first, and the helper says why.
    pub preselected: Vec<PlatformId>,
    /// When Meta showed that it received the objection (ms): the answer marks the platform sent at this time.
    pub asked_at: f64,
}

/// The result of reading a stored question.
#[derive(Debug, Clone, PartialEq)]
pub enum DecodedQuestion {
    Missing,
    Current(Question),
    /// Written by a newer version: kept untouched, never replaced or removed by this build.
    Newer(u64),
    /// Unreadable: no question is shown; the value stays until a new question replaces it.
    Corrupt(String),
}

impl DecodedQuestion {
    pub fn writable(&self) -> bool {
        !matches!(self, DecodedQuestion::Newer(_))
    }
}

/// What is written for a pending question (schema version 1).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StoredQuestion {
    pub v: u64,
    pub platforms: Vec<PlatformId>,
    pub preselected: Vec<PlatformId>,
    pub asked_at: f64,
}

pub fn encode_question(q: &Question) -> StoredQuestion {
    StoredQuestion { v: SCHEMA_VERSION, platforms: q.platforms.clone(), preselected: q.preselected.clone(), asked_at: q.asked_at }
}

#[derive(Deserialize)]
struct QuestionFields {
    #[serde(default)]
    v: Loose,
    #[serde(default)]
    platforms: Lenient<Vec<Loose>>,
    #[serde(default)]
    preselected: Lenient<Vec<Loose>>,
    #[serde(default)]
    asked_at: Loose,
}

/// Known platform words, each at most once; `None` when any is not.
fn platform_list(words: Vec<Loose>) -> Option<Vec<PlatformId>> {
    let mut out: Vec<PlatformId> = Vec::new();
    for w in words {
        let Loose::Str(s) = w else { return None };
        let p = PlatformId::deserialize(de::value::StrDeserializer::<de::value::Error>::new(&s)).ok()?;
        if out.contains(&p) {
            return None;
        }
        out.push(p);
    }
    Some(out)
}

impl<'de> Deserialize<'de> for DecodedQuestion {
    /// Total, like [`Decoded`]'s: strict about what a question must hold (a question about an unknown
    /// platform, or with no date, is unusable), never a panic.
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<DecodedQuestion, D::Error> {
        let fields = match object_or::<QuestionFields, D>(d) {
            Ok(Ok(f)) => f,
            Ok(Err(found)) => return Ok(DecodedQuestion::Corrupt(format!("expected an object, found {found}"))),
            Err(_) => return Ok(DecodedQuestion::Newer(UNREADABLE_VERSION)),
        };
        let version = match fields.v.version() {
            Ok(v) => v,
            Err(reason) => return Ok(DecodedQuestion::Corrupt(reason)),
        };
        if version > SCHEMA_VERSION {
            return Ok(DecodedQuestion::Newer(version));
        }
        let Some(platforms) = fields.platforms.0.and_then(platform_list).filter(|p| !p.is_empty()) else {
            return Ok(DecodedQuestion::Corrupt("missing or unknown platforms".into()));
        };
        let Some(preselected) = fields.preselected.0.and_then(platform_list).filter(|s| s.iter().all(|p| platforms.contains(p))) else {
            return Ok(DecodedQuestion::Corrupt("missing or unknown preselected platforms".into()));
        };
        let Some(asked_at) = fields.asked_at.time() else {
            return Ok(DecodedQuestion::Corrupt("missing or bad asked_at".into()));
        };
        Ok(DecodedQuestion::Current(Question { platforms, preselected, asked_at }))
    }
}

/// Decode whatever is stored under a pending-question key. Total: any value gives an answer, never a panic.
pub fn decode_question<'de, D: Deserializer<'de>>(value: D) -> DecodedQuestion {
    DecodedQuestion::deserialize(value).unwrap_or(DecodedQuestion::Newer(UNREADABLE_VERSION))
}

// ── Services other than Meta (issue 15): the user's choice and each item's state ──
//
// Keys (additive; Meta's keys above are untouched):
// - `services`: which services the user switched on (`{"v":1,"chosen":["linkedin"],"changed_at":…}`);
//   absent = only Meta, which is always on;
// - `setting/<service>/<item>`: what a setting's own page last showed (`{"v":1,"state":"off",…}`);
// - `request/<service>/<item>`: an objection request's journey, the same record as Meta's `progress/…`.
// Services are not per account group: one account per person and service is assumed (a LinkedIn, X or
// Google account is not tied to Meta's Accounts Center).

/// Key of the user's choice of services.
pub const SERVICES_KEY: &str = "services";
/// Prefix of the keys of setting items (`setting/<service>/<item>`).
pub const SETTING_PREFIX: &str = "setting/";
/// Prefix of the keys of objection-request items (`request/<service>/<item>`).
pub const REQUEST_PREFIX: &str = "request/";
/// More chosen services than any build has is a sign of bad data.
const MAX_CHOSEN: usize = 32;

/// A service id (`linkedin`): lower-case ASCII letters, as the rules files spell them.
pub fn valid_service_id(id: &str) -> bool {
    !id.is_empty() && id.len() <= 32 && id.bytes().all(|b| b.is_ascii_lowercase())
}

/// An item id (`ai_setting`): lower-case ASCII letters and underscores.
pub fn valid_item_id(id: &str) -> bool {
    !id.is_empty() && id.len() <= 32 && id.bytes().all(|b| b.is_ascii_lowercase() || b == b'_')
}

pub fn setting_key(service: &str, item: &str) -> String {
    format!("{SETTING_PREFIX}{service}/{item}")
}

pub fn request_key(service: &str, item: &str) -> String {
    format!("{REQUEST_PREFIX}{service}/{item}")
}

/// `setting/linkedin/ai_setting` → (`linkedin`, `ai_setting`) after `prefix`; `None` for anything else.
pub fn split_item_key<'a>(key: &'a str, prefix: &str) -> Option<(&'a str, &'a str)> {
    let (service, item) = key.strip_prefix(prefix)?.split_once('/')?;
    (valid_service_id(service) && valid_item_id(item)).then_some((service, item))
}

/// Which services the user switched on (Meta is always on and never listed).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Choice {
    /// Service ids, each once, in the order chosen. Ids this build does not know are kept (a newer build
    /// may have added a service), and never dropped when this build writes the list.
    pub chosen: Vec<String>,
    pub changed_at: Option<f64>,
}

impl Choice {
    pub fn is_chosen(&self, service: &str) -> bool {
        self.chosen.iter().any(|s| s == service)
    }

    /// The choice after switching `service` on or off at `now`; `None` when nothing changes.
    pub fn with(&self, service: &str, on: bool, now: f64) -> Option<Choice> {
        if self.is_chosen(service) == on {
            return None;
        }
        let mut next = self.clone();
        if on {
            next.chosen.push(service.to_string());
        } else {
            next.chosen.retain(|s| s != service);
        }
        next.changed_at = Some(now);
        Some(next)
    }
}

/// The result of reading the stored choice.
#[derive(Debug, Clone, PartialEq)]
pub enum DecodedChoice {
    /// Nothing stored: only Meta.
    Missing,
    Current(Choice),
    /// Written by a newer version: what this build understands of it is used; never overwritten.
    Newer { version: u64, understood: Choice },
    /// Unreadable: only Meta counts as chosen; the value stays until the user chooses again.
    Corrupt { reason: String },
}

impl DecodedChoice {
    pub fn choice(&self) -> Choice {
        match self {
            DecodedChoice::Current(c) | DecodedChoice::Newer { understood: c, .. } => c.clone(),
            DecodedChoice::Missing | DecodedChoice::Corrupt { .. } => Choice::default(),
        }
    }

    pub fn writable(&self) -> bool {
        !matches!(self, DecodedChoice::Newer { .. })
    }
}

/// What is written for the choice (schema version 1).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StoredChoice {
    pub v: u64,
    pub chosen: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub changed_at: Option<f64>,
}

pub fn encode_choice(c: &Choice) -> StoredChoice {
    StoredChoice { v: SCHEMA_VERSION, chosen: c.chosen.clone(), changed_at: c.changed_at }
}

#[derive(Deserialize)]
struct ChoiceFields {
    #[serde(default)]
    v: Loose,
    #[serde(default)]
    chosen: Lenient<Vec<Loose>>,
    #[serde(default)]
    changed_at: Loose,
}

/// Service ids, each once; `None` when any entry is not one (or there are implausibly many).
fn service_list(words: Vec<Loose>) -> Option<Vec<String>> {
    if words.len() > MAX_CHOSEN {
        return None;
    }
    let mut out: Vec<String> = Vec::new();
    for w in words {
        let Loose::Str(s) = w else { return None };
        if !valid_service_id(&s) || out.contains(&s) {
            return None;
        }
        out.push(s);
    }
    Some(out)
}

impl<'de> Deserialize<'de> for DecodedChoice {
    /// Total, like [`Decoded`]'s. Strict about the list: one entry that is not a service id makes the
    /// whole value unusable (a guessed choice would switch a service on or off behind the user's back).
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<DecodedChoice, D::Error> {
        let fields = match object_or::<ChoiceFields, D>(d) {
            Ok(Ok(f)) => f,
            Ok(Err(found)) => return Ok(DecodedChoice::Corrupt { reason: format!("expected an object, found {found}") }),
            Err(_) => return Ok(DecodedChoice::Newer { version: UNREADABLE_VERSION, understood: Choice::default() }),
        };
        let version = match fields.v.version() {
            Ok(v) => v,
            Err(reason) => return Ok(DecodedChoice::Corrupt { reason }),
        };
        let chosen = fields.chosen.0.and_then(service_list);
        let changed_at = fields.changed_at.time();
        if version > SCHEMA_VERSION {
            return Ok(DecodedChoice::Newer { version, understood: Choice { chosen: chosen.unwrap_or_default(), changed_at } });
        }
        Ok(match chosen {
            Some(chosen) => DecodedChoice::Current(Choice { chosen, changed_at }),
            None => DecodedChoice::Corrupt { reason: "missing or bad list of chosen services".into() },
        })
    }
}

/// Decode whatever is stored under [`SERVICES_KEY`]. Total: any value gives an answer, never a panic.
pub fn decode_choice<'de, D: Deserializer<'de>>(value: D) -> DecodedChoice {
    DecodedChoice::deserialize(value).unwrap_or(DecodedChoice::Newer { version: UNREADABLE_VERSION, understood: Choice::default() })
}

/// What a setting's own page showed, or what the user said where it cannot be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(test, derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum SettingState {
    /// Never seen on its page (no record, or only a "not now" stored): open.
    #[default]
    NotChecked,
    /// Seen on: open.
    On,
    /// Seen off on its own page: done.
    Off,
    /// The user said it is off where the control cannot be read: done, checked again on the next visit.
    UserOff,
}

impl SettingState {
    /// Off, as seen or as the user said: nothing more to urge.
    pub fn is_done(self) -> bool {
        matches!(self, SettingState::Off | SettingState::UserOff)
    }
}

/// A setting item's state.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SettingRecord {
    pub state: SettingState,
    /// When `state` last changed (ms).
    pub changed_at: Option<f64>,
    /// When its page last showed the control on or off (ms).
    pub seen_at: Option<f64>,
    /// "Not now": no banner for this item until then (ms).
    pub snoozed_until: Option<f64>,
}

/// Something the setting's page showed, or the user did.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum SettingEvent {
    /// The control on its own page reads on.
    SeenOn,
    /// The control on its own page reads off. The only way to `off`.
    SeenOff,
    /// The user says it is off (offered only where the control cannot be read). The only way to `user_off`.
    ConfirmOff,
    Snooze,
}

impl SettingRecord {
    /// The record after `event` at `now` (ms); `None` when nothing changes.
    pub fn apply(&self, event: SettingEvent, now: f64, snooze_days: u32) -> Option<SettingRecord> {
        let mut next = self.clone();
        match event {
            SettingEvent::SeenOn => {
                next.state = SettingState::On;
                next.seen_at = Some(now);
            }
            SettingEvent::SeenOff => {
                next.state = SettingState::Off;
                next.seen_at = Some(now);
            }
            // What the page showed outranks what the user said: a control seen off stays `off`.
            SettingEvent::ConfirmOff if self.state == SettingState::Off => return None,
            SettingEvent::ConfirmOff => next.state = SettingState::UserOff,
            SettingEvent::Snooze => {
                next.snoozed_until = Some(now + f64::from(snooze_days) * DAY_MS);
                return Some(next);
            }
        }
        if next.state != self.state {
            next.changed_at = Some(now);
        }
        (next != *self).then_some(next)
    }

    pub fn is_snoozed(&self, now: f64) -> bool {
        self.snoozed_until.is_some_and(|t| t > now)
    }
}

/// The result of reading a stored setting record.
#[derive(Debug, Clone, PartialEq)]
pub enum DecodedSetting {
    Missing,
    Current(SettingRecord),
    /// Written by a newer version: what this build understands is shown; never overwritten.
    Newer { version: u64, understood: SettingRecord },
    /// Unreadable: counts as not checked (open); kept until the setting's page or the user changes it.
    Corrupt { reason: String },
}

impl DecodedSetting {
    pub fn record(&self) -> SettingRecord {
        match self {
            DecodedSetting::Current(r) | DecodedSetting::Newer { understood: r, .. } => r.clone(),
            DecodedSetting::Missing | DecodedSetting::Corrupt { .. } => SettingRecord::default(),
        }
    }

    pub fn writable(&self) -> bool {
        !matches!(self, DecodedSetting::Newer { .. })
    }
}

/// What is written for a setting item (schema version 1).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StoredSetting {
    pub v: u64,
    pub state: SettingState,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub changed_at: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub seen_at: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub snoozed_until: Option<f64>,
}

pub fn encode_setting(r: &SettingRecord) -> StoredSetting {
    StoredSetting { v: SCHEMA_VERSION, state: r.state, changed_at: r.changed_at, seen_at: r.seen_at, snoozed_until: r.snoozed_until }
}

#[derive(Deserialize)]
struct SettingFields {
    #[serde(default)]
    v: Loose,
    #[serde(default)]
    state: Loose,
    #[serde(default)]
    changed_at: Loose,
    #[serde(default)]
    seen_at: Loose,
    #[serde(default)]
    snoozed_until: Loose,
}

impl Loose {
    fn setting_state(&self) -> Option<SettingState> {
        let Loose::Str(s) = self else { return None };
        SettingState::deserialize(de::value::StrDeserializer::<de::value::Error>::new(s)).ok()
    }
}

impl<'de> Deserialize<'de> for DecodedSetting {
    /// Total, like [`Decoded`]'s. An unknown state word is corrupt (never read as "off").
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<DecodedSetting, D::Error> {
        let fields = match object_or::<SettingFields, D>(d) {
            Ok(Ok(f)) => f,
            Ok(Err(found)) => return Ok(DecodedSetting::Corrupt { reason: format!("expected an object, found {found}") }),
            Err(_) => return Ok(DecodedSetting::Newer { version: UNREADABLE_VERSION, understood: SettingRecord::default() }),
        };
        let version = match fields.v.version() {
            Ok(v) => v,
            Err(reason) => return Ok(DecodedSetting::Corrupt { reason }),
        };
        let state = fields.state.setting_state();
        if version > SCHEMA_VERSION {
            let understood = SettingRecord { state: state.unwrap_or_default(), changed_at: fields.changed_at.time(), ..Default::default() };
            return Ok(DecodedSetting::Newer { version, understood });
        }
        Ok(match state {
            Some(state) => DecodedSetting::Current(SettingRecord {
                state,
                changed_at: fields.changed_at.time(),
                seen_at: fields.seen_at.time(),
                snoozed_until: fields.snoozed_until.time(),
            }),
            None => DecodedSetting::Corrupt { reason: "missing or unknown state".into() },
        })
    }
}

/// Decode whatever is stored under a setting key. Total: any value gives an answer, never a panic.
pub fn decode_setting<'de, D: Deserializer<'de>>(value: D) -> DecodedSetting {
    DecodedSetting::deserialize(value).unwrap_or(DecodedSetting::Newer { version: UNREADABLE_VERSION, understood: SettingRecord::default() })
}

/// What the toolbar badge says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Badge {
    pub text: String,
    /// CSS colour of the badge background.
    pub color: &'static str,
    /// Number of platforms not yet submitted.
    pub open: usize,
}

pub fn badge(statuses: &[Status]) -> Badge {
    let open = statuses.iter().filter(|s| !s.is_protected()).count();
    if open == 0 {
        Badge { text: "\u{2713}".into(), color: "#1e7b34", open }
    } else {
        Badge { text: open.to_string(), color: "#b3261e", open }
    }
}

/// A number written in ASCII digits only (no sign).
fn digits(s: &str) -> Option<i64> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

/// Days since 1970-01-01 of an ISO date `YYYY-MM-DD` (proleptic Gregorian), for the rules' dates.
pub fn days_from_iso(date: &str) -> Option<i64> {
    let mut it = date.splitn(3, '-');
    let y = digits(it.next()?)?;
    let m = digits(it.next()?)?;
    let d = digits(it.next()?)?;
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return None;
    }
    // Howard Hinnant's days_from_civil.
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    Some(era * 146_097 + doe - 719_468)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{json, Value};

    /// What is written, as JSON.
    fn encoded(r: &Record) -> Value {
        serde_json::to_value(encode(r)).unwrap()
    }

    fn encode_groups(g: &Groups) -> Value {
        serde_json::to_value(super::encode_groups(g)).unwrap()
    }

    const NOW: f64 = 1_795_000_000_000.0;

    #[test]
    fn the_journey_moves_forward() {
        let r = Record::default();
        let r = r.apply(Event::FormOpened, NOW, 7).unwrap();
        assert_eq!(r.status, Status::FormOpened);
        assert_eq!(r.changed_at, Some(NOW));
        let r = r.apply(Event::MarkSubmitted, NOW + 1.0, 7).unwrap();
        assert_eq!(r.status, Status::Submitted);
        assert!(r.apply(Event::FormOpened, NOW + 2.0, 7).is_none(), "seeing the form again must not go back");
        assert!(r.apply(Event::MarkSubmitted, NOW + 2.0, 7).is_none());
        let r = r.apply(Event::MarkConfirmed, NOW + 3.0, 7).unwrap();
        assert_eq!(r.status, Status::Confirmed);
        assert!(r.apply(Event::MarkSubmitted, NOW + 4.0, 7).is_none(), "confirmed is final");
        let r = r.apply(Event::Reset, NOW + 5.0, 7).unwrap();
        assert_eq!(r, Record { status: Status::NotStarted, changed_at: Some(NOW + 5.0), snoozed_until: None });
    }

    #[test]
    fn snooze_lasts_the_configured_days() {
        let r = Record::default().apply(Event::Snooze, NOW, 7).unwrap();
        assert!(r.is_snoozed(NOW + 6.9 * DAY_MS));
        assert!(!r.is_snoozed(NOW + 7.0 * DAY_MS));
        assert_eq!(r.status, Status::NotStarted);
    }

    #[test]
    fn encode_decode_round_trip_and_shape() {
        let r = Record { status: Status::Submitted, changed_at: Some(NOW), snoozed_until: None };
        let v = encoded(&r);
        assert_eq!(v, json!({"v": 1, "status": "submitted", "changed_at": NOW}));
        assert_eq!(decode(&v), Decoded::Current(r));
        let snoozed = Record { status: Status::NotStarted, changed_at: None, snoozed_until: Some(NOW) };
        assert_eq!(encoded(&snoozed), json!({"v": 1, "status": "not_started", "snoozed_until": NOW}));
        assert_eq!(decode(encoded(&snoozed)), Decoded::Current(snoozed));
        let groups = Groups { active: "g1".into(), groups: vec![Group { id: "main".into(), name: "".into(), linked: true }, Group { id: "g1".into(), name: "Club".into(), linked: false }] };
        assert_eq!(
            encode_groups(&groups),
            json!({"v": 1, "active": "g1", "groups": [{"id": "main", "name": "", "linked": true}, {"id": "g1", "name": "Club", "linked": false}]})
        );
    }

    #[test]
    fn bad_values_become_corrupt_not_panics() {
        let cases = [
            json!(null),
            json!("submitted"),
            json!(42),
            json!([1, 2]),
            json!({}),
            json!({"v": "1", "status": "submitted"}),
            json!({"v": -1, "status": "submitted"}),
            json!({"v": 1.5, "status": "submitted"}),
            json!({"v": 0, "status": "submitted"}),
            json!({"v": 1, "status": "done"}),
            json!({"v": 1, "status": 3}),
            json!({"v": 1e300, "status": "submitted"}),
        ];
        for c in cases {
            let d = decode(&c);
            assert!(matches!(d, Decoded::Corrupt { .. }), "{c} → {d:?}");
            if c["v"] == json!(-1) {
                assert_eq!(d, Decoded::Corrupt { reason: "bad version -1".into() });
            }
            assert_eq!(d.record(), Record::default());
            assert!(d.writable());
        }
    }

    #[test]
    fn odd_fields_are_dropped_not_fatal() {
        let d = decode(json!({"v": 1, "status": "confirmed", "changed_at": "yesterday", "snoozed_until": -5, "extra": [1]}));
        assert_eq!(d, Decoded::Current(Record { status: Status::Confirmed, changed_at: None, snoozed_until: None }));
    }

    #[test]
    fn newer_versions_are_read_only() {
        let d = decode(json!({"v": 2, "status": "submitted", "groups": {"x": 1}}));
        assert_eq!(d, Decoded::Newer { version: 2, understood: Record { status: Status::Submitted, ..Default::default() } });
        assert!(!d.writable());
        let d = decode(json!({"v": 9, "status": "something_new"}));
        assert_eq!(d.record().status, Status::NotStarted);
        assert!(!d.writable());
    }

    #[test]
    fn missing_is_not_started() {
        assert_eq!(Decoded::Missing.record().status, Status::NotStarted);
        assert_eq!(decode_groups(None::<&Value>), (Groups::default(), GroupsState::Current));
    }

    #[test]
    fn badge_counts_open_platforms() {
        use Status::*;
        assert_eq!(badge(&[NotStarted, NotStarted]).text, "2");
        assert_eq!(badge(&[FormOpened, Submitted]).text, "1");
        assert_eq!(badge(&[Submitted, Confirmed]).text, "\u{2713}");
        assert_eq!(badge(&[Confirmed, Confirmed]).open, 0);
    }

    #[test]
    fn groups_decode_defaults_and_cleans() {
        assert_eq!(decode_groups(None::<&Value>), (Groups::default(), GroupsState::Current));
        let (g, st) = decode_groups(Some(&json!({"v": 1, "active": "g2", "groups": [
            {"id": "g2", "name": "Club", "linked": true},
            {"id": "main", "name": "", "linked": false},
            {"id": "g2", "name": "dup"},
            {"id": "../evil", "name": "x"},
            {"id": "g3", "name": "x".repeat(500), "linked": "yes"}
        ]})));
        assert_eq!(st, GroupsState::Current);
        assert_eq!(g.groups.iter().map(|g| g.id.as_str()).collect::<Vec<_>>(), ["main", "g2", "g3"]);
        assert_eq!(g.active().name, "Club");
        assert!(g.groups[1].linked);
        assert_eq!(g.groups[2].name.chars().count(), MAX_GROUP_NAME);
        assert!(!g.groups[2].linked);
        let (g, st) = decode_groups(Some(&json!("nonsense")));
        assert_eq!(g, Groups::default());
        assert!(matches!(st, GroupsState::Corrupt(_)));
        let (g, st) = decode_groups(Some(&json!({"v": 3, "active": "nope", "groups": []})));
        assert_eq!(st, GroupsState::Newer(3));
        assert_eq!(g.active, MAIN_GROUP);
        let round = decode_groups(Some(&encode_groups(&Groups::default())));
        assert_eq!(round, (Groups::default(), GroupsState::Current));
    }

    #[test]
    fn questions_decode_strictly_and_never_panic() {
        let q = Question { platforms: vec![PlatformId::Instagram, PlatformId::Facebook], preselected: vec![PlatformId::Instagram], asked_at: NOW };
        let v = serde_json::to_value(encode_question(&q)).unwrap();
        assert_eq!(v, json!({"v": 1, "platforms": ["instagram", "facebook"], "preselected": ["instagram"], "asked_at": NOW}));
        assert_eq!(decode_question(&v), DecodedQuestion::Current(q.clone()));
        // Odd extra fields are dropped, not fatal.
        let mut extra = v.clone();
        extra["note"] = json!([1, 2]);
        assert_eq!(decode_question(&extra), DecodedQuestion::Current(q));
        assert_eq!(pending_key(MAIN_GROUP), "pending/main");
        for bad in [
            json!(null),
            json!("pending"),
            json!([]),
            json!({}),
            json!({"v": "1", "platforms": ["facebook"], "preselected": [], "asked_at": NOW}),
            json!({"v": 1, "platforms": [], "preselected": [], "asked_at": NOW}),
            json!({"v": 1, "platforms": ["whatsapp"], "preselected": [], "asked_at": NOW}),
            json!({"v": 1, "platforms": ["facebook", "facebook"], "preselected": [], "asked_at": NOW}),
            json!({"v": 1, "platforms": "facebook", "preselected": [], "asked_at": NOW}),
            json!({"v": 1, "platforms": ["facebook"], "preselected": ["instagram"], "asked_at": NOW}),
            json!({"v": 1, "platforms": ["facebook"], "asked_at": NOW}),
            json!({"v": 1, "platforms": ["facebook"], "preselected": [], "asked_at": -1}),
            json!({"v": 1, "platforms": ["facebook"], "preselected": [], "asked_at": "today"}),
            json!({"v": 1, "platforms": [3], "preselected": [], "asked_at": NOW}),
        ] {
            let d = decode_question(&bad);
            assert!(matches!(d, DecodedQuestion::Corrupt(_)), "{bad} → {d:?}");
            assert!(d.writable());
        }
        let newer = decode_question(json!({"v": 2, "platforms": ["threads"], "accounts": ["x"]}));
        assert_eq!(newer, DecodedQuestion::Newer(2));
        assert!(!newer.writable());
    }

    // ── services (issue 15) ──

    #[test]
    fn service_keys_and_ids() {
        assert_eq!(setting_key("linkedin", "ai_setting"), "setting/linkedin/ai_setting");
        assert_eq!(request_key("linkedin", "objection"), "request/linkedin/objection");
        assert_eq!(split_item_key("setting/linkedin/ai_setting", SETTING_PREFIX), Some(("linkedin", "ai_setting")));
        for bad in ["setting/linkedin", "setting/LinkedIn/x", "setting/linkedin/a/b", "setting//x", "setting/x/", "request/x/y", "setting/x/Y"] {
            assert_eq!(split_item_key(bad, SETTING_PREFIX), None, "{bad}");
        }
    }

    #[test]
    fn the_choice_round_trips_and_keeps_services_this_build_does_not_know() {
        let c = Choice { chosen: vec!["linkedin".into(), "tiktok".into()], changed_at: Some(NOW) };
        let v = serde_json::to_value(encode_choice(&c)).unwrap();
        assert_eq!(v, json!({"v": 1, "chosen": ["linkedin", "tiktok"], "changed_at": NOW}));
        assert_eq!(decode_choice(&v), DecodedChoice::Current(c.clone()));
        let off = c.with("linkedin", false, NOW + 1.0).unwrap();
        assert_eq!(off.chosen, ["tiktok"], "an unknown id survives a change of another");
        assert!(off.with("linkedin", false, NOW).is_none(), "no change, no write");
        assert_eq!(off.with("x", true, NOW + 2.0).unwrap().chosen, ["tiktok", "x"]);
        assert_eq!(DecodedChoice::Missing.choice(), Choice::default());
    }

    #[test]
    fn a_bad_choice_is_corrupt_and_chooses_nothing() {
        for bad in [
            json!(null),
            json!(["linkedin"]),
            json!({}),
            json!({"v": 1}),
            json!({"v": "1", "chosen": ["linkedin"]}),
            json!({"v": 1, "chosen": "linkedin"}),
            json!({"v": 1, "chosen": ["LinkedIn"]}),
            json!({"v": 1, "chosen": ["linkedin", "linkedin"]}),
            json!({"v": 1, "chosen": ["linkedin", 3]}),
            json!({"v": 1, "chosen": ["../x"]}),
            json!({"v": 0, "chosen": []}),
        ] {
            let d = decode_choice(&bad);
            assert!(matches!(d, DecodedChoice::Corrupt { .. }), "{bad} → {d:?}");
            assert_eq!(d.choice(), Choice::default());
            assert!(d.writable());
        }
        let d = decode_choice(json!({"v": 1, "chosen": [], "changed_at": "today", "extra": 1}));
        assert_eq!(d, DecodedChoice::Current(Choice::default()), "odd fields are dropped");
        let newer = decode_choice(json!({"v": 2, "chosen": ["x"], "per_account": {}}));
        assert_eq!(newer, DecodedChoice::Newer { version: 2, understood: Choice { chosen: vec!["x".into()], changed_at: None } });
        assert!(!newer.writable());
    }

    #[test]
    fn a_setting_is_off_only_when_seen_off_or_confirmed_by_the_user() {
        let r = SettingRecord::default();
        assert_eq!(r.state, SettingState::NotChecked);
        assert!(!r.state.is_done());
        let on = r.apply(SettingEvent::SeenOn, NOW, 30).unwrap();
        assert_eq!(on, SettingRecord { state: SettingState::On, changed_at: Some(NOW), seen_at: Some(NOW), snoozed_until: None });
        let off = on.apply(SettingEvent::SeenOff, NOW + 1.0, 30).unwrap();
        assert_eq!((off.state, off.changed_at, off.seen_at), (SettingState::Off, Some(NOW + 1.0), Some(NOW + 1.0)));
        assert!(off.state.is_done());
        assert!(off.apply(SettingEvent::ConfirmOff, NOW + 2.0, 30).is_none(), "seen off outranks the user's word");
        let again = off.apply(SettingEvent::SeenOn, NOW + 3.0, 30).unwrap();
        assert_eq!(again.state, SettingState::On, "a later visit that finds it on reopens it");
        let user = again.apply(SettingEvent::ConfirmOff, NOW + 4.0, 30).unwrap();
        assert_eq!((user.state, user.seen_at), (SettingState::UserOff, Some(NOW + 3.0)), "the user's word is not a sighting");
        assert!(user.state.is_done());
        assert_eq!(user.apply(SettingEvent::SeenOn, NOW + 5.0, 30).unwrap().state, SettingState::On, "user_off reopens too");
        let seen_again = off.apply(SettingEvent::SeenOff, NOW + 9.0, 30).unwrap();
        assert_eq!((seen_again.changed_at, seen_again.seen_at), (Some(NOW + 1.0), Some(NOW + 9.0)), "seen again: only seen_at moves");
        let snoozed = r.apply(SettingEvent::Snooze, NOW, 30).unwrap();
        assert!(snoozed.is_snoozed(NOW + 29.0 * DAY_MS) && !snoozed.is_snoozed(NOW + 30.0 * DAY_MS));
        assert_eq!(snoozed.state, SettingState::NotChecked);
    }

    #[test]
    fn setting_records_decode_strictly_and_never_panic() {
        let r = SettingRecord { state: SettingState::UserOff, changed_at: Some(NOW), seen_at: Some(NOW - 1.0), snoozed_until: None };
        let v = serde_json::to_value(encode_setting(&r)).unwrap();
        assert_eq!(v, json!({"v": 1, "state": "user_off", "changed_at": NOW, "seen_at": NOW - 1.0}));
        assert_eq!(decode_setting(&v), DecodedSetting::Current(r));
        let snoozed = SettingRecord { snoozed_until: Some(NOW), ..Default::default() };
        assert_eq!(serde_json::to_value(encode_setting(&snoozed)).unwrap(), json!({"v": 1, "state": "not_checked", "snoozed_until": NOW}));
        for bad in [
            json!(null),
            json!("off"),
            json!({}),
            json!({"v": 1}),
            json!({"v": 1, "state": "of"}),
            json!({"v": 1, "state": "OFF"}),
            json!({"v": 1, "state": true}),
            json!({"v": 1.0e300, "state": "off"}),
            json!({"v": -3, "state": "off"}),
        ] {
            let d = decode_setting(&bad);
            assert!(matches!(d, DecodedSetting::Corrupt { .. }), "{bad} → {d:?}");
            assert_eq!(d.record().state, SettingState::NotChecked, "corrupt is open, never off");
            assert!(d.writable());
        }
        let odd = decode_setting(json!({"v": 1, "state": "off", "seen_at": "now", "changed_at": -1, "x": [1]}));
        assert_eq!(odd, DecodedSetting::Current(SettingRecord { state: SettingState::Off, ..Default::default() }));
        let newer = decode_setting(json!({"v": 3, "state": "off", "changed_at": NOW, "accounts": ["a"]}));
        assert_eq!(newer, DecodedSetting::Newer { version: 3, understood: SettingRecord { state: SettingState::Off, changed_at: Some(NOW), ..Default::default() } });
        assert!(!newer.writable());
        assert_eq!(decode_setting(json!({"v": 2, "state": "paused"})).record().state, SettingState::NotChecked);
    }

    #[test]
    fn storage_keys() {
        assert_eq!(storage_key(PlatformId::Facebook, MAIN_GROUP), "progress/facebook/main");
    }

    #[test]
    fn iso_dates() {
        assert_eq!(days_from_iso("1970-01-01"), Some(0));
        assert_eq!(days_from_iso("2025-05-27"), Some(20_235));
        assert_eq!(days_from_iso("2025-13-01"), None);
        assert_eq!(days_from_iso("nope"), None);
        assert_eq!(days_from_iso("2025--01"), None);
        assert_eq!(days_from_iso("2025-1x-01"), None);
        assert_eq!(days_from_iso("99999999999999999999-01-01"), None);
    }
}
