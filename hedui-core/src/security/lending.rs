//! Account lending detection 账号外借 (R11).
//!
//! N §三: "严禁系统账号外借". Two signs that one account is used by more than one person: it is
//! active on two terminals at once, or it logs in from places too far apart for the time
//! between them.

use std::cmp::Reverse;
use std::collections::{BTreeMap, BTreeSet, BinaryHeap};

#[cfg(feature = "schemas")]
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use crate::id::RegionCode;
use crate::rulebook::SecurityRules;

/// Mean Earth radius in km (IUGG).
const EARTH_RADIUS_KM: f64 = 6371.0088;
/// Shortest time between two logins used for a speed, in seconds: closer logins count as one
/// minute apart, so that a jitter of a few hundred metres is not an impossible journey.
const MIN_TRAVEL_SECONDS: i64 = 60;

/// A point on the map, in decimal degrees (WGS 84 or GCJ-02: the distances here do not
/// care about the few hundred metres between them).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemas", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct GeoPoint {
    /// Latitude, −90 to 90.
    pub lat: f64,
    /// Longitude, −180 to 180.
    pub lon: f64,
}

impl GeoPoint {
    /// Whether both coordinates are in range (a NaN or an infinity is in no range).
    fn is_valid(self) -> bool {
        (-90.0..=90.0).contains(&self.lat) && (-180.0..=180.0).contains(&self.lon)
    }

    /// Great-circle distance in km (haversine).
    fn distance_km(self, other: GeoPoint) -> f64 {
        let (p1, p2) = (self.lat.to_radians(), other.lat.to_radians());
        let dp = p2 - p1;
        let dl = (other.lon - self.lon).to_radians();
        let a = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
        2.0 * EARTH_RADIUS_KM * a.sqrt().min(1.0).asin()
    }
}

/// Where a login came from.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemas", derive(JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Location {
    /// A located point (GPS, IP geolocation).
    Point(GeoPoint),
    /// Only a region code is known; its position comes from the host's gazetteer.
    Region(RegionCode),
}

/// One login session of an operator account.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemas", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Session {
    /// Account login name.
    pub account: String,
    /// Terminal id (device, certificate or workstation id).
    pub terminal: String,
    /// Login time.
    #[serde(with = "time::serde::rfc3339")]
    #[cfg_attr(feature = "schemas", schemars(with = "crate::schema::Rfc3339"))]
    pub start: OffsetDateTime,
    /// Logout or last activity; `None` while the session is open.
    #[serde(default, with = "time::serde::rfc3339::option")]
    #[cfg_attr(feature = "schemas", schemars(with = "Option<crate::schema::Rfc3339>"))]
    pub end: Option<OffsetDateTime>,
    /// Where the login came from, if known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<Location>,
}

/// A sign of account lending (R11, N §三 "严禁系统账号外借"). `first` and `second` index the
/// sessions given to [`detect_lending`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemas", derive(JsonSchema))]
#[serde(tag = "code", rename_all = "snake_case")]
#[non_exhaustive]
pub enum LendingFlag {
    /// The account was active on two terminals at the same time.
    Overlap {
        /// Account.
        account: String,
        /// Session that started first.
        first: usize,
        /// Session that started while it was open, on another terminal.
        second: usize,
    },
    /// Two consecutive logins are farther apart than anyone could travel in the time between
    /// them.
    ImpossibleTravel {
        /// Account.
        account: String,
        /// Earlier session.
        first: usize,
        /// Next session.
        second: usize,
        /// Distance between the two places, km.
        distance_km: u32,
        /// Implied speed, km/h.
        speed_kmh: u32,
    },
}

impl LendingFlag {
    /// Stable code of the flag.
    pub fn code(&self) -> &'static str {
        match self {
            LendingFlag::Overlap { .. } => "overlap",
            LendingFlag::ImpossibleTravel { .. } => "impossible_travel",
        }
    }
}

