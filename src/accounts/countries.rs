//! ISO 3166-1 alpha-2 countries with English and French names and their UN M49
//! region, shipped with the binary.

use crate::codes::Locale;
use std::collections::BTreeMap;
use std::sync::LazyLock;

pub struct Country {
    pub code: &'static str,
    pub name_en: &'static str,
    pub name_fr: &'static str,
    pub region: &'static str,
}

impl Country {
    pub fn name(&self, locale: Locale) -> &'static str {
        match locale {
            Locale::En => self.name_en,
            Locale::Fr => self.name_fr,
        }
    }
}

static COUNTRIES: LazyLock<BTreeMap<&'static str, Country>> = LazyLock::new(|| {
    include_str!("data/countries.tsv")
        .lines()
        .filter_map(|line| {
            let mut f = line.split('\t');
            let country = Country {
                code: f.next()?,
                name_en: f.next()?,
                name_fr: f.next()?,
                region: f.next()?,
            };
            Some((country.code, country))
        })
        .collect()
});

pub fn find(code: &str) -> Option<&'static Country> {
    COUNTRIES.get(code)
}

/// Every country, sorted by its name in `locale`, for a select list.
pub fn sorted(locale: Locale) -> Vec<&'static Country> {
    let mut all: Vec<_> = COUNTRIES.values().collect();
    all.sort_by_cached_key(|c| collation_key(c.name(locale)));
    all
}

/// Sorts "Égypte" with the E's rather than after Z.
fn collation_key(name: &str) -> String {
    name.chars()
        .map(|c| match c {
            'À' | 'Á' | 'Â' | 'Ä' | 'Å' | 'à' | 'á' | 'â' | 'ä' | 'å' => 'a',
            'Ç' | 'ç' => 'c',
            'É' | 'È' | 'Ê' | 'Ë' | 'é' | 'è' | 'ê' | 'ë' => 'e',
            'Î' | 'Ï' | 'Í' | 'î' | 'ï' | 'í' => 'i',
            'Ô' | 'Ö' | 'Ó' | 'ô' | 'ö' | 'ó' => 'o',
            'Ù' | 'Û' | 'Ü' | 'Ú' | 'ù' | 'û' | 'ü' | 'ú' => 'u',
            c => c.to_ascii_lowercase(),
        })
        .collect()
}
