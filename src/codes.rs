//! Fixed codes stored as TEXT (each guarded by a CHECK in the schema) and parsed
//! into enums at the edge.

/// Declares an enum whose variants map one-to-one to the codes stored in the
/// database and used in forms.
#[macro_export]
macro_rules! text_enum {
    ($(#[$meta:meta])* pub enum $name:ident { $($variant:ident => $code:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name { $($variant),+ }

        impl Default for $name {
            /// The first code listed.
            fn default() -> Self {
                Self::ALL[0]
            }
        }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $code),+ }
            }

            pub fn parse(code: &str) -> Option<Self> {
                match code { $($code => Some($name::$variant),)+ _ => None }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let code = <std::borrow::Cow<'de, str>>::deserialize(d)?;
                Self::parse(&code).ok_or_else(|| {
                    serde::de::Error::custom(format!("unknown {} code `{code}`", stringify!($name)))
                })
            }
        }
    };
}

text_enum! {
    /// Who a participant speaks for; consultations may restrict which take part.
    pub enum StakeholderGroup {
        Government => "government",
        Intergovernmental => "intergovernmental",
        Platform => "platform",
        CivilSociety => "civil_society",
        Academia => "academia",
        Technical => "technical",
        Individual => "individual",
    }
}

impl StakeholderGroup {
    pub fn label_keys(groups: &[StakeholderGroup]) -> Vec<String> {
        groups.iter().map(|g| g.label_key()).collect()
    }

    /// The Fluent message that names the group in the reader's language.
    pub fn label_key(self) -> String {
        format!("group-{}", self.as_str().replace('_', "-"))
    }
}

text_enum! {
    /// The interface languages.
    pub enum Locale {
        En => "en",
        Fr => "fr",
    }
}

impl Locale {
    /// The language a text in `self` is translated into: with two interface
    /// languages, "the other one".
    pub fn other(self) -> Locale {
        match self {
            Locale::En => Locale::Fr,
            Locale::Fr => Locale::En,
        }
    }

    /// The Fluent message naming this language inside a sentence ("French",
    /// « français »).
    pub fn name_key(self) -> &'static str {
        match self {
            Locale::En => "language-en",
            Locale::Fr => "language-fr",
        }
    }
}
