//! Passwords of operator accounts: the weak-password rules and PBKDF2 hashing, with
//! HMAC-SHA256 (international suite) or HMAC-SM3 (commercial-cryptography suite, the rulebook's
//! [`CryptoSuite`](crate::rulebook::CryptoSuite)); the stored hash names its algorithm.
//!
//! N §三: "账号严禁使用弱口令". The numbers come from the rulebook's
//! [`PasswordPolicy`] (common 等级保护 assessment practice: at least 8 characters, 3 of 4
//! character classes, no reuse of the last 5) and [`SecurityRules`].

use std::cell::Cell;
use std::fmt;
use std::num::NonZeroU32;

use ring::pbkdf2;
#[cfg(feature = "schemas")]
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use time::Date;
use zeroize::{Zeroize, ZeroizeOnDrop, Zeroizing};

use super::findings::WeakReason;
use crate::id::ResidentId;
use crate::rulebook::PasswordPolicy;
use crate::rulebook::SecurityRules;
use crate::rulebook::floors::STORED_PBKDF2_ITERATIONS;

/// Passwords refused as weak whatever their length and classes: entries typical of published
/// weak-password lists and of Chinese systems (pinyin phrases, `5201314`, keyboard walks,
/// default device passwords). Compared ignoring case, trailing punctuation and common
/// look-alike substitutions (`@`→a, `0`→o, `$`→s, …), so `P@ssw0rd!` matches `password`.
pub const COMMON_PASSWORDS: &[&str] = &[
    "123456",
    "12345678",
    "123456789",
    "1234567890",
    "111111",
    "000000",
    "666666",
    "888888",
    "123123",
    "654321",
    "147258369",
    "5201314",
    "a123456",
    "a123456789",
    "aa123456",
    "abc123",
    "abc123456",
    "abc@123",
    "qq123456",
    "qwerty",
    "qwerty123",
    "qwe123",
    "qwer1234",
    "1qaz2wsx",
    "1qaz@wsx",
    "1q2w3e4r",
    "zxcvbnm",
    "asdfghjkl",
    "password",
    "password1",
    "p@ssw0rd",
    "passw0rd",
    "admin",
    "admin123",
    "admin@123",
    "administrator",
    "root",
    "root123",
    "test123",
    "welcome1",
    "changeme",
    "huawei@123",
    "sangfor@123",
    "iloveyou",
    "woaini",
    "woaini1314",
    "woaini520",
    "5201314woaini",
    "aini1314",
    "zhang123",
    "wang123456",
    "li123456",
];

/// Every weakness of `password` for the account `account` of the operator `id` (N §三
/// "账号严禁使用弱口令"), by the rulebook's `password` policy and `security` rules; empty when
/// the password is acceptable. Reuse is checked separately, against stored hashes
/// ([`OperatorAccount::set_password`](super::OperatorAccount::set_password)).
///
/// ```
/// use hedui_core::{Rulebook, ResidentId, security::password_weaknesses};
/// let rb = Rulebook::default();
/// let id: ResidentId = "360426199101010071".parse()?;
/// let weak = password_weaknesses("abc", "wangli", &id, &rb.password, &rb.security);
/// assert_eq!(weak[0].code(), "too_short");
/// assert!(password_weaknesses("Gx7#kq2!Lm9z", "wangli", &id, &rb.password, &rb.security).is_empty());
/// # Ok::<(), hedui_core::error::IdError>(())
/// ```
pub fn weaknesses(
    password: &str,
    account: &str,
    id: &ResidentId,
    policy: &PasswordPolicy,
    rules: &SecurityRules,
) -> Vec<WeakReason> {
    weaknesses_for_holder(password, account, "", id, policy, rules)
}

