skip-to-content = Skip to main content
nav-label = Main navigation
nav-consultations = Consultations
lang-switch = Français
footer-text = Polyphony publishes every consultation's draft texts, rounds and reports so that anyone can check them.

home-title = Consultations
home-lead = Comment on draft texts, provision by provision, and read what every stakeholder group said.
home-open-heading = Open for comment now
home-open-empty = No round is open for comment at the moment.
home-reports-heading = Published reports
home-reports-empty = No report has been published yet.
home-others-heading = Other consultations
who-may-take-part = Who may take part:
closes-on = Closes on
days-left = { $days ->
    [0] Closes today
    [one] 1 day left
   *[other] { $days } days left
}

round = Round
round-number = Round { $number }
round-dates = Dates:
round-contents = Provisions
state = State
opens = Opens
closes = Closes
state-draft = Draft
state-scheduled = Scheduled
state-open = Open
state-closed = Closed
state-published = Report published
attribution = Attribution
attribution-open = Comments may be published with the name or organization their authors chose.
attribution-chatham-house = Chatham House Rule: comments are published without names, organizations or stakeholder groups.
draft-version = Version { $version }

consultation-rounds = Comment rounds
consultation-no-rounds = No round has been announced yet.
consultation-versions = Draft versions

group-government = Government
group-intergovernmental = Intergovernmental organization
group-platform = Digital platform or private sector
group-civil-society = Civil society
group-academia = Academia and research
group-technical = Technical community
group-individual = Individual
# Column headings of the overview's picture, where space is short.
group-government-short = Governments
group-intergovernmental-short = Intergov. organizations
group-platform-short = Platforms, private sector
group-civil-society-short = Civil society
group-academia-short = Academia, research
group-technical-short = Technical community
group-individual-short = Individuals

month-1 = January
month-2 = February
month-3 = March
month-4 = April
month-5 = May
month-6 = June
month-7 = July
month-8 = August
month-9 = September
month-10 = October
month-11 = November
month-12 = December

error-home-link = Go to the list of consultations
error-400-title = The request could not be understood
error-400-message = Something in what was sent is not valid. Go back, check the form and try again.
error-403-title = You cannot do this
error-403-message = You do not have permission for this page or action. If the form was open for a long time, reload it and try again.
error-404-title = Page not found
error-404-message = If you typed the web address, check it is correct. If you pasted it, check you copied the whole address.
error-405-title = This action is not available here
error-405-message = The page does not accept this kind of request.
error-409-title = This was changed at the same moment
error-409-message = Someone else, or another click of yours, changed the same thing just now, so this request was not applied. Reload the page to see where things stand.
error-413-title = What you sent is too large
error-413-message = The text or file is larger than the limit. Shorten it and try again; nothing you saved before has been lost.
error-429-title = Too many attempts
error-429-message = Please wait a little before trying again.
error-500-title = Sorry, there is a problem with the service
error-500-message = Try again later. What you saved before has not been lost.
error-503-title = The service is temporarily unavailable
error-503-message = Try again in a few moments. What you saved before has not been lost.

import-error-empty = The document is empty.
import-error-too-large = The document is larger than 1 MB.
import-error-not-utf8 = The document is not UTF-8 text.
import-error-no-provisions = No heading of the chosen level starts a provision.
import-error-no-key = A provision heading has no number and no {"{"}#key{"}"}: add one.
import-error-invalid-key = A provision key may only hold lower-case letters, digits, "." and "-".
import-error-duplicate-key = Two provisions have the same key.
import-error-empty-provision = A provision has no text.
import-error-docx-not-word = The file is not a Word document (.docx). In Word, use "Save as" and choose "Word Document (.docx)", or upload Markdown.
import-error-docx-legacy = The file is an old Word document (.doc) or is protected by a password. In Word, remove the password and save it as "Word Document (.docx)".
import-error-docx-damaged = The Word file cannot be read: it may be damaged. Open it in Word, save it again and upload it again.
import-error-docx-too-large = The Word file is too large once uncompressed (more than 16 MB of text and markup).
import-error-docx-tracked-changes = The Word document has tracked changes. Accept or reject all tracked changes in Word, then upload again.

nav-admin = Dashboard
nav-account = Your account
nav-logout = Sign out
nav-login = Sign in
nav-register = Register
locale-en = English
locale-fr = Français
select-choose = Choose…
error-prefix = Error:
error-summary-title = There is a problem

