//! Organizers managing participants: the paged, searchable list, bulk and
//! rule-based verification of affiliations, and a dashboard that counts.

use crate::helpers::*;
use diesel::prelude::*;
use polyphony::db::schema::{audit_log, users, verification_rules};

/// Someone to put in the list, made directly in the database (registration
/// has its own tests).
#[derive(Clone)]
struct Person {
    email: String,
    name: String,
    organization: String,
    group: &'static str,
    country: &'static str,
    confirmed: bool,
    verified: bool,
    role: &'static str,
}

fn person(email: &str, group: &'static str, country: &'static str) -> Person {
    Person {
        email: email.into(),
        name: format!("Name of {email}"),
        organization: "Org".into(),
        group,
        country,
        confirmed: true,
        verified: false,
        role: "participant",
    }
}

async fn add(app: &TestApp, people: Vec<Person>) {
    let now = app.clock.now();
    app.db
        .run(move |c| -> Result<(), polyphony::web::errors::AppError> {
            for p in people {
                let profile = polyphony::accounts::fields::Profile {
                    display_name: p.name.clone(),
                    organization: p.organization.clone(),
                    group: polyphony::codes::StakeholderGroup::parse(p.group).unwrap(),
                    country: p.country,
                    locale: polyphony::codes::Locale::En,
                };
                let id = polyphony::accounts::insert(
                    c,
                    &polyphony::accounts::NewUser {
                        email: &p.email,
                        password_hash: "!",
                        profile: &profile,
                        role: polyphony::accounts::Role::parse(p.role).unwrap(),
                        email_verified: p.confirmed,
                    },
                    now,
                )?;
                if p.verified {
                    diesel::update(users::table.find(id))
                        .set(users::affiliation_verified_at.eq(now))
                        .execute(c)?;
                }
            }
            Ok(())
        })
        .await
        .unwrap();
}

/// The addresses listed on a page of the participants list, in order.
fn listed(page: &str) -> Vec<String> {
    page.split("<td class=\"email\">")
        .skip(1)
        .map(|rest| rest[..rest.find('<').unwrap()].to_string())
        .collect()
}

/// A page's links as the browser reads them (Handlebars escapes `=` and `&`).
fn unescaped(html: &str) -> String {
    html.replace("&#x3D;", "=").replace("&amp;", "&")
}

async fn list(admin: &Browser, query: &str) -> Vec<String> {
    let (status, page) = admin
        .get_text(&format!("/admin/participants?{query}"))
        .await;
    assert_eq!(status, 200, "{query}: {page}");
    listed(&page)
}

fn verified(app: &TestApp, email: &'static str) -> impl std::future::Future<Output = bool> {
    let db = app.db.clone();
    async move {
        db.query(move |c| {
            users::table
                .filter(users::email.eq(email))
                .select(users::affiliation_verified_at.is_not_null())
                .first(c)
        })
        .await
        .unwrap()
    }
}

/// (action, subject, details, actor) of the audit entries, oldest first.
async fn audit(app: &TestApp) -> Vec<(String, String, String, Option<i64>)> {
    app.db
        .query(|c| {
            audit_log::table
                .order(audit_log::id)
                .select((
                    audit_log::action,
                    audit_log::subject,
                    audit_log::details,
                    audit_log::actor_id,
                ))
                .load(c)
        })
        .await
        .unwrap()
}

async fn id_of(app: &TestApp, email: &'static str) -> i64 {
    app.db
        .query(move |c| {
            users::table
                .filter(users::email.eq(email))
                .select(users::id)
                .first(c)
        })
        .await
        .unwrap()
}

const RULES: &str = "/admin/participants/rules";

pub(crate) async fn rule(
    admin: &Browser,
    domain: &str,
    group: &str,
    country: &str,
    action: &str,
) -> reqwest::Response {
    admin
        .submit(
            RULES,
            RULES,
            &[
                ("domain", domain),
                ("stakeholder_group", group),
                ("country", country),
                ("action", action),
            ],
        )
        .await
}