/// [`weaknesses`] for an operator whose real name (实名) is known: a password that contains the
/// name (ignoring case, spaces and look-alike characters) is refused too.
///
/// The account name, the holder's name and the resident ID are looked for after look-alike
/// normalisation (`@`→a, `0`→o, `1`/`!`/`|`→l or i, `3`→e, `5`/`$`→s, `4`→a, `7`→t), so
/// `W@ngL1#2026` contains the account `wangli` and `Kq#l99lOlOl` the birth date `19910101`.
///
/// ```
/// use hedui_core::{Rulebook, ResidentId, security::password_weaknesses_for_holder};
/// let rb = Rulebook::default();
/// let id: ResidentId = "360426199101010071".parse()?;
/// let weak = password_weaknesses_for_holder("Xq#Zh@ngS4n7", "op01", "Zhang San", &id, &rb.password, &rb.security);
/// assert_eq!(weak[0].code(), "contains_name");
/// # Ok::<(), hedui_core::error::IdError>(())
/// ```
pub fn weaknesses_for_holder(
    password: &str,
    account: &str,
    name: &str,
    id: &ResidentId,
    policy: &PasswordPolicy,
    rules: &SecurityRules,
) -> Vec<WeakReason> {
    let mut out = Vec::new();
    let chars = u32::try_from(password.chars().count()).unwrap_or(u32::MAX);
    if chars < policy.min_length {
        out.push(WeakReason::TooShort {
            min: policy.min_length,
            found: chars,
        });
    }
    if chars > rules.max_password_chars {
        out.push(WeakReason::TooLong {
            max: rules.max_password_chars,
            found: chars,
        });
    }
    let classes = classes(password);
    if classes < policy.min_classes {
        out.push(WeakReason::TooFewClasses {
            min: policy.min_classes,
            found: classes,
        });
    }
    let letters = as_letters(password);
    let account = as_letters(account.trim());
    if !account.is_empty() && letters.contains(&account) {
        out.push(WeakReason::ContainsAccount);
    }
    let name = as_letters(name.trim());
    if name.chars().count() >= 2 && letters.contains(&name) {
        out.push(WeakReason::ContainsName);
    }
    if contains_id_run(password, id.as_str(), rules.id_digit_run)
        || contains_id_run(&as_digits(password), id.as_str(), rules.id_digit_run)
    {
        out.push(WeakReason::ContainsIdDigits {
            run: rules.id_digit_run,
        });
    }
    let norm = normalize(password);
    if COMMON_PASSWORDS
        .iter()
        .copied()
        .chain(rules.extra_common_passwords.iter().map(String::as_str))
        .any(|c| normalize(c) == norm)
    {
        out.push(WeakReason::Common);
    }
    out
}

/// Number of character classes used: ASCII lower, ASCII upper, ASCII digit, anything else.
fn classes(password: &str) -> u32 {
    let mut seen = [false; 4];
    for c in password.chars() {
        let class = if c.is_ascii_lowercase() {
            0
        } else if c.is_ascii_uppercase() {
            1
        } else if c.is_ascii_digit() {
            2
        } else {
            3
        };
        if let Some(slot) = seen.get_mut(class) {
            *slot = true;
        }
    }
    seen.iter().map(|&s| u32::from(s)).sum()
}

/// Whether `password` contains `run` consecutive digits of the resident ID `id`.
fn contains_id_run(password: &str, id: &str, run: u32) -> bool {
    let run = usize::try_from(run).unwrap_or(usize::MAX);
    if run == 0 {
        return false;
    }
    id.as_bytes()
        .windows(run)
        .filter(|w| w.iter().all(u8::is_ascii_digit))
        .filter_map(|w| std::str::from_utf8(w).ok())
        .any(|w| password.contains(w))
}

/// Lower case without white space, look-alike digits and symbols read as the letters they
/// stand for, `i` and `l` as one letter (`1` stands for either).
fn as_letters(text: &str) -> String {
    text.to_lowercase()
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            '@' | '4' => 'a',
            '0' => 'o',
            '1' | '!' | '|' | 'i' => 'l',
            '3' => 'e',
            '$' | '5' => 's',
            '7' => 't',
            other => other,
        })
        .collect()
}

