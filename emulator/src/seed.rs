//! Deterministic demo profiles: the same index gives the same person in every version.
//!
//! Profile `i` is `seed::profile(i)`. Its email is `{first}.{last}{i}@{domain}` in lower case
//! (letters only from the names; `domain` is `example.com`, `example.org` or `example.net`), so
//! every index has its own address — except that every profile whose index ends in 9
//! (`i % 10 == 9`) is a duplicate record of the person at `i - 1`: same first name, last name and
//! email, its own phone, opt-out flags and dates. With `--seed N`, the email of profile `10k + 8`
//! therefore matches two profiles whenever `10k + 9 < N`.
//!
//! The names, the hash (SplitMix64's finaliser) and this scheme are pinned by tests: changing any of
//! them changes which emails exist, which other code relies on.

use serde_json::{Map, Value, json};

use crate::clock;
use crate::pkey::mix;

const FIRST_NAMES: &[&str] = &[
    "Ana", "Bruno", "Chloe", "Daniel", "Elena", "Farid", "Grace", "Hiro", "Isabel", "Jamal",
    "Keiko", "Liam", "Maria", "Noah", "Olivia", "Pedro", "Quinn", "Rosa", "Samir", "Tara", "Uma",
    "Victor", "Wen", "Ximena", "Yusuf", "Zoe", "Aaliyah", "Carlos", "Mei", "Sean",
];

const LAST_NAMES: &[&str] = &[
    "Silva",
    "Nguyen",
    "Garcia",
    "Smith",
    "Kim",
    "Patel",
    "O'Brien",
    "Johnson",
    "Lopez",
    "Chen",
    "Williams",
    "Martinez",
    "Okafor",
    "Brown",
    "Hernandez",
    "Tanaka",
    "Davis",
    "Rossi",
    "Miller",
    "Khan",
    "Wilson",
    "Gonzalez",
    "Anderson",
    "Santos",
    "Taylor",
    "Nakamura",
    "Moore",
    "Ramirez",
    "Van der Berg",
    "Jackson",
];

const DOMAINS: &[&str] = &["example.com", "example.org", "example.net"];
const LANGUAGES: &[&str] = &[
    "en_us", "en_us", "en_us", "es_us", "zh_cn", "vi_vn", "ko_kr", "fr_fr",
];
const TIME_ZONES: &[&str] = &[
    "America_Los_Angeles",
    "America_Los_Angeles",
    "America_Denver",
    "America_New_York",
];
const CITIES: &[(&str, &str, &str)] = &[
    ("Los Angeles", "CA", "900"),
    ("San Francisco", "CA", "941"),
    ("San Diego", "CA", "921"),
    ("Sacramento", "CA", "958"),
    ("Fresno", "CA", "937"),
    ("Oakland", "CA", "946"),
    ("Portland", "OR", "972"),
    ("Seattle", "WA", "981"),
];
const STREETS: &[&str] = &[
    "Main St",
    "Oak Ave",
    "Mission St",
    "Sunset Blvd",
    "Elm St",
    "Market St",
];

/// One seeded person, as the emulator stores it.
#[derive(Debug, Clone, PartialEq)]
pub struct SeedProfile {
    /// Its index (the order in which `--seed` creates profiles, so also its creation order).
    pub index: u64,
    /// `firstName`.
    pub first_name: String,
    /// `lastName`.
    pub last_name: String,
    /// `email`; shared with profile `index - 1` when `index % 10 == 9`.
    pub email: String,
    /// `ccpaOptOut` (true for roughly one profile in six).
    pub ccpa_opt_out: bool,
    /// `created`, milliseconds since the Unix epoch (between 2019 and 2024).
    pub created_ms: i64,
    /// `lastModified`, milliseconds since the Unix epoch (not before `created_ms`).
    pub last_modified_ms: i64,
    /// Every written field (names, email, phones, `birthDate`, `gender`, `preferredLanguage`,
    /// `timeZone`, `emailFormat`, `salutation`, `location`, `blackList*`, `ccpaOptOut`), as JSON.
    pub fields: Map<String, Value>,
}

/// Which earlier profile this one duplicates (same person, same email), if any.
pub fn duplicate_of(index: u64) -> Option<u64> {
    (index % 10 == 9).then(|| index - 1)
}

/// The email of profile `index` (shared with `index - 1` when [`duplicate_of`] says so).
pub fn email(index: u64) -> String {
    profile(index).email
}