/// Flags the signs of account lending in `sessions` (R11, N §三 "严禁系统账号外借"), over all
/// the logins of each account that the caller passes (its window).
///
/// - **Overlap**: a login that starts while the same account is active on another terminal
///   (a session with an end lasts until then, an open one until now). Each such login is
///   flagged once, with the earliest-started session active on another terminal as `first`.
/// - **Impossible travel**: for each account's located logins in order, the distance from
///   the previous located login's place to this one's, over the time from that login's end
///   (its start if it has none) to this login, at least one minute, exceeds
///   [`SecurityRules::max_travel_kmh`]. Logins without a usable place in between do not hide
///   the journey: they are skipped, not compared.
///
/// A [`Location::Region`] is placed by `gazetteer` (the region, else its city, else its
/// province); sessions without a usable place, or with coordinates out of range, are left out
/// of the travel check. Flags come in order of account, then of the login they flag
/// (`second`), an overlap before a journey.
///
/// Both checks sweep each account's logins once in order of start, keeping the sessions still
/// active in ordered sets: O(n log n) for n sessions, however many are open at once.
pub fn detect_lending(
    sessions: &[Session],
    rules: &SecurityRules,
    gazetteer: &BTreeMap<RegionCode, GeoPoint>,
) -> Vec<LendingFlag> {
    let mut order: Vec<(&Session, usize)> = sessions.iter().zip(0..).collect();
    order.sort_by(|(x, a), (y, b)| (&x.account, x.start, a).cmp(&(&y.account, y.start, b)));
    let mut out = Vec::new();
    for account in order.chunk_by(|(x, _), (y, _)| x.account == y.account) {
        sweep_account(account, rules, gazetteer, &mut out);
    }
    out
}