register-title = Register
register-lead = Create an account to comment on open rounds. Tell us which stakeholder group you belong to: reports show every group's views side by side.
register-submit = Create account
register-have-account = Already registered?
login-title = Sign in
login-submit = Sign in
login-no-account = No account yet?
login-failed = The e-mail address or the password is not right.
forgot-title = Forgotten your password?
forgot-lead = Enter the e-mail address of your account. If it is registered, we will send you a link to choose a new password.
forgot-submit = Send the link
reset-title = Choose a new password
reset-submit = Save the new password
check-email-title = Check your e-mail
check-email-register = We have sent a message to the address you gave. Follow the link in it to confirm your address; then you can submit positions. The link works for 24 hours.
check-email-reset = If an account uses this address, we have sent it a link to choose a new password. The link works for one hour.
verified-title = Your e-mail address is confirmed
verified-message = You can now submit positions on open rounds.
link-invalid-title = This link does not work
verify-link-invalid = The link has already been used or has expired. Sign in and ask for a new one from your account page.
reset-link-invalid = The link has already been used or has expired. Ask for a new one.
verification-resent = We have sent you a new confirmation link.
password-reset-done = Your password has been changed. Sign in with the new one.
password-changed = Your password has been changed. Every other browser signed in to your account has been signed out.
account-saved = Your details have been saved.
account-title = Your account
account-email-status = E-mail confirmation
account-email-verified = Confirmed
account-email-unverified = Not confirmed yet: you cannot submit positions until you follow the link we sent you.
account-resend = Send a new link
account-affiliation = Stakeholder affiliation
account-affiliation-pending = Not yet verified by the organizers. You can take part meanwhile; reports count verified affiliations separately.
badge-verified = Verified affiliation
account-profile = Your details
account-profile-note = Changes apply to what you submit from now on; positions you have already submitted keep the details they were submitted with.
account-save = Save details
account-password = Change your password
account-password-note = Changing it signs out every other browser signed in to your account.
account-password-submit = Change password
account-delete = Delete your account
account-delete-note = Your name, e-mail address and organization are erased. Positions you submitted stay counted in the figures, with your stakeholder group and country, but are no longer attributed to you. This cannot be undone.
account-delete-submit = Delete my account
account-deleted-title = Your account has been deleted
account-deleted-message = Your personal details have been erased.

field-email = E-mail address
field-email-hint = We will send you a link to confirm it.
field-password = Password
field-password-hint = At least 12 characters. A few unrelated words make a strong password.
field-new-password = New password
field-current-password = Your current password
field-display-name = Your name
field-display-name-hint = Shown with your comments only if you choose to be named.
field-group = Stakeholder group
field-group-hint = The group whose views you bring.
field-organization = Organization
field-organization-hint = Required for governments, intergovernmental organizations and digital platforms.
field-country = Country
field-locale = Language for e-mails and pages
field-notify-rounds = E-mail me when a round opens that I can take part in
field-email-missing = Enter your e-mail address.
field-email-invalid = Enter an e-mail address in the right format, like name@example.org.
field-password-short = The password must be at least 12 characters long.
field-password-long = The password must be at most 128 characters long.
field-password-common = This password is too common. Choose another one.
field-current-password-wrong = The password is not right.
field-display-name-missing = Enter your name.
field-display-name-long = Your name must be at most 80 characters long.
field-group-missing = Choose your stakeholder group.
field-organization-required = Enter the organization you speak for.
field-organization-long = The organization must be at most 200 characters long.
field-country-missing = Choose your country.
field-locale-missing = Choose a language.

admin-title = Dashboard
admin-verify = Verify
admin-action = Action
admin-failed-emails = E-mails that could not be delivered
admin-failed-none = Every e-mail has been delivered or is being retried.
admin-recipient = Recipient
admin-kind = Message
admin-attempts = Attempts
admin-last-error = Last error
admin-role = Role
admin-set-role = Change role
role-participant = Participant
role-organizer = Organizer
role-admin = Admin
participant-verified = The participant's affiliation is verified.
role-changed = The role has been changed.

email-greeting = Hello { $name },
email-signature = — Polyphony
email-verify-email-subject = Confirm your e-mail address
email-verify-email-body = Please confirm your e-mail address by opening this link within 24 hours. Until then you cannot submit positions.
email-password-reset-subject = Choose a new password
email-password-reset-body = Someone asked to reset the password of your Polyphony account. If it was you, open this link within one hour. If not, ignore this message: your password stays as it is.
email-account-exists-subject = Someone tried to register with your address
email-account-exists-body = Someone tried to create a Polyphony account with your e-mail address, which already has one. If it was you, sign in instead, or choose a new password here:
email-password-changed-subject = Your password has been changed
email-password-changed-body = The password of your Polyphony account has just been changed. If you did not do it, choose a new password now:

error-422-title = The form could not be processed
error-422-message = It names something this page does not have. Reload the page and try again; what you saved before has not been lost.
refusal-not-signed-in = Sign in or register to take part in this round.
refusal-email-unverified = Confirm your e-mail address before you submit: follow the link we sent you, or ask for a new one from your account page.
refusal-group = This consultation is open to other stakeholder groups than yours. You can still read the draft and, once published, the report.
refusal-not-open = This round is not open yet. It opens on { $opens }.
refusal-closed = This round closed on { $closes }. Submissions are no longer accepted; what was submitted before is kept.
answered-count = You have answered { $answered } of { $total } provisions.
toc-answered = answered
toc-answered-of = { $answered } of { $total } answered
toc-provisions = { $total ->
    [one] 1 provision
   *[other] { $total } provisions
}
page-of = Page { $number } of { $count }. Answer the provisions you care about; the others count as “no position”.
page-save-hint = Save before you leave this page with the contents or the links below; what you saved on other pages is kept.
button-save-next = Save and go to the next page
pager-label = Pages of the draft
pager-previous = Previous page
pager-next = Next page
submission-pending = You have saved changes that are not submitted yet: your submitted answers count as they were until you review and submit the changes.
stance-legend = Your position
stance-support = Support
stance-support-with-changes = Support with changes
stance-oppose = Oppose
stance-no-position = No position
comment-label = Comment (optional)
propose-summary = Propose different wording
propose-label = Proposed wording
general-heading = General comment
general-label = Anything you want to say about the draft as a whole (optional)
disclosure-legend = How may your comments be published?
disclosure-attributed = With my name and organization
disclosure-attributed-hint = Your name and organization appear next to your comments in the report.
disclosure-organization = With my organization only
disclosure-organization-hint = Your organization appears, your name does not.
disclosure-anonymous = Anonymously
disclosure-anonymous-hint = Only your stakeholder group and country appear, for example “a civil-society participant from Kenya”.
disclosure-confidential = Not at all
disclosure-confidential-hint = Your positions are counted in the figures, but your comments are never published.
button-save = Save draft
button-review = Review and submit
button-review-changes = Review and submit changes
button-submit = Submit
button-change = Change your answers
button-withdraw = Withdraw my submission
withdraw-note = You can withdraw your submission until the round closes. It will no longer be counted; you can submit again later.
review-title = Check your answers before submitting
review-lead = This is what will be counted. You can still change it until the round closes.
review-unanswered = Not answered — counted as “no position”
review-submit-note = When you submit, you get a receipt code and a copy by e-mail.
submission-saved = Your draft has been saved. It is not counted until you submit it.
submission-unchanged = Your changes are saved. Your submitted answers count as they were until you use “Review and submit changes”.
submission-withdrawn = Your submission has been withdrawn and is no longer counted.
submission-general-comment-long = The general comment must be at most 20,000 characters long.
submission-comment-long = The comment must be at most 10,000 characters long.
submission-proposed-long = The proposed wording must be at most 10,000 characters long.
submission-disclosure-chatham = This round follows the Chatham House Rule: choose “Anonymously” or “Not at all”.
submission-disclosure-missing = Choose how your comments may be published.
status-draft = Draft saved, not submitted
status-submitted = Submitted
status-withdrawn = Withdrawn
receipt-label = Your receipt code:
submitted-title = Submission received
submitted-note = We have sent a copy of your answers to your e-mail address. Keep the receipt code: anyone can check it on this site, and it proves your submission was received.
mine-title = Your submission
mine-edit = Change your submission
mine-closed = The round is closed: your submission can no longer be changed.
mine-history = History
revision-heading = Revision
revision-what = What happened
revision-when = When
revision-save = Draft saved
revision-submit = Submitted
revision-withdraw = Withdrawn
receipt-title = Check a receipt
receipt-found = Receipt { $code } is genuine.
receipt-when = Submitted on
receipt-current = It is the participant's current submission and is counted.
receipt-superseded = The participant has since changed or withdrawn this submission.
receipt-not-found = No submission has the receipt { $code }. Check the code and try again.
email-receipt-subject = Your submission has been received
email-receipt-body = We have received your submission to round { $round } of “{ $title }”. Here is a copy of your answers.
email-receipt-check = Anyone can check your receipt here:

nav-audit = Audit log
cancel = Cancel
admin-consultations = Consultations
new-consultation-title = New consultation
new-consultation-submit = Create the consultation
consultation-created = The consultation has been created.
consultation-saved = The consultation has been saved.
field-slug = Short name for web addresses
field-slug-hint = Lower-case letters, digits and hyphens, for example additional-protocol.
field-slug-invalid = Use lower-case letters, digits and single hyphens only.
field-slug-taken = Another consultation already uses this short name.
field-title = Title
field-title-invalid = Enter a title of at most 300 characters.
field-summary = Summary
field-summary-hint = What the consultation is for, in plain words. Markdown is allowed.
field-summary-missing = Enter a summary.
field-eligible-groups = Who may take part
field-groups-missing = Choose at least one stakeholder group.
manage-public-page = See the public page
manage-actions = Actions
manage-new-round = Schedule a new round
manage-create-round = Schedule the round
manage-edit = Edit the consultation
manage-save = Save changes
field-draft-version = Draft version number
field-draft-version-missing = Enter the number of an existing draft version.
field-opens-at = Opens at (UTC)
field-closes-at = Closes at (UTC)
field-time-hint = Year-month-day and hour in UTC, for example 2026-12-01T09:00.
field-time-invalid = Enter a date and time like 2026-12-01T09:00.
field-closes-before-opens = The closing time must be after the opening time.
field-attribution-missing = Choose an attribution policy.
field-publish-note = Note for this version (optional)
field-publish-note-hint = For a new version, say what changed.
round-created = The round has been scheduled.
draft-imported = The draft version has been saved.
import-title = Import a draft version
import-preview-title = Check the imported draft
import-preview-lead = This is how the document was divided into provisions. Save it as version { $version }, or change the text and preview again.
import-key = key
import-markdown = The draft, in Markdown
import-markdown-hint = Each heading of the chosen level starts a provision. Its key comes from its number ("Article 3" → art-3) or from {"{"}#key{"}"} at the end of the heading.
import-file = Or upload a Markdown or Word (.docx) file (at most 1 MB)
import-file-hint = In Word, the Heading 1, 2, 3… styles give the structure: Heading 2 is level 2, and the Title style gives the title. Lists, bold and italic are kept; tables, images, footnotes and comments are left out. Accept or reject tracked changes first.
import-docx-left-out = The Word file held content that the import leaves out. Check the text and add what is missing:
import-docx-left-out-tables = { $count ->
    [one] one table
   *[other] { $count } tables
}
import-docx-left-out-images = { $count ->
    [one] one image, drawing or text box
   *[other] { $count } images, drawings or text boxes
}
import-docx-left-out-equations = { $count ->
    [one] one equation
   *[other] { $count } equations
}
import-docx-left-out-footnotes = { $count ->
    [one] one footnote or endnote
   *[other] { $count } footnotes or endnotes
}
import-docx-left-out-comments = { $count ->
    [one] one comment
   *[other] { $count } comments
}
import-docx-left-out-contents = the table of contents
import-level = Heading level that starts a provision
import-preview-button = Preview
import-save = Save as version { $version }
action-open = Open now
action-close = Close now
action-extend = Extend the deadline
action-publish = Publish the report
confirm-title = Confirm
confirm-open = The round will open immediately and participants will be able to submit.
confirm-close = The round will close immediately. Submitted positions are kept; nothing more will be accepted.
confirm-extend = The round will accept submissions until the new closing time. A round closed early opens again.
confirm-publish = The report will be frozen as it stands now and published for everyone. Publishing again later makes a new version; earlier versions stay readable.
confirm-notify-open = Eligible participants who asked to be told will get an e-mail within a minute.
confirm-notify-close = Nobody is notified.
confirm-notify-extend = Eligible participants who asked to be told will get an e-mail with the new deadline.
confirm-notify-publish = Everyone who submitted will get an e-mail with a link to the report.
round-open-done = The round is open.
round-close-done = The round is closed.
round-extend-done = The deadline has been extended.
round-publish-done = The report has been published.
action-refused-not-scheduled = Only a round that has not opened yet can be opened.
action-refused-not-open = The round is not open.
action-refused-published = The report is already published.
action-refused-still-open = Close the round before publishing its report.
action-refused-closing-time = The new closing time must be later than now, than the opening and than the current deadline.
audit-title = Audit log
audit-lead = Every action organizers take on consultations, newest first.
audit-what = What
audit-who = Who
audit-system = the system
audit-empty = Nothing has been recorded yet.
audit-pages = Pages of the audit log
audit-newer = Newer entries
audit-older = Older entries
audit-admin-create = Admin created
audit-user-promote = Role changed
audit-participant-verify = Affiliation verified
audit-consultation-create = Consultation created
audit-consultation-update = Consultation edited
audit-draft-import = Draft version imported
audit-round-create = Round scheduled
audit-round-open = Round opened
audit-round-close = Round closed
audit-round-extend = Deadline extended
audit-round-publish = Report published
audit-response-update = Response to a provision written
audit-moderation-hide = Text hidden by the organizers
report-title = Report
report-preview-title = Draft report
report-preview-note = This draft is computed from the submissions as they stand. Open each provision to write your response and moderate its texts, then publish.
report-version = Version { $version }
report-published-on = published on
report-not-latest = This is not the latest version.
report-see-latest = See the latest
report-headline = In short
report-participation = { $total } submissions, of which { $verified } from participants whose affiliation was verified.
report-in-campaigns = { $count } submissions contain comments that are part of a campaign of identical or near-identical texts.
report-by-group = Submissions by stakeholder group
report-submissions = Submissions
report-of-which-verified = Of which verified
report-verdicts = Verdict per provision
report-parts = Parts of the draft
report-matrix-heading = Support by provision and stakeholder group
report-matrix-description = Each row is a provision and each column a stakeholder group; each cell gives the group's support share and, in brackets, how many of the group took a position. The same figures follow as a table.
report-matrix-how = Each cell: the group's support share and (how many of the group took a position).
report-matrix-high = Two thirds or more support
report-matrix-middle = Between one and two thirds
report-matrix-low = One third or less support
report-matrix-too-few = Fewer than { $min } answers: not in the balance
report-matrix-table = The same figures as a table
report-matrix-caption = Support share of each stakeholder group for each provision, with how many of the group took a position in brackets
report-lowest = Lowest group:
report-every-group = every group ≥ { $share }
report-score-note = The consensus score is out of 100: it reads like a typical group's support, and falls as soon as any one group withholds its support.
report-provision-text = Text of the provision
report-balanced = Group-balanced support:
report-score = Consensus score (out of 100):
report-table-caption = Positions by stakeholder group (in brackets: of which verified affiliation)
report-support-share = Support share
report-too-few = too few to count in the balance
report-all-groups = All groups
report-verified-note = Figures in brackets count participants whose affiliation the organizers verified.
report-response = The organizers' response
report-no-response = The organizers have not responded to this provision.
report-response-label = What we heard, and what we changed (Markdown)
report-response-save = Save the response
response-saved = The response has been saved.
report-campaigns = Campaigns
report-campaign-count = Sent { $count } times
report-comments = Comments
report-proposals = { $count } proposed wordings
report-hidden = Hidden by the organizers: { $reason }
report-unattributed = A participant
report-no-comments = No comment was published on this provision.
report-general-comments = General comments
report-by-place = Participation by region and country
report-by-region = By region (UN M49)
report-region = Region
report-by-country = By country
report-methodology = How the figures are made
method-counted = Every submitted position counts, including those whose text is confidential. Withdrawn submissions and unsubmitted drafts do not count.
method-share = The support share of a group is the number of "support" and "support with changes" answers divided by its answers other than "no position".
method-balanced = Group-balanced support is the average of the groups' support shares, counting only groups with at least { $min } answers, so that no group's numbers drown the others.
method-score = The consensus score is the geometric mean, over those groups, of (supports + 1) / (answers + 2), times 100: it reads like a typical group's support, and is low as soon as any one group withholds it. The open data gives the product over the groups (consensus_score); the score shown is its k-th root times 100, for k groups.
method-labels = "Consensus" means every counted group supports at two thirds or more; "broad support" means group-balanced support reaches two thirds but some group is below; "opposed" means group-balanced opposition reaches two thirds; otherwise "divided".
method-verified = Figures in brackets count only participants whose stated affiliation the organizers verified.
method-campaigns = Comments whose words are the same or nearly the same (word-shingle Jaccard similarity of 0.8 or more) are shown once as a campaign, with how often they were sent.
method-disclosure = Each comment is published with only what its author allowed: name and organization, organization, group and country, or nothing. Under the Chatham House Rule no comment carries an affiliation. Every figure can be recomputed from the CSV download.
method-divisions = A part, chapter, section or annex has a subtotal line: its responses are the sum of its provisions' responses, and its group-balanced support is the mean of its provisions' group-balanced support (provisions without enough responses left out), not a figure recomputed from pooled positions. The CSV gives each position's division in its division_key column.
report-division-subtotal = Subtotal
report-downloads = Open data
report-csv = All counted positions (CSV)
report-json = Figures, responses and comments (JSON)
report-versions = Versions
report-texts-count = { $count ->
    [one] 1 published text
   *[other] { $count } published texts
}
report-provisions-caption = Each provision: the verdict, the figures behind it and how many texts were published; open a provision for its chart, table, response and texts
report-provision = Provision
report-verdict = Verdict
report-responses = Responses
report-answered = answered by the organizers
report-page-of = page { $page } of { $pages }
report-pages = Pages of texts
report-previous-page = ← Previous page
report-next-page = Next page →
report-all-texts = Read all { $count } published texts
label-consensus = Consensus
label-broad-support = Broad support
label-divided = Divided
label-opposed = Opposed
label-not-enough = Not enough responses
chart-description = Positions by stakeholder group on
chart-responses = responses
region-africa = Africa
region-americas = Americas
region-asia = Asia
region-europe = Europe
region-oceania = Oceania
region-antarctica = Antarctica
region-unknown = Not stated
moderation-reason = Reason
moderation-hide = Hide this text
text-hidden = The text has been hidden; it is still counted.
email-unsubscribe = To stop these e-mails, change your settings:
email-round-opened-subject = A consultation round is open
email-round-opened-body = Round { $round } of “{ $title }” is open for comment until { $closes }.
email-round-reminder-subject = A round closes soon
email-round-reminder-body = Round { $round } of “{ $title }” closes on { $closes }. You have not submitted yet.
email-round-extended-subject = A deadline has been extended
email-round-extended-body = Round { $round } of “{ $title }” now closes on { $closes }.
email-report-published-subject = The report is published
email-report-published-body = The report of round { $round } of “{ $title }”, to which you contributed, is published.
diff-show = Show the changes from the previous version
diff-hide = Show the text without marks
change-added = New
change-changed = Changed
change-unchanged = Unchanged
change-removed = Removed
change-moved = Moved
change-moved-from = Moved from { $division }
change-division-removed = Removed, with what it held
round-read-report = Read the report of this round
admin-moderation = Texts to review before publication
admin-moderation-none = No text is waiting for review.
language-en = English
language-fr = French
translation-note = You are reading a translation.
translation-read-original = Read the original in { $language }
translation-original-note = You are reading the original texts, in { $language }.
translation-read-translation = Read the translation
translation-changes-note = The changes are shown between the original texts, in { $language }.
audit-draft-translate = Translation of a draft version saved
translation-title = Translation of version { $version } into { $language }
translation-lead = Paste or upload the text in { $language }. It is divided like the original, at heading level { $level }, and must have exactly the same provisions: keep each heading's number or {"{"}#key{"}"}.
translation-replacing = Saving replaces the translation already stored, shown below.
translation-keys = The provision keys of the original
translation-markdown = The translation into { $language }, in Markdown
translation-markdown-hint = A heading above the provisions gives the translated title, and the text before the first provision the translated preamble.
translation-preview-title = Check the translation
translation-preview-lead = This is how the translation matches the original, provision by provision. Save it, or change the text and preview again.
translation-original = Original:
translation-save = Save the translation
translation-saved = The translation has been saved.
translation-error-missing = These provisions of the original are missing from the translation:
translation-error-extra = The translation has provisions the original does not have:
manage-translation-add = Add the { $language } translation
manage-translation-replace = Replace the { $language } translation
manage-translation-legend = In { $language } (translation)
manage-translation-hint = Readers who use { $language } see these texts; leave them empty to show everyone the original.
field-translated-title = Title
field-translated-summary = Summary
translation-prefilled = The form starts from the translation of version { $version }: update the provisions that changed before saving.