/// Lower case, look-alike letters and symbols read as the digits they stand for.
fn as_digits(text: &str) -> String {
    text.to_lowercase()
        .chars()
        .map(|c| match c {
            'o' => '0',
            'i' | 'l' | '!' | '|' => '1',
            'e' => '3',
            'a' | '@' => '4',
            's' | '$' => '5',
            't' => '7',
            other => other,
        })
        .collect()
}

/// Lower case, trailing punctuation dropped, look-alike characters mapped to letters.
fn normalize(password: &str) -> String {
    password
        .to_lowercase()
        .trim_end_matches(|c: char| c.is_ascii_punctuation())
        .chars()
        .map(|c| match c {
            '@' | '4' => 'a',
            '0' => 'o',
            '1' | '!' => 'i',
            '3' => 'e',
            '$' | '5' => 's',
            '7' => 't',
            other => other,
        })
        .collect()
}

thread_local! {
    /// PBKDF2 derivations run on this thread (see [`pbkdf2_runs`]).
    static PBKDF2_RUNS: Cell<u64> = const { Cell::new(0) };
    /// Iterations of the last derivation on this thread.
    static LAST_ITERATIONS: Cell<u32> = const { Cell::new(0) };
    /// Pseudorandom function of the last derivation on this thread.
    static LAST_ALGORITHM: Cell<PasswordAlgorithm> = const { Cell::new(PasswordAlgorithm::Pbkdf2HmacSha256) };
}

/// How many PBKDF2 derivations (hashing a new password or checking one) hedui has run on the
/// calling thread since it started.
///
/// Every login does the same work whatever the account's state (R11: unknown, pending,
/// locked and active accounts alike run exactly one derivation, so the time a login takes does
/// not tell an attacker which accounts exist or are locked); tests prove it by counting with
/// this function rather than by timing, and a host may watch it too.
///
/// ```
/// use hedui_core::{Rulebook, security::{OperatorAccount, pbkdf2_runs}};
/// let before = pbkdf2_runs();
/// let refused = OperatorAccount::login_unknown("nobody", "Tj7#kq2m", &Rulebook::default().password);
/// assert_eq!(refused.code(), "security_wrong_password");
/// assert_eq!(pbkdf2_runs() - before, 1);
/// ```
pub fn pbkdf2_runs() -> u64 {
    PBKDF2_RUNS.with(Cell::get)
}

/// Counts one PBKDF2 derivation of `iterations` on this thread.
fn count_run(iterations: u32, algorithm: PasswordAlgorithm) {
    PBKDF2_RUNS.with(|runs| runs.set(runs.get().saturating_add(1)));
    LAST_ITERATIONS.with(|last| last.set(iterations));
    LAST_ALGORITHM.with(|last| last.set(algorithm));
}

/// Pseudorandom function of the last PBKDF2 derivation on this thread.
#[cfg(test)]
pub(crate) fn last_algorithm() -> PasswordAlgorithm {
    LAST_ALGORITHM.with(Cell::get)
}

/// Iterations of the last PBKDF2 derivation on this thread.
#[cfg(test)]
pub(crate) fn last_iterations() -> u32 {
    LAST_ITERATIONS.with(Cell::get)
}

/// The iterations of the stand-in hash for a policy asking `iterations`: brought within
/// [`STORED_PBKDF2_ITERATIONS`].
pub(crate) fn stand_in_iterations(iterations: u32) -> u32 {
    let bounds = STORED_PBKDF2_ITERATIONS;
    iterations
        .max(bounds.min)
        .min(bounds.max.unwrap_or(bounds.min))
}

/// Salt of the stand-in hash checked when there is no usable stored hash.
const DUMMY_SALT: [u8; 16] = *b"hedui-dummy-salt";