/// The sessions of one account still active at a point of the sweep: by end (to let them
/// expire), by terminal, and the earliest-started of each terminal (to find one on another
/// terminal in two steps).
#[derive(Default)]
struct Active<'a> {
    ends: BinaryHeap<Reverse<(OffsetDateTime, usize)>>,
    by_terminal: BTreeMap<&'a str, BTreeSet<(OffsetDateTime, usize)>>,
    earliest: BTreeSet<(OffsetDateTime, usize, &'a str)>,
    terminal_of: BTreeMap<usize, (&'a str, OffsetDateTime)>,
}

impl<'a> Active<'a> {
    fn insert(&mut self, s: &'a Session, i: usize) {
        if let Some(end) = s.end {
            self.ends.push(Reverse((end, i)));
        }
        let set = self.by_terminal.entry(s.terminal.as_str()).or_default();
        if let Some(&(start, j)) = set.first() {
            self.earliest.remove(&(start, j, s.terminal.as_str()));
        }
        set.insert((s.start, i));
        if let Some(&(start, j)) = set.first() {
            self.earliest.insert((start, j, s.terminal.as_str()));
        }
        self.terminal_of.insert(i, (s.terminal.as_str(), s.start));
    }

    /// Drops the sessions that ended at or before `now`.
    fn expire(&mut self, now: OffsetDateTime) {
        while let Some(&Reverse((end, i))) = self.ends.peek() {
            if end > now {
                break;
            }
            self.ends.pop();
            let Some((terminal, start)) = self.terminal_of.remove(&i) else {
                continue;
            };
            let Some(set) = self.by_terminal.get_mut(terminal) else {
                continue;
            };
            if let Some(&(s0, j0)) = set.first() {
                self.earliest.remove(&(s0, j0, terminal));
            }
            set.remove(&(start, i));
            match set.first() {
                Some(&(s0, j0)) => {
                    self.earliest.insert((s0, j0, terminal));
                }
                None => {
                    self.by_terminal.remove(terminal);
                }
            }
        }
    }

    /// The earliest-started active session on a terminal other than `terminal`.
    fn on_other_terminal(&self, terminal: &str) -> Option<usize> {
        self.earliest
            .iter()
            .take(2)
            .find(|(_, _, t)| *t != terminal)
            .map(|&(_, i, _)| i)
    }
}

/// Both checks over one account's sessions, in order of start.
fn sweep_account(
    account: &[(&Session, usize)],
    rules: &SecurityRules,
    gazetteer: &BTreeMap<RegionCode, GeoPoint>,
    out: &mut Vec<LendingFlag>,
) {
    let mut active = Active::default();
    // the last login with a usable place: its index, place and the time it was left
    let mut last_place: Option<(usize, GeoPoint, OffsetDateTime)> = None;
    for &(b, j) in account {
        active.expire(b.start);
        if let Some(i) = active.on_other_terminal(&b.terminal) {
            out.push(LendingFlag::Overlap {
                account: b.account.clone(),
                first: i,
                second: j,
            });
        }
        active.insert(b, j);
        let Some(to) = place(b, gazetteer) else {
            continue;
        };
        if let Some((i, from, left)) = last_place {
            let seconds = (b.start - left).whole_seconds().max(MIN_TRAVEL_SECONDS);
            let km = from.distance_km(to);
            let kmh = km * 3600.0 / seconds as f64;
            if kmh > f64::from(rules.max_travel_kmh) {
                out.push(LendingFlag::ImpossibleTravel {
                    account: b.account.clone(),
                    first: i,
                    second: j,
                    distance_km: km.round() as u32,
                    speed_kmh: kmh.round() as u32,
                });
            }
        }
        last_place = Some((j, to, b.end.unwrap_or(b.start)));
    }
}

fn place(s: &Session, gazetteer: &BTreeMap<RegionCode, GeoPoint>) -> Option<GeoPoint> {
    let p = match s.location? {
        Location::Point(p) => p,
        Location::Region(code) => *gazetteer
            .get(&code)
            .or_else(|| gazetteer.get(&code.city()))
            .or_else(|| gazetteer.get(&code.province()))?,
    };
    p.is_valid().then_some(p)
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    const LINFEN: GeoPoint = GeoPoint {
        lat: 36.088,
        lon: 111.519,
    };
    const TAIYUAN: GeoPoint = GeoPoint {
        lat: 37.870,
        lon: 112.549,
    };
    const GUANGZHOU: GeoPoint = GeoPoint {
        lat: 23.129,
        lon: 113.264,
    };

    fn s(
        account: &str,
        terminal: &str,
        start: OffsetDateTime,
        end: Option<OffsetDateTime>,
        at: Option<Location>,
    ) -> Session {
        Session {
            account: account.into(),
            terminal: terminal.into(),
            start,
            end,
            location: at,
        }
    }

    #[test]
    fn overlapping_sessions_on_two_terminals_are_flagged() {
        let p = Some(Location::Point(LINFEN));
        let sessions = [
            s(
                "zhangsan",
                "T1",
                datetime!(2026-03-02 09:00 +08:00),
                Some(datetime!(2026-03-02 11:00 +08:00)),
                p,
            ),
            s(
                "lisi",
                "T2",
                datetime!(2026-03-02 09:30 +08:00),
                Some(datetime!(2026-03-02 10:00 +08:00)),
                p,
            ),
            s(
                "zhangsan",
                "T2",
                datetime!(2026-03-02 10:00 +08:00),
                Some(datetime!(2026-03-02 10:30 +08:00)),
                p,
            ),
            // same terminal again: not lending
            s(
                "zhangsan",
                "T1",
                datetime!(2026-03-02 10:45 +08:00),
                Some(datetime!(2026-03-02 12:00 +08:00)),
                p,
            ),
            // starts exactly when the other ended: no overlap
            s("lisi", "T3", datetime!(2026-03-02 10:00 +08:00), None, p),
            // an open session lasts until now
            s("wangwu", "T1", datetime!(2026-03-01 08:00 +08:00), None, p),
            s(
                "wangwu",
                "T2",
                datetime!(2026-03-02 08:00 +08:00),
                Some(datetime!(2026-03-02 08:05 +08:00)),
                p,
            ),
        ];
        let flags = detect_lending(&sessions, &SecurityRules::default(), &BTreeMap::new());
        assert_eq!(
            flags,
            [
                LendingFlag::Overlap {
                    account: "wangwu".into(),
                    first: 5,
                    second: 6
                },
                LendingFlag::Overlap {
                    account: "zhangsan".into(),
                    first: 0,
                    second: 2
                },
            ]
        );
    }

    #[test]
    fn impossible_travel_is_flagged() {
        let sessions = [
            s(
                "zhangsan",
                "T1",
                datetime!(2026-03-02 09:00 +08:00),
                Some(datetime!(2026-03-02 10:00 +08:00)),
                Some(Location::Point(LINFEN)),
            ),
            // Taiyuan, ~210 km, 3 hours later: fine
            s(
                "zhangsan",
                "T2",
                datetime!(2026-03-02 13:00 +08:00),
                Some(datetime!(2026-03-02 14:00 +08:00)),
                Some(Location::Point(TAIYUAN)),
            ),
            // Guangzhou, ~1,650 km, 30 minutes later: impossible
            s(
                "zhangsan",
                "T3",
                datetime!(2026-03-02 14:30 +08:00),
                Some(datetime!(2026-03-02 15:00 +08:00)),
                Some(Location::Region("440100".parse().unwrap())),
            ),
            // no location: skipped
            s(
                "zhangsan",
                "T3",
                datetime!(2026-03-02 15:10 +08:00),
                None,
                None,
            ),
        ];
        let mut gazetteer = BTreeMap::new();
        gazetteer.insert("440000".parse().unwrap(), GUANGZHOU); // province fallback
        let flags = detect_lending(&sessions, &SecurityRules::default(), &gazetteer);
        assert_eq!(flags.len(), 1, "{flags:?}");
        let LendingFlag::ImpossibleTravel {
            first,
            second,
            distance_km,
            speed_kmh,
            ..
        } = flags[0]
        else {
            panic!("{flags:?}")
        };
        assert_eq!((first, second), (1, 2));
        assert!((1600..1700).contains(&distance_km), "{distance_km}");
        assert!(speed_kmh > 3000, "{speed_kmh}");
        // without the gazetteer the region cannot be placed
        assert!(detect_lending(&sessions, &SecurityRules::default(), &BTreeMap::new()).is_empty());
        // a looser limit lets it pass
        let rules = SecurityRules {
            max_travel_kmh: 5000,
            ..SecurityRules::default()
        };
        assert!(detect_lending(&sessions, &rules, &gazetteer).is_empty());
    }

    const BEIJING: GeoPoint = GeoPoint {
        lat: 39.904,
        lon: 116.407,
    };

    /// A login without a location between two located ones does not hide the journey:
    /// Beijing, then a login from nowhere, then Guangzhou 20 minutes after Beijing.
    #[test]
    fn a_login_without_location_in_between_does_not_hide_impossible_travel() {
        let sessions = [
            s(
                "zhangsan",
                "T1",
                datetime!(2026-03-02 10:00 +08:00),
                Some(datetime!(2026-03-02 10:01 +08:00)),
                Some(Location::Point(BEIJING)),
            ),
            // interleaved: another account, and this account without a location
            s(
                "lisi",
                "T9",
                datetime!(2026-03-02 10:05 +08:00),
                None,
                Some(Location::Point(LINFEN)),
            ),
            s(
                "zhangsan",
                "T2",
                datetime!(2026-03-02 10:10 +08:00),
                Some(datetime!(2026-03-02 10:12 +08:00)),
                None,
            ),
            s(
                "zhangsan",
                "T3",
                datetime!(2026-03-02 10:15 +08:00),
                Some(datetime!(2026-03-02 10:16 +08:00)),
                Some(Location::Region("110101".parse().unwrap())), // not in the gazetteer
            ),
            s(
                "zhangsan",
                "T3",
                datetime!(2026-03-02 10:21 +08:00),
                None,
                Some(Location::Point(GUANGZHOU)),
            ),
        ];
        let flags = detect_lending(&sessions, &SecurityRules::default(), &BTreeMap::new());
        let travel: Vec<_> = flags
            .iter()
            .filter_map(|f| match f {
                LendingFlag::ImpossibleTravel {
                    first,
                    second,
                    distance_km,
                    ..
                } => Some((*first, *second, *distance_km)),
                LendingFlag::Overlap { .. } => None,
            })
            .collect();
        assert_eq!(travel.len(), 1, "{flags:?}");
        let (first, second, km) = travel[0];
        assert_eq!((first, second), (0, 4));
        assert!((1800..1950).contains(&km), "{km}");
    }

    /// An account open on many terminals at once: each login is flagged once, with the
    /// earliest session still active on another terminal; the check does not compare every
    /// pair (n open sessions give n − 1 flags, not n²/4).
    #[test]
    fn many_open_sessions_give_one_flag_per_login() {
        let t0 = datetime!(2026-03-02 08:00 +08:00);
        let n = 4_000;
        let sessions: Vec<Session> = (0..n)
            .map(|k| {
                s(
                    "zhangsan",
                    if k % 2 == 0 { "T1" } else { "T2" },
                    t0 + time::Duration::seconds(k),
                    None,
                    None,
                )
            })
            .collect();
        let flags = detect_lending(&sessions, &SecurityRules::default(), &BTreeMap::new());
        assert_eq!(flags.len(), n as usize - 1);
        // login k (k ≥ 1) is flagged against the first session of the other terminal
        assert_eq!(
            flags[0],
            LendingFlag::Overlap {
                account: "zhangsan".into(),
                first: 0,
                second: 1
            }
        );
        assert_eq!(
            flags[1],
            LendingFlag::Overlap {
                account: "zhangsan".into(),
                first: 1,
                second: 2
            }
        );
        assert!(
            flags
                .iter()
                .skip(2)
                .all(|f| matches!(f, LendingFlag::Overlap { first: 0 | 1, .. }))
        );
        // once the first T1 session ends, the next T1 session is named
        let mut closed = sessions.clone();
        closed[0].end = Some(t0 + time::Duration::seconds(2));
        let flags = detect_lending(&closed, &SecurityRules::default(), &BTreeMap::new());
        assert_eq!(
            flags[2],
            LendingFlag::Overlap {
                account: "zhangsan".into(),
                first: 2,
                second: 3
            }
        );
        assert!(flags.iter().any(|f| matches!(
            f,
            LendingFlag::Overlap {
                first: 2,
                second: 5,
                ..
            }
        )));
    }

    /// Great-circle distances as the spherical law of cosines gives them (computed apart, in
    /// Python): Linfen to Guangzhou, Linfen to Taiyuan, one degree along the equator.
    #[test]
    fn distances_are_great_circle_kilometres() {
        for (a, b, km) in [
            (LINFEN, GUANGZHOU, 1450.7357),
            (LINFEN, TAIYUAN, 218.2487),
            (
                GeoPoint { lat: 0.0, lon: 0.0 },
                GeoPoint { lat: 0.0, lon: 1.0 },
                111.1951,
            ),
        ] {
            assert!((a.distance_km(b) - km).abs() < 0.001, "{a:?} {b:?}");
            assert!((b.distance_km(a) - km).abs() < 0.001, "{b:?} {a:?}");
        }
        assert_eq!(LINFEN.distance_km(LINFEN), 0.0);
    }

    /// R11: only travel *faster* than the limit is impossible; a journey at exactly the limit
    /// speed is not flagged. The second login is placed on the equator where the computed
    /// distance from the first is exactly 300 km, one hour after the first ended (300 km/h,
    /// the default limit); a second sooner, it is flagged.
    #[test]
    fn travel_at_exactly_the_limit_speed_is_not_flagged() {
        let origin = GeoPoint { lat: 0.0, lon: 0.0 };
        let at = |lon| GeoPoint { lat: 0.0, lon };
        let mut lon = (300.0 / EARTH_RADIUS_KM).to_degrees();
        while origin.distance_km(at(lon)) < 300.0 {
            lon = lon.next_up();
        }
        while origin.distance_km(at(lon)) > 300.0 {
            lon = lon.next_down();
        }
        assert_eq!(
            origin.distance_km(at(lon)),
            300.0,
            "no longitude at exactly 300 km"
        );
        let rules = SecurityRules::default();
        assert_eq!(rules.max_travel_kmh, 300);
        let journey = |arrival| {
            [
                s(
                    "a",
                    "T1",
                    datetime!(2026-03-02 09:00 +08:00),
                    Some(datetime!(2026-03-02 10:00 +08:00)),
                    Some(Location::Point(origin)),
                ),
                s("a", "T2", arrival, None, Some(Location::Point(at(lon)))),
            ]
        };
        let on_time = journey(datetime!(2026-03-02 11:00 +08:00));
        assert!(detect_lending(&on_time, &rules, &BTreeMap::new()).is_empty());
        let too_fast = journey(datetime!(2026-03-02 10:59:59 +08:00));
        let flags = detect_lending(&too_fast, &rules, &BTreeMap::new());
        assert!(
            matches!(
                flags[..],
                [LendingFlag::ImpossibleTravel {
                    distance_km: 300,
                    speed_kmh: 300,
                    ..
                }]
            ),
            "{flags:?}"
        );
    }

    #[test]
    fn a_point_is_valid_only_with_both_coordinates_in_range() {
        let at = |lat, lon| GeoPoint { lat, lon }.is_valid();
        assert!(at(90.0, 180.0) && at(-90.0, -180.0) && at(0.0, 0.0));
        for (lat, lon) in [
            (90.5, 0.0),
            (-90.5, 0.0),
            (0.0, 180.5),
            (0.0, -180.5),
            (f64::NAN, 0.0),
            (0.0, f64::NAN),
            (f64::INFINITY, 0.0),
            (0.0, f64::NEG_INFINITY),
        ] {
            assert!(!at(lat, lon), "{lat} {lon}");
        }
    }

    #[test]
    fn hostile_coordinates_do_not_panic() {
        let bad = GeoPoint {
            lat: f64::NAN,
            lon: 500.0,
        };
        let sessions = [
            s(
                "a",
                "T1",
                datetime!(2026-03-02 09:00 UTC),
                Some(datetime!(2026-03-02 08:00 UTC)),
                Some(Location::Point(bad)),
            ),
            s(
                "a",
                "T1",
                datetime!(2026-03-02 09:00 UTC),
                None,
                Some(Location::Point(LINFEN)),
            ),
            s(
                "a",
                "T1",
                datetime!(2026-03-02 09:00 UTC),
                None,
                Some(Location::Point(GUANGZHOU)),
            ),
        ];
        let flags = detect_lending(&sessions, &SecurityRules::default(), &BTreeMap::new());
        assert_eq!(flags.len(), 1, "{flags:?}");
        assert_eq!(flags[0].code(), "impossible_travel");
        assert!(detect_lending(&[], &SecurityRules::default(), &BTreeMap::new()).is_empty());
    }
}