/// The seeded profile with this index.
pub fn profile(index: u64) -> SeedProfile {
    let person = duplicate_of(index).unwrap_or(index);
    let first_name = (*pick(FIRST_NAMES, person, 1)).to_owned();
    let last_name = (*pick(LAST_NAMES, person, 2)).to_owned();
    let email = format!(
        "{}.{}{person}@{}",
        letters(&first_name),
        letters(&last_name),
        pick(DOMAINS, person, 3)
    );
    let roll = |salt: u64, percent: u64| draw(index, salt) % 100 < percent;
    let ccpa_opt_out = roll(10, 17);
    let gender = ["female", "male", "unknown"][(draw(index, 11) % 3) as usize];
    let salutation = match gender {
        "female" => "Ms.",
        "male" => "Mr.",
        _ => "",
    };
    let (city, state, zip) = *pick(CITIES, index, 12);
    let area = 200 + draw(index, 13) % 700;
    let birth_days = clock::days_from_civil(1950, 1, 1) + (draw(index, 14) % (55 * 365)) as i64;
    let created_ms = 1_546_300_800_000 + (draw(index, 15) % (6 * 365 * 86_400_000)) as i64;
    let last_modified_ms = created_ms + (draw(index, 16) % (400 * 86_400_000)) as i64;
    let black_list_email = roll(17, 4);
    let fields = json!({
        "firstName": first_name,
        "lastName": last_name,
        "email": email,
        "salutation": salutation,
        "gender": gender,
        "birthDate": clock::format_date(birth_days),
        "phone": format!("+1 {area}-555-01{:02}", index % 100),
        "mobilePhone": format!("+1 {area}-555-02{:02}", (index / 100) % 100),
        "preferredLanguage": *pick(LANGUAGES, index, 18),
        "timeZone": *pick(TIME_ZONES, index, 19),
        "emailFormat": if roll(20, 80) { "html" } else { "text" },
        "location": {
            "address1": format!("{} {}", 1 + draw(index, 21) % 9_899, pick(STREETS, index, 22)),
            "city": city,
            "stateCode": state,
            "zipCode": format!("{zip}{:02}", draw(index, 23) % 100),
            "countryCode": "US",
        },
        "blackList": roll(24, 2),
        "blackListEmail": black_list_email,
        "blackListMobile": roll(25, 3),
        "blackListPhone": roll(26, 5),
        "blackListFax": false,
        "blackListPostalMail": roll(27, 3),
        "blackListPushnotification": false,
        "ccpaOptOut": ccpa_opt_out,
    });
    SeedProfile {
        index,
        first_name,
        last_name,
        email,
        ccpa_opt_out,
        created_ms,
        last_modified_ms,
        fields: fields.as_object().cloned().unwrap_or_default(),
    }
}

fn draw(index: u64, salt: u64) -> u64 {
    mix(index
        .wrapping_mul(0x1_0000_0001)
        .wrapping_add(salt.wrapping_mul(0xA5A5_5A5A)))
}

fn pick<T>(items: &[T], index: u64, salt: u64) -> &T {
    &items[(draw(index, salt) % items.len() as u64) as usize]
}

fn letters(name: &str) -> String {
    name.chars()
        .filter(char::is_ascii_alphabetic)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_are_unique_except_documented_duplicates() {
        let emails: Vec<String> = (0..1000).map(email).collect();
        let distinct: std::collections::HashSet<&String> = emails.iter().collect();
        assert_eq!(distinct.len(), 900);
        for i in 0..1000u64 {
            match duplicate_of(i) {
                Some(j) => assert_eq!(emails[i as usize], emails[j as usize]),
                None => assert!(emails[i as usize].contains(&format!("{i}@"))),
            }
        }
    }

    #[test]
    fn scheme_is_pinned() {
        // Changing any of these values changes the seeded data that other code relies on.
        let pinned: Vec<(String, bool)> = [0, 1, 2, 8, 9]
            .into_iter()
            .map(|i| (email(i), profile(i).ccpa_opt_out))
            .collect();
        let expected: Vec<(String, bool)> =
            PINNED.iter().map(|(e, o)| (e.to_string(), *o)).collect();
        assert_eq!(pinned, expected);
    }

    const PINNED: [(&str, bool); 5] = [
        ("noah.vanderberg0@example.com", false),
        ("isabel.obrien1@example.net", false),
        ("daniel.kim2@example.net", false),
        ("ana.patel8@example.net", false),
        ("ana.patel8@example.net", false),
    ];

    #[test]
    fn opted_out_indexes_are_pinned() {
        let opted: Vec<u64> = (0..40).filter(|i| profile(*i).ccpa_opt_out).collect();
        assert_eq!(opted, vec![3, 25, 35, 38]);
    }

    #[test]
    fn some_profiles_opt_out_and_fields_are_valid() {
        let opted = (0..1000).filter(|i| profile(*i).ccpa_opt_out).count();
        assert!((100..300).contains(&opted), "{opted}");
        for i in 0..200 {
            let p = profile(i);
            assert_eq!(
                crate::fields::validate_write(crate::api::Api::Plain, &p.fields),
                Ok(()),
                "{i}"
            );
            assert!(p.last_modified_ms >= p.created_ms);
        }
    }
}