# The report's search and permalinks
search-title = Find what was said
search-in-report = Search the published texts
search-filters = Search with filters (provision, group, place, stance, organization)
search-words = Words
search-words-hint = Texts that contain every word; accents and capitals do not matter.
search-provision = Provision
search-stance = Stance
search-any = Any
search-organization-hint = Part of the name is enough.
search-chatham = Under the Chatham House Rule texts carry no affiliation, so they cannot be searched by group, place or organization.
search-submit = Search
search-results = { $total ->
    [1] 1 published text found
   *[other] { $total } published texts found
}
search-none = No published text matches. Try fewer words or filters.
search-permalink = Permanent link to this text
text-title = A published text
admin-participants = Participants
admin-count-participants = { $count ->
    [one] One participant has registered.
   *[other] { $count } participants have registered.
}
admin-count-awaiting = { $count ->
    [0] No affiliation is waiting for verification
    [one] One affiliation to verify
   *[other] { $count } affiliations to verify
}
admin-count-unconfirmed = { $count ->
    [0] Every participant has confirmed their e-mail address
    [one] One participant has not confirmed their e-mail address
   *[other] { $count } participants have not confirmed their e-mail address
}
audit-rule-create = Verification rule added
audit-rule-delete = Verification rule deleted
participants-title = Participants
participants-filters = Find participants
participants-search = Name, e-mail address or organization
participants-search-hint = Part of a word is enough; capitals do not matter.
participants-apply = Apply
participants-clear = Clear the filters
participants-found = { $count ->
    [0] No participant found
    [one] One participant found
   *[other] { $count } participants found
}
participants-none = No participant matches these filters.
participants-name = Name
participants-signed-up = Signed up
participants-verified = Affiliation verified
participants-confirmed = E-mail confirmed
participants-yes = Yes
participants-no = No
participants-select = Select
participants-verify-selected = Verify the selected participants’ affiliations
participants-none-selected = Tick at least one participant to verify.
participants-verified-flash = The selected participants’ affiliations are verified.
rules-title = Verification rules
rules-lead = A rule verifies the affiliation of every participant whose confirmed e-mail address is at a domain (or one of its subdomains) and who declared the rule’s stakeholder group and country: those there now when you confirm it, and those who confirm their address later.
rules-otherwise = People at the domain who declared another group or country are not changed: you see how many before confirming, and can verify them one by one.
rules-new = Add a rule
rules-list = Rules in force
rules-none = There is no rule yet.
rule-domain = Domain of the e-mail address
rule-domain-hint = For example canada.ca: it also covers international.canada.ca.
rule-domain-missing = Enter the domain of the e-mail addresses, like canada.ca.
rule-domain-invalid = Enter a domain in the right format, like canada.ca, without spaces or accents.
rule-domain-public = Anyone can get an address at this public mail provider, so it cannot verify an affiliation. Choose an organization’s own domain.
rule-exists = This rule exists already.
rule-check = Check what this rule would do
rule-preview-title = Check the rule before confirming it
rule-preview-rule = Addresses at { $domain } are verified as { $group }, { $country }.
rule-preview-to-verify = { $count ->
    [0] No participant would be verified now.
    [one] One participant would be verified now.
   *[other] { $count } participants would be verified now.
}
rule-preview-otherwise = { $count ->
    [0] No one at this domain declared another group or country.
    [one] One participant at this domain declared another group or country and will not be changed.
   *[other] { $count } participants at this domain declared another group or country and will not be changed.
}
rule-preview-later = Participants who confirm an address at this domain later, with this group and country, will be verified then. Every verification is recorded in the audit log with the rule.
rule-confirm = { $count ->
    [one] Confirm the rule and verify one participant
   *[other] Confirm the rule and verify { $count } participants
}
rule-change = Change the rule
rule-otherwise-heading = Declared otherwise (not changed)
rule-otherwise-more = Only the first 50 are listed.
rule-verified-count = Verified by the rule
rule-created = Added on
rule-delete = Delete
rule-delete-hint = Deleting a rule stops it verifying new participants; those it verified stay verified.
rule-created-flash = The rule is saved and the participants it matches are verified.
rule-deleted = The rule is deleted. The participants it verified stay verified.