/// Runs one PBKDF2 derivation of `password` against a stand-in hash with `iterations`
/// (brought within [`STORED_PBKDF2_ITERATIONS`]), so that a login without a usable stored
/// hash (unknown account, no password yet, a stored count out of bounds) costs what a real
/// check costs (R11). Never matches.
pub(crate) fn dummy_check(password: &str, iterations: u32, algorithm: PasswordAlgorithm) {
    let iterations = stand_in_iterations(iterations);
    let Some(n) = NonZeroU32::new(iterations) else {
        return;
    };
    count_run(iterations, algorithm);
    // the derivation a real check runs, with the pseudorandom function of the suite a real
    // hash would name; the result is discarded
    let mut out = Zeroizing::new([0u8; 32]);
    algorithm.derive(n, &DUMMY_SALT, password.as_bytes(), &mut out);
    std::hint::black_box(&out);
}

/// The pseudorandom function of a stored password hash. Serialized `pbkdf2-hmac-sha256` /
/// `pbkdf2-hmac-sm3`; a hash that names none is PBKDF2-HMAC-SHA256.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemas", derive(JsonSchema))]
pub(crate) enum PasswordAlgorithm {
    /// PBKDF2-HMAC-SHA256 (ring), the international suite.
    #[default]
    #[serde(rename = "pbkdf2-hmac-sha256")]
    Pbkdf2HmacSha256,
    /// PBKDF2-HMAC-SM3 (RustCrypto `pbkdf2`, `hmac`, `sm3`), the commercial-cryptography suite.
    #[serde(rename = "pbkdf2-hmac-sm3")]
    Pbkdf2HmacSm3,
}

impl PasswordAlgorithm {
    /// The algorithm of `suite`.
    pub(crate) fn of(suite: crate::rulebook::CryptoSuite) -> Self {
        match suite {
            crate::rulebook::CryptoSuite::International => PasswordAlgorithm::Pbkdf2HmacSha256,
            crate::rulebook::CryptoSuite::Shangmi => PasswordAlgorithm::Pbkdf2HmacSm3,
        }
    }

    fn is_default(&self) -> bool {
        *self == PasswordAlgorithm::Pbkdf2HmacSha256
    }

    /// Derives 32 bytes into `out`.
    fn derive(self, iterations: NonZeroU32, salt: &[u8], password: &[u8], out: &mut [u8; 32]) {
        match self {
            PasswordAlgorithm::Pbkdf2HmacSha256 => {
                pbkdf2::derive(pbkdf2::PBKDF2_HMAC_SHA256, iterations, salt, password, out)
            }
            PasswordAlgorithm::Pbkdf2HmacSm3 => {
                ::pbkdf2::pbkdf2_hmac::<sm3::Sm3>(password, salt, iterations.get(), out);
            }
        }
    }
}

/// A stored password: PBKDF2 of the password under the account's salt, with the pseudorandom
/// function it names (HMAC-SHA256 or HMAC-SM3). Salt and derived key are wiped when the value
/// is dropped (zeroize), and `Debug` shows neither.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize, Zeroize, ZeroizeOnDrop)]
#[cfg_attr(feature = "schemas", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub(crate) struct PasswordHash {
    /// Per-account random salt from the host's CSPRNG.
    #[serde(with = "crate::hex::vec")]
    #[cfg_attr(feature = "schemas", schemars(with = "String"))]
    salt: Vec<u8>,
    /// Iterations used (kept, so that raising the policy does not break old hashes). Read
    /// back, a count outside [`STORED_PBKDF2_ITERATIONS`] is never used: the login refuses it.
    iterations: u32,
    /// The pseudorandom function; absent for PBKDF2-HMAC-SHA256 (hashes stored before the
    /// commercial-cryptography suite read as they did).
    #[serde(default, skip_serializing_if = "PasswordAlgorithm::is_default")]
    #[zeroize(skip)]
    algorithm: PasswordAlgorithm,
    /// The derived key.
    #[serde(with = "crate::hex::array")]
    #[cfg_attr(feature = "schemas", schemars(with = "String"))]
    hash: [u8; 32],
    /// When the password was set.
    #[cfg_attr(feature = "schemas", schemars(with = "crate::schema::IsoDate"))]
    #[zeroize(skip)]
    pub(crate) set_on: Date,
}

impl fmt::Debug for PasswordHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PasswordHash")
            .field("iterations", &self.iterations)
            .field("algorithm", &self.algorithm)
            .field("set_on", &self.set_on)
            .finish_non_exhaustive()
    }
}

impl PasswordHash {
    /// Derives the hash with PBKDF2-HMAC-SHA256; `None` for an iteration count outside
    /// [`STORED_PBKDF2_ITERATIONS`].
    #[cfg(test)]
    pub(crate) fn derive(password: &str, salt: &[u8], iterations: u32, on: Date) -> Option<Self> {
        Self::derive_with(
            PasswordAlgorithm::Pbkdf2HmacSha256,
            password,
            salt,
            iterations,
            on,
        )
    }

    /// Derives the hash with `algorithm`; `None` for an iteration count outside
    /// [`STORED_PBKDF2_ITERATIONS`].
    pub(crate) fn derive_with(
        algorithm: PasswordAlgorithm,
        password: &str,
        salt: &[u8],
        iterations: u32,
        on: Date,
    ) -> Option<Self> {
        if !STORED_PBKDF2_ITERATIONS.contains(iterations) {
            return None;
        }
        let n = NonZeroU32::new(iterations)?;
        // the derived key is copied into the value; this stack copy is wiped when dropped
        let mut hash = Zeroizing::new([0u8; 32]);
        count_run(iterations, algorithm);
        algorithm.derive(n, salt, password.as_bytes(), &mut hash);
        Some(PasswordHash {
            salt: salt.to_vec(),
            iterations,
            algorithm,
            hash: *hash,
            set_on: on,
        })
    }

    /// The pseudorandom function the hash names.
    pub(crate) fn algorithm(&self) -> PasswordAlgorithm {
        self.algorithm
    }

    /// Constant-time check of `password` against this hash (`ring::pbkdf2::verify` for
    /// HMAC-SHA256, `subtle` for HMAC-SM3), with the algorithm the hash names; `false`
    /// without any PBKDF2 run when the stored iteration count is outside
    /// [`STORED_PBKDF2_ITERATIONS`] (one iteration is cheap to guess, `u32::MAX` a denial of
    /// service).
    pub(crate) fn matches(&self, password: &str) -> bool {
        if !self.iterations_in_bounds() {
            return false;
        }
        let Some(n) = NonZeroU32::new(self.iterations) else {
            return false;
        };
        count_run(self.iterations, self.algorithm);
        match self.algorithm {
            PasswordAlgorithm::Pbkdf2HmacSha256 => pbkdf2::verify(
                pbkdf2::PBKDF2_HMAC_SHA256,
                n,
                &self.salt,
                password.as_bytes(),
                &self.hash,
            )
            .is_ok(),
            PasswordAlgorithm::Pbkdf2HmacSm3 => {
                use subtle::ConstantTimeEq as _;
                let mut derived = Zeroizing::new([0u8; 32]);
                self.algorithm
                    .derive(n, &self.salt, password.as_bytes(), &mut derived);
                bool::from(derived.ct_eq(&self.hash))
            }
        }
    }

    /// The derived key, for tests that compare two hashes.
    #[cfg(test)]
    pub(crate) fn hash_bytes(&self) -> [u8; 32] {
        self.hash
    }

    /// Iterations used.
    pub(crate) fn iterations(&self) -> u32 {
        self.iterations
    }

    /// Whether the iteration count is within [`STORED_PBKDF2_ITERATIONS`].
    pub(crate) fn iterations_in_bounds(&self) -> bool {
        STORED_PBKDF2_ITERATIONS.contains(self.iterations)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Rulebook;

    fn id() -> ResidentId {
        "360426199101010071".parse().unwrap()
    }

    fn reasons(p: &str) -> Vec<&'static str> {
        weaknesses(
            p,
            "zhangsan",
            &id(),
            &Rulebook::default().password,
            &SecurityRules::default(),
        )
        .iter()
        .map(WeakReason::code)
        .collect()
    }

    #[test]
    fn every_listed_password_is_refused_as_common() {
        for p in COMMON_PASSWORDS {
            assert!(reasons(p).contains(&"common"), "{p} accepted");
            assert!(reasons(&p.to_uppercase()).contains(&"common"), "{p}");
        }
        // Variants of listed ones that pass length and classes are still refused.
        assert_eq!(reasons("P@ssw0rd"), ["common"]);
        assert_eq!(reasons("P@ssw0rd!"), ["common"]);
        assert_eq!(reasons("Admin@123"), ["common"]);
        assert_eq!(reasons("Woaini1314"), ["common"]);
        assert_eq!(reasons("1qaz@WSX"), ["common"]);
    }

    /// PBKDF2-HMAC-SM3 as another implementation computes it: HMAC-SM3 (RFC 2104 over SM3)
    /// from the `hmac` crate, the PBKDF2 loop of RFC 8018 §5.2 written out for one block.
    #[test]
    fn sm3_hashes_name_their_algorithm_and_match_rfc_8018() {
        use hmac::Mac as _;
        let on = time::macros::date!(2026 - 1 - 1);
        let salt = b"0123456789abcdef";
        let h = PasswordHash::derive_with(
            PasswordAlgorithm::Pbkdf2HmacSm3,
            "Tj7#kq2m",
            salt,
            100_000,
            on,
        )
        .unwrap();
        // U1 = PRF(P, S || INT(1)), Ui = PRF(P, Ui-1), T1 = U1 ^ ... ^ Uc
        let prf = |m: &[u8]| {
            let mut mac = hmac::Hmac::<sm3::Sm3>::new_from_slice(b"Tj7#kq2m").unwrap();
            mac.update(m);
            <[u8; 32]>::from(mac.finalize().into_bytes())
        };
        let mut u = prf(&[salt.as_slice(), &[0, 0, 0, 1]].concat());
        let mut t = u;
        for _ in 1..100_000 {
            u = prf(&u);
            t.iter_mut().zip(u).for_each(|(a, b)| *a ^= b);
        }
        assert_eq!(h.hash, t);
        assert!(h.matches("Tj7#kq2m"));
        assert!(!h.matches("Tj7#kq2n"));
        let json = serde_json::to_value(&h).unwrap();
        assert_eq!(json["algorithm"], "pbkdf2-hmac-sm3");
        // the same password, salt and count under SHA-256 give another hash, which names no
        // algorithm (old stored hashes keep their bytes)
        let sha = PasswordHash::derive("Tj7#kq2m", salt, 100_000, on).unwrap();
        assert_ne!(sha.hash, h.hash);
        assert!(
            serde_json::to_value(&sha)
                .unwrap()
                .get("algorithm")
                .is_none()
        );
        // relabelling a hash to the other suite makes it match nothing
        let mut relabelled = json.clone();
        relabelled.as_object_mut().unwrap().remove("algorithm");
        let relabelled: PasswordHash = serde_json::from_value(relabelled).unwrap();
        assert!(!relabelled.matches("Tj7#kq2m"));
        let mut relabelled = serde_json::to_value(&sha).unwrap();
        relabelled["algorithm"] = "pbkdf2-hmac-sm3".into();
        let relabelled: PasswordHash = serde_json::from_value(relabelled).unwrap();
        assert!(!relabelled.matches("Tj7#kq2m"));
    }