/// Canada's government at canada.ca and a subdomain; people at the domain
/// who declared otherwise; lookalikes and the unconfirmed.
fn canada() -> Vec<Person> {
    let mut otherwise = person("ngo@canada.ca", "civil_society", "CA");
    otherwise.name = "Declared civil society".into();
    let mut unconfirmed = person("late@canada.ca", "government", "CA");
    unconfirmed.confirmed = false;
    vec![
        person("minister@canada.ca", "government", "CA"),
        person("attache@international.canada.ca", "government", "CA"),
        otherwise,
        person("abroad@canada.ca", "government", "FR"),
        person("spoof@notcanada.ca", "government", "CA"),
        person("canada.ca@example.org", "government", "CA"),
        unconfirmed,
    ]
}

both_backends! {
    async fn the_list_pages_fifty_people_at_a_time_and_its_links_keep_the_filters(app) {
        let people = (0..120).map(|i| person(&format!("p{i:03}@example.org"), "academia", "KE")).collect();
        add(&app, people).await;
        add(&app, vec![person("other@example.org", "government", "KE")]).await;
        let admin = app.admin().await;
        let (status, first) = admin.get_text("/admin/participants?group=academia&sort=email").await;
        assert_eq!(status, 200);
        assert!(first.contains("120 participants found"), "{first}");
        let emails = listed(&first);
        assert_eq!(emails.len(), 50);
        assert_eq!(emails[0], "p000@example.org");
        assert!(unescaped(&first).contains("href=\"/admin/participants?group=academia&sort=email&page=2\""), "the next page keeps the filters");
        let third = list(&admin, "group=academia&sort=email&page=3").await;
        assert_eq!(third.len(), 20);
        assert_eq!(third[19], "p119@example.org");
        assert_eq!(admin.get("/admin/participants?group=academia&page=4").await.status(), 404);
        assert_eq!(admin.get("/admin/participants?page=0").await.status(), 404);
        assert_eq!(admin.get("/admin/participants?page=x").await.status(), 404);
    }

    async fn each_filter_selects_only_the_people_it_names(app) {
        let mut unverified_fr = person("fr@example.org", "government", "FR");
        unverified_fr.organization = "Ministère".into();
        let mut verified_ke = person("ke@example.org", "civil_society", "KE");
        verified_ke.verified = true;
        let mut unconfirmed = person("unconfirmed@example.org", "academia", "KE");
        unconfirmed.confirmed = false;
        let mut organizer = person("organizer@example.org", "technical", "BR");
        organizer.role = "organizer";
        add(&app, vec![unverified_fr, verified_ke, unconfirmed, organizer]).await;
        let admin = app.admin().await;
        assert_eq!(list(&admin, "group=government").await, ["fr@example.org"]);
        assert_eq!(list(&admin, "country=KE&sort=email").await, ["ke@example.org", "unconfirmed@example.org"]);
        assert_eq!(list(&admin, "verified=yes").await, ["ke@example.org"]);
        assert_eq!(list(&admin, "verified=no&role=participant&sort=email").await, ["fr@example.org", "unconfirmed@example.org"]);
        assert_eq!(list(&admin, "confirmed=no").await, ["unconfirmed@example.org"]);
        assert_eq!(list(&admin, "role=organizer").await, ["organizer@example.org"]);
        assert_eq!(list(&admin, "role=participant&confirmed=yes&verified=no").await, ["fr@example.org"]);
        // An unknown value filters nothing rather than failing.
        assert_eq!(list(&admin, "role=emperor&group=x&country=Narnia&verified=maybe").await.len(), 5);
    }

    async fn search_finds_part_of_a_name_address_or_organization_in_any_case_and_takes_wildcards_literally(app) {
        let mut cotton = person("cotton@example.org", "platform", "US");
        cotton.name = "100% Cotton".into();
        let mut hundred = person("hundred@example.org", "platform", "US");
        hundred.name = "1000 Cotton".into();
        let mut underscore = person("a_b@example.org", "academia", "DE");
        underscore.name = "Underscore".into();
        let mut axb = person("axb@example.org", "academia", "DE");
        axb.organization = "Institut Pasteur".into();
        add(&app, vec![cotton, hundred, underscore, axb]).await;
        let admin = app.admin().await;
        assert_eq!(list(&admin, "q=100%25").await, ["cotton@example.org"]);
        assert_eq!(list(&admin, "q=a_b").await, ["a_b@example.org"]);
        assert_eq!(list(&admin, "q=COTTON&sort=email").await, ["cotton@example.org", "hundred@example.org"]);
        assert_eq!(list(&admin, "q=pasteur").await, ["axb@example.org"]);
        let (_, page) = admin.get_text("/admin/participants?q=100%25&sort=email").await;
        assert!(page.contains("value=\"100%\""), "the search stays in its field");
    }

    async fn each_sort_orders_the_rows_and_ties_are_broken_by_signing_up_first(app) {
        let mut people = vec![];
        for (email, name, group, country) in [
            ("c@example.org", "beatriz", "academia", "BR"),
            ("a@example.org", "Carla", "government", "AR"),
            ("b@example.org", "Ana", "academia", "CL"),
            ("d@example.org", "Ana", "technical", "AR"),
        ] {
            let mut p = person(email, group, country);
            p.name = name.into();
            people.push(p);
        }
        add(&app, people).await;
        let admin = app.admin().await;
        let only = "role=participant";
        assert_eq!(list(&admin, &format!("{only}&sort=name")).await, ["b@example.org", "d@example.org", "c@example.org", "a@example.org"]);
        assert_eq!(list(&admin, &format!("{only}&sort=name&dir=desc")).await, ["a@example.org", "c@example.org", "d@example.org", "b@example.org"]);
        assert_eq!(list(&admin, &format!("{only}&sort=email")).await, ["a@example.org", "b@example.org", "c@example.org", "d@example.org"]);
        assert_eq!(list(&admin, &format!("{only}&sort=group")).await, ["c@example.org", "b@example.org", "a@example.org", "d@example.org"]);
        assert_eq!(list(&admin, &format!("{only}&sort=country")).await, ["a@example.org", "d@example.org", "c@example.org", "b@example.org"]);
        assert_eq!(list(&admin, &format!("{only}&sort=signed_up&dir=desc")).await, ["d@example.org", "b@example.org", "a@example.org", "c@example.org"]);
        let (_, page) = admin.get_text("/admin/participants?role=participant&sort=country").await;
        assert!(unescaped(&page).contains("aria-sort=\"ascending\"><a href=\"/admin/participants?role=participant&sort=country&dir=desc\""), "the sorted column's link sorts the other way");
    }

    async fn participants_and_visitors_are_refused_the_participant_pages(app) {
        let participant = app.participant("p@example.org", "academia", "FR", false).await;
        let id = id_of(&app, "p@example.org").await;
        for path in ["/admin/participants".to_string(), RULES.to_string(), format!("/admin/participants/{id}")] {
            assert_eq!(participant.get(&path).await.status(), 403, "{path}");
            assert_eq!(app.new_browser().get(&path).await.status(), 403, "{path}");
        }
        let (_, account) = participant.get_text("/account").await;
        let token = csrf_in(&account);
        let res = participant.post_form("/admin/participants/verify", &[("csrf_token", &token), ("user", &id.to_string())]).await;
        assert_eq!(res.status(), 403);
        let res = participant.post_form(RULES, &[("csrf_token", &token), ("domain", "example.org"),
            ("stakeholder_group", "academia"), ("country", "FR"), ("action", "confirm")]).await;
        assert_eq!(res.status(), 403);
        assert!(!verified(&app, "p@example.org").await);
        let rules: i64 = app.db.query(|c| verification_rules::table.count().get_result(c)).await.unwrap();
        assert_eq!(rules, 0);
    }

    async fn a_rule_preview_counts_whom_it_would_verify_and_who_declared_otherwise_without_changing_anyone(app) {
        add(&app, canada()).await;
        let admin = app.admin().await;
        let res = rule(&admin, "@Canada.CA", "government", "CA", "preview").await;
        assert_eq!(res.status(), 200);
        let page = res.text().await.unwrap();
        assert!(page.contains("2 participants would be verified now."), "{page}");
        assert!(page.contains("2 participants at this domain declared another group or country and will not be changed."), "{page}");
        assert!(page.contains("Declared civil society") && page.contains("abroad@canada.ca"));
        assert!(page.contains("name=\"domain\" value=\"canada.ca\""), "the confirmation carries the rule as parsed");
        assert!(!verified(&app, "minister@canada.ca").await, "a preview changes nothing");
        let rules: i64 = app.db.query(|c| verification_rules::table.count().get_result(c)).await.unwrap();
        assert_eq!(rules, 0);
    }

    async fn confirming_a_rule_verifies_exactly_the_matching_people_with_an_audit_entry_naming_the_rule(app) {
        add(&app, canada()).await;
        let admin = app.admin().await;
        let res = rule(&admin, "canada.ca", "government", "CA", "confirm").await;
        assert_eq!(res.status(), 303);
        assert_eq!(res.headers()["location"], RULES);
        for email in ["minister@canada.ca", "attache@international.canada.ca"] {
            assert!(verified(&app, email).await, "{email}");
        }
        for email in ["ngo@canada.ca", "abroad@canada.ca", "spoof@notcanada.ca", "canada.ca@example.org", "late@canada.ca"] {
            assert!(!verified(&app, email).await, "{email} must stay as declared");
        }
        let group: String = app.db.query(|c| users::table.filter(users::email.eq("ngo@canada.ca")).select(users::stakeholder_group).first(c)).await.unwrap();
        assert_eq!(group, "civil_society", "what someone declared is never rewritten");
        let rule_id: i64 = app.db.query(|c| verification_rules::table.select(verification_rules::id).first(c)).await.unwrap();
        let entries = audit(&app).await;
        let named = format!("rule {rule_id}: @canada.ca → government, CA");
        assert_eq!(entries[0].0, "rule.create");
        assert_eq!(entries[0].2, named);
        let mut verifications: Vec<String> = entries.iter().filter(|e| e.0 == "participant.verify").map(|e| {
            assert_eq!(e.2, named, "each verification names the rule");
            assert!(e.3.is_some(), "and the organizer who confirmed it");
            e.1.clone()
        }).collect();
        verifications.sort();
        let mut expected = vec![
            format!("user {}", id_of(&app, "minister@canada.ca").await),
            format!("user {}", id_of(&app, "attache@international.canada.ca").await),
        ];
        expected.sort();
        assert_eq!(verifications, expected);
        let (_, page) = admin.get_text(RULES).await;
        assert!(page.contains("@canada.ca"));
        assert!(page.contains("<td>2</td>"), "the rule says how many it verified");
        let again = rule(&admin, "canada.ca", "government", "CA", "confirm").await;
        assert_eq!(again.status(), 422);
        assert!(again.text().await.unwrap().contains("This rule exists already."));
    }

    async fn a_rule_on_a_public_mail_provider_is_refused_next_to_its_field(app) {
        add(&app, vec![person("someone@gmail.com", "government", "CA")]).await;
        let admin = app.admin().await;
        for domain in ["gmail.com", "yahoo.fr", "hotmail.co.uk", "orange.fr", "laposte.net", "proton.me", "gmx.de"] {
            let res = rule(&admin, domain, "government", "CA", "confirm").await;
            assert_eq!(res.status(), 422, "{domain}");
            let page = res.text().await.unwrap();
            assert!(page.contains("id=\"domain-error\""), "{domain}: the error is next to the field");
            assert!(page.contains("cannot verify an affiliation"), "{domain}");
            assert!(page.contains(&format!("value=\"{domain}\"")), "{domain}: what was typed is kept");
        }
        let res = rule(&admin, "not a domain", "", "", "preview").await;
        assert_eq!(res.status(), 422);
        let page = res.text().await.unwrap();
        for field in ["domain-error", "stakeholder_group-error", "country-error"] {
            assert!(page.contains(&format!("id=\"{field}\"")), "{field}");
        }
        let (_, french) = admin.get_text("/admin/participants/rules?lang=fr").await;
        assert!(french.contains("Règles de vérification"));
        let res = admin.submit(RULES, &format!("{RULES}?lang=fr"), &[("domain", "free.fr"),
            ("stakeholder_group", "government"), ("country", "FR"), ("action", "confirm")]).await;
        assert_eq!(res.status(), 422);
        assert!(res.text().await.unwrap().contains("fournisseur de messagerie public"));
        assert!(!verified(&app, "someone@gmail.com").await);
        let rules: i64 = app.db.query(|c| verification_rules::table.count().get_result(c)).await.unwrap();
        assert_eq!(rules, 0);
    }

    async fn a_new_sign_up_matching_a_rule_is_verified_when_they_confirm_their_address(app) {
        let admin = app.admin().await;
        assert_eq!(rule(&admin, "canada.ca", "civil_society", "CA", "confirm").await.status(), 303);
        // `register` declares civil society in Canada.
        app.register("new@canada.ca", "Newcomer", "civil_society").await;
        assert!(!verified(&app, "new@canada.ca").await, "not before the address is confirmed");
        let mail = app.wait_for_mail("new@canada.ca", "/verify/").await;
        assert_eq!(app.get(&TestApp::link_in(&mail, "/verify/")).await.status(), 200);
        assert!(verified(&app, "new@canada.ca").await);
        let id = id_of(&app, "new@canada.ca").await;
        let entry = audit(&app).await.into_iter().find(|e| e.0 == "participant.verify").unwrap();
        assert_eq!(entry.1, format!("user {id}"));
        assert!(entry.2.starts_with("rule ") && entry.2.contains("@canada.ca"), "{}", entry.2);
        assert_eq!(entry.3, None, "the rule acted, on the participant's own confirmation");
        // Someone at the domain who declared another group is left as declared.
        app.new_browser().register("gov@canada.ca", "Official", "government").await;
        let mail = app.wait_for_mail("gov@canada.ca", "/verify/").await;
        assert_eq!(app.new_browser().get(&TestApp::link_in(&mail, "/verify/")).await.status(), 200);
        assert!(!verified(&app, "gov@canada.ca").await);
    }

    async fn ticked_rows_are_verified_together_with_an_audit_entry_each(app) {
        add(&app, vec![
            person("one@example.org", "academia", "FR"),
            person("two@example.org", "academia", "FR"),
            person("three@example.org", "academia", "FR"),
        ]).await;
        let admin = app.admin().await;
        let (one, two) = (id_of(&app, "one@example.org").await, id_of(&app, "two@example.org").await);
        let back = "/admin/participants?group=academia&page=1";
        let res = admin.submit("/admin/participants?group=academia", "/admin/participants/verify",
            &[("user", &one.to_string()), ("user", &two.to_string()), ("back", back)]).await;
        assert_eq!(res.status(), 303);
        assert_eq!(res.headers()["location"], back, "back to the same page of the list");
        assert!(verified(&app, "one@example.org").await && verified(&app, "two@example.org").await);
        assert!(!verified(&app, "three@example.org").await);
        let subjects: Vec<String> = audit(&app).await.into_iter()
            .filter(|e| e.0 == "participant.verify").map(|e| e.1).collect();
        assert_eq!(subjects.len(), 2);
        assert!(subjects.contains(&format!("user {one}")) && subjects.contains(&format!("user {two}")));
        // Sent again, nobody is verified twice.
        admin.submit("/admin/participants", "/admin/participants/verify", &[("user", &one.to_string())]).await;
        assert_eq!(audit(&app).await.len(), 2);
        let res = admin.submit("/admin/participants", "/admin/participants/verify", &[("user", "x")]).await;
        assert_eq!(res.status(), 400);
        let res = admin.submit("/admin/participants", "/admin/participants/verify", &[("back", "https://evil.example")]).await;
        assert_eq!(res.headers()["location"], "/");
    }

    async fn deleting_a_rule_is_audited_and_leaves_the_people_it_verified_verified(app) {
        add(&app, vec![person("minister@canada.ca", "government", "CA")]).await;
        let admin = app.admin().await;
        assert_eq!(rule(&admin, "canada.ca", "government", "CA", "confirm").await.status(), 303);
        let rule_id: i64 = app.db.query(|c| verification_rules::table.select(verification_rules::id).first(c)).await.unwrap();
        let res = admin.submit(RULES, &format!("{RULES}/{rule_id}/delete"), &[]).await;
        assert_eq!(res.status(), 303);
        assert!(verified(&app, "minister@canada.ca").await);
        let last = audit(&app).await.pop().unwrap();
        assert_eq!((last.0.as_str(), last.2.as_str()), ("rule.delete", format!("rule {rule_id}: @canada.ca → government, CA").as_str()));
        let res = admin.submit(RULES, &format!("{RULES}/{rule_id}/delete"), &[]).await;
        assert_eq!(res.status(), 404);
        let res = admin.submit(RULES, &format!("{RULES}/nope/delete"), &[]).await;
        assert_eq!(res.status(), 404);
        assert_eq!(admin.get("/admin/participants/999999").await.status(), 404);
    }

    async fn the_dashboard_counts_participants_and_links_to_the_list_instead_of_listing_them(app) {
        let people = (0..60).map(|i| {
            let mut p = person(&format!("waiting{i}@example.org"), "civil_society", "SN");
            p.name = format!("Waiting person {i}");
            p
        }).collect();
        add(&app, people).await;
        let admin = app.admin().await;
        let (status, dashboard) = admin.get_text("/admin").await;
        assert_eq!(status, 200);
        assert!(!dashboard.contains("Waiting person"), "no participant is listed on the dashboard");
        assert!(dashboard.contains("60 affiliations to verify"), "{dashboard}");
        assert!(unescaped(&dashboard).contains("href=\"/admin/participants?role=participant&confirmed=yes&verified=no\""));
        assert!(unescaped(&dashboard).contains("href=\"/admin/participants?role=participant&group=civil_society\""));
        assert!(dashboard.len() < 60_000);
        let waiting = list(&admin, "role=participant&confirmed=yes&verified=no").await;
        assert_eq!(waiting.len(), 50, "the link leads to the first page of them");
    }

    async fn a_full_page_of_long_addresses_stays_under_sixty_kilobytes(app) {
        let people = (0..60).map(|i| {
            let local = format!("{i:02}{}", "x".repeat(50));
            // Sixty countries, so the country filter is long too.
            let country = polyphony::accounts::countries::sorted(polyphony::codes::Locale::En)[i * 3].code;
            let mut p = person(&format!("{local}@example.org"), "intergovernmental", country);
            assert_eq!(p.email.len(), 64);
            p.name = "N".repeat(80);
            p.organization = "O".repeat(200);
            p
        }).collect();
        add(&app, people).await;
        let admin = app.admin().await;
        let (status, page) = admin.get_text("/admin/participants").await;
        assert_eq!(status, 200);
        assert_eq!(listed(&page).len(), 50);
        assert!(page.len() <= 60 * 1024, "{} bytes", page.len());
        assert!(page.contains("<td class=\"email\">"), "addresses carry the class that lets them wrap");
    }

    async fn an_organizer_verifies_one_person_from_their_page_and_only_admins_change_roles(app) {
        add(&app, vec![person("one@example.org", "academia", "FR")]).await;
        let mut organizer = person("org@example.org", "technical", "FR");
        organizer.role = "organizer";
        add(&app, vec![organizer]).await;
        let id = id_of(&app, "one@example.org").await;
        let admin = app.admin().await;
        let (_, page) = admin.get_text(&format!("/admin/participants/{id}")).await;
        assert!(page.contains(&format!("action=\"/admin/participants/{id}/verify\"")));
        assert!(page.contains(&format!("action=\"/admin/users/{id}/role\"")), "admins change roles here");
        let res = admin.submit(&format!("/admin/participants/{id}"), &format!("/admin/participants/{id}/verify"), &[]).await;
        assert_eq!(res.status(), 303);
        assert_eq!(res.headers()["location"], format!("/admin/participants/{id}"));
        assert!(verified(&app, "one@example.org").await);
        let (_, list_page) = admin.get_text("/admin/participants").await;
        assert!(list_page.contains(&format!("href=\"/admin/participants/{id}\"")), "each row leads to the person");
    }
}