report-job-computing = The figures are being computed from the submissions as they stand now.
report-job-waiting = Waiting for a worker to start.
report-job-progress = { $percent } % done
report-job-refresh = This page refreshes itself every two seconds. You can leave it and come back: the figures are kept once computed.
report-job-retrying = The last attempt failed: { $error }. It will be tried again at
report-job-failed = The figures could not be computed
report-job-retry = Try again
report-job-retried = The figures will be computed again.
report-job-previous = Read the figures computed earlier
report-job-as-of = Figures as of
report-job-changed-since = { $count } submissions made or changed since. Up-to-date figures are being computed.
report-job-publish-wait = The figures are being computed from the latest data. Publish once they are ready: the report published will be exactly those figures.

## The analysis workspace
nav-analysis = Analysis
analysts-title = Analysts
analysts-intro = Analysts read every submitted text of this consultation, confidential ones included, and code them with its tags. They cannot publish, hide texts or change rounds.
analysis-open-workspace = Open the analysis workspace
analysts-none = No analyst has been named yet.
analyst-remove = Remove
analyst-add = Name as analyst
field-analyst-email = E-mail address of the analyst
field-analyst-email-hint = The address of an existing account.
analyst-added = The analyst has been named.
analyst-removed = The analyst has been removed.
analyst-already = This person is already an analyst of this consultation.
analyst-email-missing = Enter the e-mail address of an account.
analyst-no-account = No account has this e-mail address. Ask the person to register first.
analysis-title = Analysis
analysis-mine-title = Consultations you analyse
analysis-codebook = Codebook
analysis-no-tags = The codebook has no tags yet.
tag-new = Add or change a tag
tag-rename-hint = Choose an existing tag to rename it, describe it or move it under another; choose “a new tag” to add one.
tag-which = Tag
tag-which-new = A new tag
tag-label = Label
tag-translated-label = Label in the other language
tag-description = Description
tag-parent = Under
tag-parent-none = Nothing (a top-level tag)
tag-save = Save the tag
tag-saved = The tag has been saved.
tag-delete = Delete
tag-deleted = The tag has been deleted; its taggings are kept in the history.
tag-label-invalid = Enter a label of at most 80 characters.
tag-label-taken = Another tag already has this label.
tag-parent-invalid = A tag can only go under a top-level tag, and a tag with tags under it stays at the top.
analysis-queue-title = Your queue
analysis-queue-link = Your queue: { $count } texts to code
analysis-queue-count = { $undone } texts to code, { $done } done.
analysis-queue-empty = Nothing left in your queue.
analysis-next-text = Next text
analysis-progress = Progress by provision
analysis-coded = Coded
analysis-uncoded = Not coded
analysis-total = Texts
analysis-words-hint = Texts that contain every word, in English or French: “regulations” also finds “regulation”, accents and capitals do not matter.
analysis-filters = Filters
analysis-disclosure = Disclosure
analysis-verified-filter = Affiliation verified
analysis-verified = affiliation verified
analysis-yes = Yes
analysis-no = No
analysis-tag = Tag
analysis-analyst = Assigned to
analysis-coded-filter = Coded or not
analysis-division = Division
analysis-results = { $total ->
    [one] 1 text found
   *[other] { $total } texts found
}
analysis-none = No text matches this search.
analysis-select = Select
analysis-read-all = Read the whole text and tag it
analysis-open-text = Open and tag
analysis-confidential = Confidential — never quote
analysis-proposed = Proposed wording
analysis-tags = Tags
analysis-bulk = Tag several texts
analysis-tag-selected = Tag the selected texts
analysis-tag-all = Tag all { $total } results of this search
analysis-choose-tag = Choose a tag.
analysis-choose-texts = Select at least one text, or tag all the results.
analysis-batch-title = Texts tagged
analysis-batch-count = { $count ->
    [one] 1 text tagged in this batch.
   *[other] { $count } texts tagged in this batch.
}
analysis-batch-undo = Undo this whole batch
analysis-batch-undone = The batch has been undone.
analysis-back = Back to the search
analysis-assign = Split the uncoded texts of this search
analysis-assign-hint = The texts of this search that are not coded and not assigned yet are dealt to the chosen analysts in turn.
analysis-assign-submit = Assign
analysis-choose-analysts = Choose at least one analyst of this consultation.
analysis-assigned = The texts have been assigned.
analysis-save = Save
analysis-save-next = Save and go to the next text
analysis-text-saved = The tags have been saved.
analysis-history = Tagging history
analysis-undo = Undo
analysis-undone = undone
analysis-tagging-undone = The tagging has been undone.
disclosure-short-attributed = Name and organization
disclosure-short-organization = Organization only
disclosure-short-anonymous = Anonymous
disclosure-short-confidential = Confidential
audit-tag-create = Tag added to the codebook
audit-tag-update = Tag of the codebook changed
audit-tag-delete = Tag deleted from the codebook
audit-analyst-add = Analyst named
audit-analyst-remove = Analyst removed
audit-analysis-assign = Texts assigned to analysts