    #[test]
    fn each_rule_names_its_reason() {
        assert_eq!(reasons("Tj7#kq2m"), Vec::<&str>::new());
        assert_eq!(reasons("Tj7#kq2"), ["too_short"]);
        assert_eq!(reasons("tj7kq2mxyz"), ["too_few_classes"]);
        assert_eq!(reasons("Zhangsan#7x"), ["contains_account"]);
        assert_eq!(reasons("Kq#19910101"), ["contains_id_digits"]);
        assert_eq!(reasons("Kq#x010071"), ["contains_id_digits"]);
        assert_eq!(reasons("Kq#x01007"), Vec::<&str>::new()); // only 5 in a row
        assert_eq!(reasons(&"Tj7#".repeat(40)), ["too_long"]);
        // as long as allowed, then one character more
        let max = SecurityRules::default().max_password_chars as usize;
        let longest = format!("Tj7#{}", "k".repeat(max - 4));
        assert_eq!(reasons(&longest), Vec::<&str>::new());
        assert_eq!(reasons(&format!("{longest}k")), ["too_long"]);
        assert_eq!(reasons("口令Tj7#kq"), Vec::<&str>::new());
        // look-alikes do not hide the account or the resident ID's digits
        assert_eq!(reasons("Zh@ng5@n#7x"), ["contains_account"]);
        assert_eq!(reasons("ZH4NG$AN#7x"), ["contains_account"]);
        assert_eq!(reasons("Kq#l99lOlOl"), ["contains_id_digits"]);
        assert_eq!(reasons("Kq#x0l0O7l"), ["contains_id_digits"]);
        assert_eq!(reasons("Kq#xOlOO7"), Vec::<&str>::new()); // only 5 in a row
        // the holder's name, given, with spaces or in look-alikes
        let holder = |p: &str, name: &str| -> Vec<&'static str> {
            weaknesses_for_holder(
                p,
                "op01",
                name,
                &id(),
                &Rulebook::default().password,
                &SecurityRules::default(),
            )
            .iter()
            .map(WeakReason::code)
            .collect()
        };
        assert_eq!(holder("Xq#Zh@ngS4n7", "Zhang San"), ["contains_name"]);
        assert_eq!(holder("Xq#张三2026", "张三"), ["contains_name"]);
        assert_eq!(holder("Xq#Zh@ngS4n7", "李四"), Vec::<&str>::new());
        assert_eq!(holder("Xq#Zh@ngS4n7", ""), Vec::<&str>::new());
        let mut rules = SecurityRules::default();
        rules.extra_common_passwords.push("Linfen@2024".into());
        let w = weaknesses(
            "linfen@2024",
            "op",
            &id(),
            &Rulebook::default().password,
            &rules,
        );
        assert_eq!(w, [WeakReason::Common]);
        assert_eq!(
            WeakReason::TooShort { min: 8, found: 3 }.to_string(),
            "has 3 characters, at least 8 are required"
        );
    }

    #[test]
    fn hash_verifies_only_the_right_password() {
        let on = time::macros::date!(2026 - 03 - 02);
        let h = PasswordHash::derive("Tj7#kq2m", b"0123456789abcdef", 100_000, on).unwrap();
        assert!(h.matches("Tj7#kq2m"));
        assert!(!h.matches("Tj7#kq2M"));
        assert!(!h.matches(""));
        for out_of_bounds in [0, 1, 1_000, 99_999, 10_000_001, u32::MAX] {
            assert!(PasswordHash::derive("x", b"salt", out_of_bounds, on).is_none());
        }
        assert!(!format!("{h:?}").contains("hash:"));
        let json = serde_json::to_string(&h).unwrap();
        let back: PasswordHash = serde_json::from_str(&json).unwrap();
        assert_eq!(back, h);
        assert!(back.matches("Tj7#kq2m"));
        // read back with 1 or u32::MAX iterations: never matches, and never runs PBKDF2
        for iterations in [1, u32::MAX] {
            let mut v = serde_json::to_value(&h).unwrap();
            v["iterations"] = iterations.into();
            let back: PasswordHash = serde_json::from_value(v).unwrap();
            assert!(!back.iterations_in_bounds());
            assert!(!back.matches("Tj7#kq2m"));
        }
    }
}
