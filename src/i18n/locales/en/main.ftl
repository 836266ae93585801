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