# Dispositions and what we heard
audit-disposition-propose = Disposition proposed
audit-disposition-confirm = Disposition recorded
disposition-accepted = Accepted
disposition-partly-accepted = Partly accepted
disposition-not-accepted = Not accepted
disposition-out-of-scope = Out of scope
disposition-state-proposed = proposed by an analyst
disposition-state-confirmed = confirmed
disposition-summary = Disposition
disposition-label = Decision
disposition-reason = Reason (Markdown)
disposition-confirm = Record
disposition-propose = Propose
disposition-error-unknown = Choose accepted, partly accepted, not accepted or out of scope.
disposition-error-too-long = The reason must be 5,000 characters or fewer.
disposition-error-confirmed = An organizer has confirmed this text's disposition; only an organizer can change it.
disposition-recorded = The disposition has been recorded.
disposition-proposed = The disposition has been proposed; an organizer confirms it.
disposition-title = Disposition of a text
disposition-back = Back to the draft report
disposition-kind-position = Comment on
disposition-kind-general = General comment
disposition-confidential = Confidential: counted and analysed, never to be quoted or published.
disposition-hidden = Hidden by the organizers: its disposition is never published.
disposition-reason-recorded = Reason recorded
disposition-hint = Analysts propose; an organizer records or confirms. Only confirmed dispositions of published texts appear in the report, with their reason.
disposition-decision = The organizers' decision:
disposition-citations = Dispositions to cite
disposition-citations-hint = Confirmed dispositions of this provision's texts. Each link is the text's permanent address in the published report; paste it into your response.
themes-heading = What we heard
themes-caption = Themes raised, by stakeholder group: texts carrying each theme (with their stances)
themes-theme = Theme
themes-note = A theme counts every submitted text tagged with it, confidential ones included. Where fewer than { $min } texts of a group carry a theme, the report says so without their number or stances, so that no one can be recognised.
themes-too-few = fewer than { $min }
dispositions-heading = What the organizers decided
dispositions-caption = Published texts by disposition and stakeholder group
dispositions-decision = Disposition
dispositions-overview-caption = Published texts by disposition, per provision
method-themes = "What we heard" counts, for each theme of the organizers' codebook, the submitted texts of each group tagged with it, with their stances. A count below the minimum group size is shown as "fewer than" that size. The CSV gives each published text's themes in its tags column.
method-dispositions = Dispositions (accepted, partly accepted, not accepted, out of scope) are published with the texts they answer, once an organizer confirmed them; the counts take published texts only. Hidden and confidential texts never show theirs.
earlier-intro = The report of round { $number } is published. Beside each provision you find your own answer in that round, its result by stakeholder group and the organizers' response.
earlier-start = Start from my previous answers
earlier-start-hint = { $count ->
    [one] Copies your round { $number } position to the one provision that reads as it did and that you have not answered yet.
   *[other] Copies your round { $number } positions to the { $count } provisions that read as they did and that you have not answered yet.
} Changed provisions are left for you to review; nothing is submitted.
earlier-removed = Removed since round { $number }:
earlier-heading = In round { $number }
earlier-changed = Changed since round { $number }: see what changed
earlier-your-stance = Your position:
earlier-not-answered = You did not answer this provision then.
earlier-your-comment = Your comment
earlier-figures = Published result, then support by group (responses):
earlier-response = The organizers' response
earlier-carried = Your earlier positions were copied to the provisions that read as they did. Review the changed provisions, then save.
earlier-nothing-to-carry = There was nothing to copy: every provision that reads as it did already has a position.
changed-mind-label = What changed your mind since round { $number } (optional)
changed-mind-hint = Beside each provision of round { $number }, you may also say what changed your mind: the organizers and analysts read it with your answer.
submission-changed-mind-long = What changed your mind must be at most 10,000 characters long.
audit-round-link = Round it follows changed
round-settings = Settings
round-settings-title = Settings of round { $number }
round-settings-saved = The round's settings have been saved.
round-follows = follows round { $number }
field-follows-round = Follows
field-follows-round-hint = Once the report of the round it follows is published, participants see their answers in it, its result by group and the organizers' response beside each provision, and may start from their previous positions.
follows-none = No earlier round
round-follows-not-earlier = Choose an earlier round of this consultation, or none.
analysis-changed-mind = What changed their mind since the round this one follows:
