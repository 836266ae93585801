skip-to-content = Aller au contenu principal
nav-label = Navigation principale
nav-consultations = Consultations
lang-switch = English
footer-text = Polyphony publie les textes, les cycles et les rapports de chaque consultation afin que chacun puisse les vérifier.

home-title = Consultations
home-lead = Commentez des projets de texte, disposition par disposition, et lisez ce qu’a dit chaque groupe de parties prenantes.
home-open-heading = Ouvertes aux commentaires
home-open-empty = Aucun cycle n’est ouvert aux commentaires pour le moment.
home-reports-heading = Rapports publiés
home-reports-empty = Aucun rapport n’a encore été publié.
home-others-heading = Autres consultations
who-may-take-part = Peuvent participer :
closes-on = Clôture le
days-left = { $days ->
    [0] Clôture aujourd’hui
    [one] 1 jour restant
   *[other] { $days } jours restants
}

round = Cycle
round-number = Cycle { $number }
round-dates = Dates :
round-contents = Dispositions
state = État
opens = Ouverture
closes = Clôture
state-draft = Brouillon
state-scheduled = Programmé
state-open = Ouvert
state-closed = Clos
state-published = Rapport publié
attribution = Attribution
attribution-open = Les commentaires peuvent être publiés avec le nom ou l’organisation choisis par leurs auteurs.
attribution-chatham-house = Règle de Chatham House : les commentaires sont publiés sans nom, organisation ni groupe de parties prenantes.
draft-version = Version { $version }

consultation-rounds = Cycles de commentaires
consultation-no-rounds = Aucun cycle n’a encore été annoncé.
consultation-versions = Versions du projet

group-government = Gouvernement
group-intergovernmental = Organisation intergouvernementale
group-platform = Plateforme numérique ou secteur privé
group-civil-society = Société civile
group-academia = Milieu universitaire et recherche
group-technical = Communauté technique
group-individual = Particulier
# Column headings of the overview's picture, where space is short.
group-government-short = Gouvernements
group-intergovernmental-short = Org. intergouv.
group-platform-short = Plateformes, secteur privé
group-civil-society-short = Société civile
group-academia-short = Universités, recherche
group-technical-short = Communauté technique
group-individual-short = Particuliers

month-1 = janvier
month-2 = février
month-3 = mars
month-4 = avril
month-5 = mai
month-6 = juin
month-7 = juillet
month-8 = août
month-9 = septembre
month-10 = octobre
month-11 = novembre
month-12 = décembre

error-home-link = Aller à la liste des consultations
error-400-title = La demande n’a pas pu être comprise
error-400-message = Une partie de ce qui a été envoyé n’est pas valide. Revenez en arrière, vérifiez le formulaire et réessayez.
error-403-title = Vous ne pouvez pas faire cela
error-403-message = Vous n’avez pas l’autorisation d’accéder à cette page ou à cette action. Si le formulaire est resté ouvert longtemps, rechargez-le et réessayez.
error-404-title = Page introuvable
error-404-message = Si vous avez saisi l’adresse, vérifiez qu’elle est correcte. Si vous l’avez collée, vérifiez que vous avez copié l’adresse entière.
error-405-title = Cette action n’est pas disponible ici
error-405-message = La page n’accepte pas ce type de demande.
error-409-title = Cet élément a été modifié au même moment
error-409-message = Quelqu’un d’autre, ou un autre clic de votre part, vient de modifier la même chose : cette demande n’a donc pas été appliquée. Rechargez la page pour voir où en sont les choses.
error-413-title = Ce que vous avez envoyé est trop volumineux
error-413-message = Le texte ou le fichier dépasse la limite. Raccourcissez-le et réessayez ; rien de ce que vous aviez enregistré n’a été perdu.
error-429-title = Trop de tentatives
error-429-message = Veuillez patienter un peu avant de réessayer.
error-500-title = Désolé, le service rencontre un problème
error-500-message = Réessayez plus tard. Ce que vous aviez enregistré n’a pas été perdu.
error-503-title = Le service est temporairement indisponible
error-503-message = Réessayez dans quelques instants. Ce que vous aviez enregistré n’a pas été perdu.

import-error-empty = Le document est vide.
import-error-too-large = Le document dépasse 1 Mo.
import-error-not-utf8 = Le document n’est pas un texte UTF-8.
import-error-no-provisions = Aucun titre du niveau choisi ne commence une disposition.
import-error-no-key = Un titre de disposition n’a ni numéro ni {"{"}#clé{"}"} : ajoutez-en un.
import-error-invalid-key = Une clé de disposition ne peut contenir que des minuscules, des chiffres, « . » et « - ».
import-error-duplicate-key = Deux dispositions ont la même clé.
import-error-empty-provision = Une disposition n’a pas de texte.
import-error-docx-not-word = Le fichier n’est pas un document Word (.docx). Dans Word, utilisez « Enregistrer sous » et choisissez « Document Word (.docx) », ou téléversez du Markdown.
import-error-docx-legacy = Le fichier est un ancien document Word (.doc) ou il est protégé par un mot de passe. Dans Word, retirez le mot de passe et enregistrez-le comme « Document Word (.docx) ».
import-error-docx-damaged = Le fichier Word est illisible : il est peut-être endommagé. Ouvrez-le dans Word, enregistrez-le de nouveau et téléversez-le encore.
import-error-docx-too-large = Le fichier Word est trop volumineux une fois décompressé (plus de 16 Mo de texte et de balisage).
import-error-docx-tracked-changes = Le document Word contient des modifications suivies. Acceptez ou refusez toutes les modifications suivies dans Word, puis téléversez-le de nouveau.

nav-admin = Tableau de bord
nav-account = Votre compte
nav-logout = Se déconnecter
nav-login = Se connecter
nav-register = S’inscrire
locale-en = English
locale-fr = Français
select-choose = Choisir…
error-prefix = Erreur :
error-summary-title = Il y a un problème

register-title = S’inscrire
register-lead = Créez un compte pour commenter les cycles ouverts. Indiquez votre groupe de parties prenantes : les rapports présentent côte à côte les avis de chaque groupe.
register-submit = Créer le compte
register-have-account = Déjà inscrit ?
login-title = Se connecter
login-submit = Se connecter
login-no-account = Pas encore de compte ?
login-failed = L’adresse électronique ou le mot de passe est incorrect.
forgot-title = Mot de passe oublié ?
forgot-lead = Saisissez l’adresse électronique de votre compte. Si elle est enregistrée, nous vous enverrons un lien pour choisir un nouveau mot de passe.
forgot-submit = Envoyer le lien
reset-title = Choisir un nouveau mot de passe
reset-submit = Enregistrer le nouveau mot de passe
check-email-title = Consultez vos courriels
check-email-register = Nous avons envoyé un message à l’adresse indiquée. Suivez le lien qu’il contient pour confirmer votre adresse ; vous pourrez ensuite soumettre vos positions. Le lien est valable 24 heures.
check-email-reset = Si un compte utilise cette adresse, nous lui avons envoyé un lien pour choisir un nouveau mot de passe. Le lien est valable une heure.
verified-title = Votre adresse électronique est confirmée
verified-message = Vous pouvez maintenant soumettre vos positions sur les cycles ouverts.
link-invalid-title = Ce lien ne fonctionne pas
verify-link-invalid = Le lien a déjà été utilisé ou a expiré. Connectez-vous et demandez-en un nouveau depuis la page de votre compte.
reset-link-invalid = Le lien a déjà été utilisé ou a expiré. Demandez-en un nouveau.
verification-resent = Nous vous avons envoyé un nouveau lien de confirmation.
password-reset-done = Votre mot de passe a été changé. Connectez-vous avec le nouveau.
password-changed = Votre mot de passe a été changé. Tous les autres navigateurs connectés à votre compte ont été déconnectés.
account-saved = Vos informations ont été enregistrées.
account-title = Votre compte
account-email-status = Confirmation de l’adresse
account-email-verified = Confirmée
account-email-unverified = Pas encore confirmée : vous ne pouvez pas soumettre de positions avant d’avoir suivi le lien que nous vous avons envoyé.
account-resend = Envoyer un nouveau lien
account-affiliation = Affiliation
account-affiliation-pending = Pas encore vérifiée par les organisateurs. Vous pouvez participer en attendant ; les rapports comptent à part les affiliations vérifiées.
badge-verified = Affiliation vérifiée
account-profile = Vos informations
account-profile-note = Les changements s’appliquent à ce que vous soumettrez désormais ; les positions déjà soumises gardent les informations avec lesquelles elles l’ont été.
account-save = Enregistrer
account-password = Changer votre mot de passe
account-password-note = Le changer déconnecte tous les autres navigateurs connectés à votre compte.
account-password-submit = Changer le mot de passe
account-delete = Supprimer votre compte
account-delete-note = Votre nom, votre adresse électronique et votre organisation sont effacés. Les positions que vous avez soumises restent comptées dans les chiffres, avec votre groupe et votre pays, mais ne vous sont plus attribuées. Cette action est définitive.
account-delete-submit = Supprimer mon compte
account-deleted-title = Votre compte a été supprimé
account-deleted-message = Vos données personnelles ont été effacées.

field-email = Adresse électronique
field-email-hint = Nous vous enverrons un lien pour la confirmer.
field-password = Mot de passe
field-password-hint = Au moins 12 caractères. Quelques mots sans rapport entre eux font un mot de passe solide.
field-new-password = Nouveau mot de passe
field-current-password = Votre mot de passe actuel
field-display-name = Votre nom
field-display-name-hint = Affiché avec vos commentaires seulement si vous choisissez d’être nommé.
field-group = Groupe de parties prenantes
field-group-hint = Le groupe dont vous portez les avis.
field-organization = Organisation
field-organization-hint = Obligatoire pour les gouvernements, les organisations intergouvernementales et les plateformes numériques.
field-country = Pays
field-locale = Langue des courriels et des pages
field-notify-rounds = M’écrire quand s’ouvre un cycle auquel je peux participer
field-email-missing = Saisissez votre adresse électronique.
field-email-invalid = Saisissez une adresse électronique valide, comme nom@exemple.org.
field-password-short = Le mot de passe doit compter au moins 12 caractères.
field-password-long = Le mot de passe doit compter au plus 128 caractères.
field-password-common = Ce mot de passe est trop courant. Choisissez-en un autre.
field-current-password-wrong = Le mot de passe est incorrect.
field-display-name-missing = Saisissez votre nom.
field-display-name-long = Votre nom doit compter au plus 80 caractères.
field-group-missing = Choisissez votre groupe de parties prenantes.
field-organization-required = Saisissez l’organisation que vous représentez.
field-organization-long = L’organisation doit compter au plus 200 caractères.
field-country-missing = Choisissez votre pays.
field-locale-missing = Choisissez une langue.

admin-title = Tableau de bord
admin-verify = Vérifier
admin-action = Action
admin-failed-emails = Courriels non distribués
admin-failed-none = Tous les courriels ont été distribués ou sont en cours de nouvel essai.
admin-recipient = Destinataire
admin-kind = Message
admin-attempts = Tentatives
admin-last-error = Dernière erreur
admin-role = Rôle
admin-set-role = Changer le rôle
role-participant = Participant
role-organizer = Organisateur
role-admin = Administrateur
participant-verified = L’affiliation du participant est vérifiée.
role-changed = Le rôle a été changé.

email-greeting = Bonjour { $name },
email-signature = — Polyphony
email-verify-email-subject = Confirmez votre adresse électronique
email-verify-email-body = Veuillez confirmer votre adresse électronique en ouvrant ce lien dans les 24 heures. D’ici là, vous ne pouvez pas soumettre de positions.
email-password-reset-subject = Choisissez un nouveau mot de passe
email-password-reset-body = Quelqu’un a demandé à réinitialiser le mot de passe de votre compte Polyphony. Si c’était vous, ouvrez ce lien dans l’heure. Sinon, ignorez ce message : votre mot de passe reste inchangé.
email-account-exists-subject = Quelqu’un a tenté de s’inscrire avec votre adresse
email-account-exists-body = Quelqu’un a tenté de créer un compte Polyphony avec votre adresse électronique, qui en a déjà un. Si c’était vous, connectez-vous plutôt, ou choisissez un nouveau mot de passe ici :
email-password-changed-subject = Votre mot de passe a été changé
email-password-changed-body = Le mot de passe de votre compte Polyphony vient d’être changé. Si ce n’est pas vous, choisissez un nouveau mot de passe maintenant :

error-422-title = Le formulaire n’a pas pu être traité
error-422-message = Il mentionne un élément que cette page ne contient pas. Rechargez la page et réessayez ; ce que vous aviez enregistré n’a pas été perdu.
refusal-not-signed-in = Connectez-vous ou inscrivez-vous pour participer à ce cycle.
refusal-email-unverified = Confirmez votre adresse électronique avant de soumettre : suivez le lien que nous vous avons envoyé, ou demandez-en un nouveau depuis la page de votre compte.
refusal-group = Cette consultation est ouverte à d’autres groupes de parties prenantes que le vôtre. Vous pouvez lire le projet et, une fois publié, le rapport.
refusal-not-open = Ce cycle n’est pas encore ouvert. Il ouvre le { $opens }.
refusal-closed = Ce cycle a été clos le { $closes }. Les soumissions ne sont plus acceptées ; ce qui a été soumis auparavant est conservé.
answered-count = Vous avez répondu à { $answered } dispositions sur { $total }.
toc-answered = répondu
toc-answered-of = { $answered } sur { $total } répondues
toc-provisions = { $total ->
    [one] 1 disposition
   *[other] { $total } dispositions
}
page-of = Page { $number } sur { $count }. Répondez aux dispositions qui vous concernent ; les autres comptent comme « sans avis ».
page-save-hint = Enregistrez avant de quitter cette page par la table des matières ou les liens ci-dessous ; ce que vous avez enregistré sur les autres pages est conservé.
button-save-next = Enregistrer et passer à la page suivante
pager-label = Pages du projet
pager-previous = Page précédente
pager-next = Page suivante
submission-pending = Vous avez enregistré des modifications qui ne sont pas encore soumises : vos réponses soumises comptent telles quelles jusqu’à ce que vous vérifiiez et soumettiez les modifications.
stance-legend = Votre position
stance-support = Pour
stance-support-with-changes = Pour, avec modifications
stance-oppose = Contre
stance-no-position = Sans avis
comment-label = Commentaire (facultatif)
propose-summary = Proposer une autre formulation
propose-label = Formulation proposée
general-heading = Commentaire général
general-label = Ce que vous souhaitez dire sur l’ensemble du projet (facultatif)
disclosure-legend = Comment vos commentaires peuvent-ils être publiés ?
disclosure-attributed = Avec mon nom et mon organisation
disclosure-attributed-hint = Votre nom et votre organisation apparaissent à côté de vos commentaires dans le rapport.
disclosure-organization = Avec mon organisation seulement
disclosure-organization-hint = Votre organisation apparaît, pas votre nom.
disclosure-anonymous = Anonymement
disclosure-anonymous-hint = Seuls votre groupe et votre pays apparaissent, par exemple « un participant de la société civile du Kenya ».
disclosure-confidential = Pas du tout
disclosure-confidential-hint = Vos positions sont comptées dans les chiffres, mais vos commentaires ne sont jamais publiés.
button-save = Enregistrer le brouillon
button-review = Vérifier et soumettre
button-review-changes = Vérifier et soumettre les modifications
button-submit = Soumettre
button-change = Modifier vos réponses
button-withdraw = Retirer ma soumission
withdraw-note = Vous pouvez retirer votre soumission jusqu’à la clôture du cycle. Elle ne sera plus comptée ; vous pourrez soumettre à nouveau plus tard.
review-title = Vérifiez vos réponses avant de soumettre
review-lead = Voici ce qui sera compté. Vous pourrez encore le modifier jusqu’à la clôture du cycle.
review-unanswered = Sans réponse — compté comme « sans avis »
review-submit-note = En soumettant, vous recevez un code de reçu et une copie par courriel.
submission-saved = Votre brouillon a été enregistré. Il n’est pas compté tant que vous ne l’avez pas soumis.
submission-unchanged = Vos modifications sont enregistrées. Vos réponses soumises comptent telles quelles jusqu’à ce que vous utilisiez « Vérifier et soumettre les modifications ».
submission-withdrawn = Votre soumission a été retirée et n’est plus comptée.
submission-general-comment-long = Le commentaire général doit compter au plus 20 000 caractères.
submission-comment-long = Le commentaire doit compter au plus 10 000 caractères.
submission-proposed-long = La formulation proposée doit compter au plus 10 000 caractères.
submission-disclosure-chatham = Ce cycle suit la règle de Chatham House : choisissez « Anonymement » ou « Pas du tout ».
submission-disclosure-missing = Choisissez comment vos commentaires peuvent être publiés.
status-draft = Brouillon enregistré, non soumis
status-submitted = Soumise
status-withdrawn = Retirée
receipt-label = Votre code de reçu :
submitted-title = Soumission reçue
submitted-note = Nous avons envoyé une copie de vos réponses à votre adresse électronique. Conservez le code de reçu : chacun peut le vérifier sur ce site, et il prouve que votre soumission a été reçue.
mine-title = Votre soumission
mine-edit = Modifier votre soumission
mine-closed = Le cycle est clos : votre soumission ne peut plus être modifiée.
mine-history = Historique
revision-heading = Révision
revision-what = Ce qui s’est passé
revision-when = Quand
revision-save = Brouillon enregistré
revision-submit = Soumise
revision-withdraw = Retirée
receipt-title = Vérifier un reçu
receipt-found = Le reçu { $code } est authentique.
receipt-when = Soumise le
receipt-current = C’est la soumission actuelle du participant, et elle est comptée.
receipt-superseded = Le participant a depuis modifié ou retiré cette soumission.
receipt-not-found = Aucune soumission n’a le reçu { $code }. Vérifiez le code et réessayez.
email-receipt-subject = Votre soumission a été reçue
email-receipt-body = Nous avons reçu votre soumission au cycle { $round } de « { $title } ». Voici une copie de vos réponses.
email-receipt-check = Chacun peut vérifier votre reçu ici :

nav-audit = Journal d’audit
cancel = Annuler
admin-consultations = Consultations
new-consultation-title = Nouvelle consultation
new-consultation-submit = Créer la consultation
consultation-created = La consultation a été créée.
consultation-saved = La consultation a été enregistrée.
field-slug = Nom court pour les adresses web
field-slug-hint = Minuscules, chiffres et tirets, par exemple protocole-additionnel.
field-slug-invalid = N’utilisez que des minuscules, des chiffres et des tirets simples.
field-slug-taken = Une autre consultation utilise déjà ce nom court.
field-title = Titre
field-title-invalid = Saisissez un titre d’au plus 300 caractères.
field-summary = Résumé
field-summary-hint = L’objet de la consultation, en termes simples. Le Markdown est accepté.
field-summary-missing = Saisissez un résumé.
field-eligible-groups = Qui peut participer
field-groups-missing = Choisissez au moins un groupe de parties prenantes.
manage-public-page = Voir la page publique
manage-actions = Actions
manage-new-round = Programmer un nouveau cycle
manage-create-round = Programmer le cycle
manage-edit = Modifier la consultation
manage-save = Enregistrer
field-draft-version = Numéro de la version du projet
field-draft-version-missing = Saisissez le numéro d’une version existante.
field-opens-at = Ouverture (UTC)
field-closes-at = Clôture (UTC)
field-time-hint = Année-mois-jour et heure en UTC, par exemple 2026-12-01T09:00.
field-time-invalid = Saisissez une date et une heure comme 2026-12-01T09:00.
field-closes-before-opens = La clôture doit suivre l’ouverture.
field-attribution-missing = Choisissez une règle d’attribution.
field-publish-note = Note pour cette version (facultatif)
field-publish-note-hint = Pour une nouvelle version, dites ce qui a changé.
round-created = Le cycle a été programmé.
draft-imported = La version du projet a été enregistrée.
import-title = Importer une version du projet
import-preview-title = Vérifier le projet importé
import-preview-lead = Voici comment le document a été découpé en dispositions. Enregistrez-le comme version { $version }, ou modifiez le texte et prévisualisez à nouveau.
import-key = clé
import-markdown = Le projet, en Markdown
import-markdown-hint = Chaque titre du niveau choisi commence une disposition. Sa clé vient de son numéro (« Article 3 » → art-3) ou de {"{"}#clé{"}"} à la fin du titre.
import-file = Ou téléversez un fichier Markdown ou Word (.docx) (1 Mo au plus)
import-file-hint = Dans Word, les styles Titre 1, 2, 3… donnent la structure : Titre 2 est le niveau 2, et le style Titre donne le titre. Les listes, le gras et l’italique sont conservés ; les tableaux, images, notes de bas de page et commentaires sont laissés de côté. Acceptez ou refusez d’abord les modifications suivies.
import-docx-left-out = Le fichier Word contenait des éléments que l’import laisse de côté. Vérifiez le texte et ajoutez ce qui manque :
import-docx-left-out-tables = { $count ->
    [one] un tableau
   *[other] { $count } tableaux
}
import-docx-left-out-images = { $count ->
    [one] une image, un dessin ou une zone de texte
   *[other] { $count } images, dessins ou zones de texte
}
import-docx-left-out-equations = { $count ->
    [one] une équation
   *[other] { $count } équations
}
import-docx-left-out-footnotes = { $count ->
    [one] une note de bas de page ou de fin
   *[other] { $count } notes de bas de page ou de fin
}
import-docx-left-out-comments = { $count ->
    [one] un commentaire
   *[other] { $count } commentaires
}
import-docx-left-out-contents = la table des matières
import-level = Niveau de titre qui commence une disposition
import-preview-button = Prévisualiser
import-save = Enregistrer comme version { $version }
action-open = Ouvrir maintenant
action-close = Clore maintenant
action-extend = Prolonger le délai
action-publish = Publier le rapport
confirm-title = Confirmer
confirm-open = Le cycle s’ouvrira immédiatement et les participants pourront soumettre.
confirm-close = Le cycle sera clos immédiatement. Les positions soumises sont conservées ; plus rien ne sera accepté.
confirm-extend = Le cycle acceptera des soumissions jusqu’à la nouvelle clôture. Un cycle clos plus tôt s’ouvre à nouveau.
confirm-publish = Le rapport sera figé tel qu’il est et publié pour tous. Publier à nouveau crée une nouvelle version ; les précédentes restent lisibles.
confirm-notify-open = Les participants admissibles qui l’ont demandé recevront un courriel dans la minute.
confirm-notify-close = Personne n’est prévenu.
confirm-notify-extend = Les participants admissibles qui l’ont demandé recevront un courriel avec le nouveau délai.
confirm-notify-publish = Tous ceux qui ont soumis recevront un courriel avec un lien vers le rapport.
round-open-done = Le cycle est ouvert.
round-close-done = Le cycle est clos.
round-extend-done = Le délai a été prolongé.
round-publish-done = Le rapport a été publié.
action-refused-not-scheduled = Seul un cycle pas encore ouvert peut être ouvert.
action-refused-not-open = Le cycle n’est pas ouvert.
action-refused-published = Le rapport est déjà publié.
action-refused-still-open = Clore le cycle avant d’en publier le rapport.
action-refused-closing-time = La nouvelle clôture doit suivre maintenant, l’ouverture et le délai actuel.
audit-title = Journal d’audit
audit-lead = Chaque action des organisateurs sur les consultations, la plus récente d’abord.
audit-what = Quoi
audit-who = Qui
audit-system = le système
audit-empty = Rien n’a encore été enregistré.
audit-pages = Pages du journal d’audit
audit-newer = Entrées plus récentes
audit-older = Entrées plus anciennes
audit-admin-create = Administrateur créé
audit-user-promote = Rôle changé
audit-participant-verify = Affiliation vérifiée
audit-consultation-create = Consultation créée
audit-consultation-update = Consultation modifiée
audit-draft-import = Version du projet importée
audit-round-create = Cycle programmé
audit-round-open = Cycle ouvert
audit-round-close = Cycle clos
audit-round-extend = Délai prolongé
audit-round-publish = Rapport publié
audit-response-update = Réponse à une disposition rédigée
audit-moderation-hide = Texte masqué par les organisateurs
report-title = Rapport
report-preview-title = Projet de rapport
report-preview-note = Ce projet est calculé à partir des soumissions telles qu’elles sont. Ouvrez chaque disposition pour rédiger votre réponse et modérer ses textes, puis publiez.
report-version = Version { $version }
report-published-on = publiée le
report-not-latest = Ce n’est pas la dernière version.
report-see-latest = Voir la dernière
report-headline = En bref
report-participation = { $total } soumissions, dont { $verified } de participants dont l’affiliation a été vérifiée.
report-in-campaigns = { $count } soumissions contiennent des commentaires faisant partie d’une campagne de textes identiques ou presque.
report-by-group = Soumissions par groupe de parties prenantes
report-submissions = Soumissions
report-of-which-verified = Dont vérifiées
report-verdicts = Verdict par disposition
report-parts = Parties du projet
report-matrix-heading = Soutien par disposition et par groupe de parties prenantes
report-matrix-description = Chaque ligne est une disposition et chaque colonne un groupe de parties prenantes ; chaque case donne la part de soutien du groupe et, entre parenthèses, combien de membres du groupe ont pris position. Les mêmes chiffres suivent sous forme de tableau.
report-matrix-how = Dans chaque case : la part de soutien du groupe et (combien de ses membres ont pris position).
report-matrix-high = Soutien des deux tiers ou plus
report-matrix-middle = Entre un et deux tiers
report-matrix-low = Soutien d’un tiers ou moins
report-matrix-too-few = Moins de { $min } réponses : hors de l’équilibre
report-matrix-table = Les mêmes chiffres sous forme de tableau
report-matrix-caption = Part de soutien de chaque groupe de parties prenantes pour chaque disposition, avec entre parenthèses combien de membres du groupe ont pris position
report-lowest = Groupe le plus bas :
report-every-group = chaque groupe ≥ { $share }
report-score-note = Le score de consensus est sur 100 : il se lit comme le soutien d’un groupe typique, et baisse dès qu’un seul groupe refuse son soutien.
report-provision-text = Texte de la disposition
report-balanced = Soutien équilibré entre groupes :
report-score = Score de consensus (sur 100) :
report-table-caption = Positions par groupe de parties prenantes (entre parenthèses : dont affiliation vérifiée)
report-support-share = Part de soutien
report-too-few = trop peu pour compter dans l’équilibre
report-all-groups = Tous les groupes
report-verified-note = Les chiffres entre parenthèses comptent les participants dont les organisateurs ont vérifié l’affiliation.
report-response = La réponse des organisateurs
report-no-response = Les organisateurs n’ont pas répondu sur cette disposition.
report-response-label = Ce que nous avons entendu, et ce que nous avons changé (Markdown)
report-response-save = Enregistrer la réponse
response-saved = La réponse a été enregistrée.
report-campaigns = Campagnes
report-campaign-count = Envoyé { $count } fois
report-comments = Commentaires
report-proposals = { $count } formulations proposées
report-hidden = Masqué par les organisateurs : { $reason }
report-unattributed = Un participant
report-no-comments = Aucun commentaire n’a été publié sur cette disposition.
report-general-comments = Commentaires généraux
report-by-place = Participation par région et par pays
report-by-region = Par région (M49 de l’ONU)
report-region = Région
report-by-country = Par pays
report-methodology = Comment les chiffres sont établis
method-counted = Chaque position soumise compte, y compris celles dont le texte est confidentiel. Les soumissions retirées et les brouillons non soumis ne comptent pas.
method-share = La part de soutien d’un groupe est le nombre de réponses « pour » et « pour, avec modifications » divisé par ses réponses autres que « sans avis ».
method-balanced = Le soutien équilibré est la moyenne des parts de soutien des groupes, en ne comptant que les groupes ayant au moins { $min } réponses, pour qu’aucun groupe n’écrase les autres par son nombre.
method-score = Le score de consensus est la moyenne géométrique, sur ces groupes, de (soutiens + 1) / (réponses + 2), multipliée par 100 : il se lit comme le soutien d’un groupe typique, et reste bas dès qu’un seul groupe refuse son soutien. Les données ouvertes donnent le produit sur les groupes (consensus_score) ; le score affiché en est la racine k-ième multipliée par 100, pour k groupes.
method-labels = « Consensus » signifie que chaque groupe compté soutient aux deux tiers ou plus ; « large soutien », que le soutien équilibré atteint les deux tiers mais qu’un groupe est en dessous ; « opposition », que l’opposition équilibrée atteint les deux tiers ; sinon « partagé ».
method-verified = Les chiffres entre parenthèses ne comptent que les participants dont les organisateurs ont vérifié l’affiliation déclarée.
method-campaigns = Les commentaires dont les mots sont identiques ou presque (similarité de Jaccard des séquences de mots de 0,8 ou plus) sont présentés une fois comme une campagne, avec leur nombre d’envois.
method-disclosure = Chaque commentaire est publié avec seulement ce que son auteur a autorisé : nom et organisation, organisation, groupe et pays, ou rien. Sous la règle de Chatham House, aucun commentaire ne porte d’affiliation. Chaque chiffre peut être recalculé à partir du téléchargement CSV.
method-divisions = Une partie, un chapitre, une section ou une annexe a une ligne de sous-total : ses réponses sont la somme des réponses de ses dispositions, et son soutien équilibré entre groupes est la moyenne du soutien équilibré de ses dispositions (sans celles qui ont trop peu de réponses), non un chiffre recalculé sur l’ensemble des positions. Le CSV donne la division de chaque position dans sa colonne division_key.
report-division-subtotal = Sous-total
report-downloads = Données ouvertes
report-csv = Toutes les positions comptées (CSV)
report-json = Chiffres, réponses et commentaires (JSON)
report-versions = Versions
report-texts-count = { $count ->
    [one] { $count } texte publié
   *[other] { $count } textes publiés
}
report-provisions-caption = Chaque disposition : le verdict, les chiffres qui le fondent et le nombre de textes publiés ; ouvrez une disposition pour son graphique, son tableau, la réponse et les textes
report-provision = Disposition
report-verdict = Verdict
report-responses = Réponses
report-answered = réponse des organisateurs
report-page-of = page { $page } sur { $pages }
report-pages = Pages de textes
report-previous-page = ← Page précédente
report-next-page = Page suivante →
report-all-texts = Lire les { $count } textes publiés
label-consensus = Consensus
label-broad-support = Large soutien
label-divided = Partagé
label-opposed = Opposition
label-not-enough = Trop peu de réponses
chart-description = Positions par groupe de parties prenantes sur
chart-responses = réponses
region-africa = Afrique
region-americas = Amériques
region-asia = Asie
region-europe = Europe
region-oceania = Océanie
region-antarctica = Antarctique
region-unknown = Non indiquée
moderation-reason = Motif
moderation-hide = Masquer ce texte
text-hidden = Le texte a été masqué ; il est toujours compté.
email-unsubscribe = Pour ne plus recevoir ces courriels, modifiez vos préférences :
email-round-opened-subject = Un cycle de consultation est ouvert
email-round-opened-body = Le cycle { $round } de « { $title } » est ouvert aux commentaires jusqu’au { $closes }.
email-round-reminder-subject = Un cycle se termine bientôt
email-round-reminder-body = Le cycle { $round } de « { $title } » se termine le { $closes }. Vous n’avez pas encore soumis.
email-round-extended-subject = Un délai a été prolongé
email-round-extended-body = Le cycle { $round } de « { $title } » se termine désormais le { $closes }.
email-report-published-subject = Le rapport est publié
email-report-published-body = Le rapport du cycle { $round } de « { $title } », auquel vous avez contribué, est publié.
diff-show = Afficher les changements par rapport à la version précédente
diff-hide = Afficher le texte sans marques
change-added = Nouveau
change-changed = Modifié
change-unchanged = Inchangé
change-removed = Supprimé
change-moved = Déplacé
change-moved-from = Déplacé depuis { $division }
change-division-removed = Supprimé, avec son contenu
round-read-report = Lire le rapport de ce cycle
admin-moderation = Textes à relire avant publication
admin-moderation-none = Aucun texte n’attend de relecture.
language-en = anglais
language-fr = français
translation-note = Vous lisez une traduction.
translation-read-original = Lire l’original en { $language }
translation-original-note = Vous lisez les textes originaux, en { $language }.
translation-read-translation = Lire la traduction
translation-changes-note = Les changements sont montrés entre les textes originaux, en { $language }.
audit-draft-translate = Traduction d’une version du projet enregistrée
translation-title = Traduction de la version { $version } en { $language }
translation-lead = Collez ou téléversez le texte en { $language }. Il est découpé comme l’original, au niveau de titre { $level }, et doit avoir exactement les mêmes dispositions : gardez le numéro ou la {"{"}#clé{"}"} de chaque titre.
translation-replacing = L’enregistrement remplace la traduction déjà enregistrée, reprise ci-dessous.
translation-keys = Les clés des dispositions de l’original
translation-markdown = La traduction en { $language }, en Markdown
translation-markdown-hint = Un titre au-dessus des dispositions donne le titre traduit, et le texte avant la première disposition le préambule traduit.
translation-preview-title = Vérifier la traduction
translation-preview-lead = Voici comment la traduction correspond à l’original, disposition par disposition. Enregistrez-la, ou modifiez le texte et prévisualisez à nouveau.
translation-original = Original :
translation-save = Enregistrer la traduction
translation-saved = La traduction a été enregistrée.
translation-error-missing = Ces dispositions de l’original manquent dans la traduction :
translation-error-extra = La traduction contient des dispositions absentes de l’original :
manage-translation-add = Ajouter la traduction en { $language }
manage-translation-replace = Remplacer la traduction en { $language }
manage-translation-legend = En { $language } (traduction)
manage-translation-hint = Les lecteurs qui utilisent le { $language } voient ces textes ; laissez-les vides pour montrer l’original à tous.
field-translated-title = Titre
field-translated-summary = Résumé
translation-prefilled = Le formulaire reprend la traduction de la version { $version } : mettez à jour les dispositions modifiées avant d’enregistrer.

# The report's search and permalinks
search-title = Trouver ce qui a été dit
search-in-report = Chercher dans les textes publiés
search-filters = Chercher avec des filtres (disposition, groupe, lieu, position, organisation)
search-words = Mots
search-words-hint = Les textes qui contiennent tous les mots ; accents et majuscules sont indifférents.
search-provision = Disposition
search-stance = Position
search-any = Toutes
search-organization-hint = Une partie du nom suffit.
search-chatham = Sous la règle de Chatham House, les textes ne portent aucune affiliation : on ne peut pas les chercher par groupe, lieu ou organisation.
search-submit = Chercher
search-results = { $total ->
    [1] 1 texte publié trouvé
   *[other] { $total } textes publiés trouvés
}
search-none = Aucun texte publié ne correspond. Essayez moins de mots ou de filtres.
search-permalink = Lien permanent vers ce texte
text-title = Un texte publié
admin-participants = Participants
admin-count-participants = { $count ->
    [one] Un participant s’est inscrit.
   *[other] { $count } participants se sont inscrits.
}
admin-count-awaiting = { $count ->
    [0] Aucune affiliation n’attend de vérification
    [one] Une affiliation à vérifier
   *[other] { $count } affiliations à vérifier
}
admin-count-unconfirmed = { $count ->
    [0] Tous les participants ont confirmé leur adresse électronique
    [one] Un participant n’a pas confirmé son adresse électronique
   *[other] { $count } participants n’ont pas confirmé leur adresse électronique
}
audit-rule-create = Règle de vérification ajoutée
audit-rule-delete = Règle de vérification supprimée
participants-title = Participants
participants-filters = Trouver des participants
participants-search = Nom, adresse électronique ou organisation
participants-search-hint = Une partie d’un mot suffit ; les majuscules ne comptent pas.
participants-apply = Appliquer
participants-clear = Effacer les filtres
participants-found = { $count ->
    [0] Aucun participant trouvé
    [one] Un participant trouvé
   *[other] { $count } participants trouvés
}
participants-none = Aucun participant ne correspond à ces filtres.
participants-name = Nom
participants-signed-up = Inscription
participants-verified = Affiliation vérifiée
participants-confirmed = Adresse confirmée
participants-yes = Oui
participants-no = Non
participants-select = Sélectionner
participants-verify-selected = Vérifier l’affiliation des participants sélectionnés
participants-none-selected = Cochez au moins un participant à vérifier.
participants-verified-flash = L’affiliation des participants sélectionnés est vérifiée.
rules-title = Règles de vérification
rules-lead = Une règle vérifie l’affiliation de chaque participant dont l’adresse électronique confirmée appartient à un domaine (ou à l’un de ses sous-domaines) et qui a déclaré le groupe de parties prenantes et le pays de la règle : ceux qui s’y trouvent quand vous la confirmez, et ceux qui confirmeront leur adresse plus tard.
rules-otherwise = Les personnes du domaine qui ont déclaré un autre groupe ou un autre pays ne sont pas modifiées : vous voyez leur nombre avant de confirmer et pouvez les vérifier une par une.
rules-new = Ajouter une règle
rules-list = Règles en vigueur
rules-none = Il n’y a pas encore de règle.
rule-domain = Domaine de l’adresse électronique
rule-domain-hint = Par exemple canada.ca : la règle couvre aussi international.canada.ca.
rule-domain-missing = Saisissez le domaine des adresses électroniques, comme canada.ca.
rule-domain-invalid = Saisissez un domaine au bon format, comme canada.ca, sans espace ni accent.
rule-domain-public = Tout le monde peut obtenir une adresse chez ce fournisseur de messagerie public : il ne peut pas vérifier une affiliation. Choisissez le domaine propre d’une organisation.
rule-exists = Cette règle existe déjà.
rule-check = Voir ce que ferait cette règle
rule-preview-title = Vérifiez la règle avant de la confirmer
rule-preview-rule = Les adresses de { $domain } sont vérifiées comme { $group }, { $country }.
rule-preview-to-verify = { $count ->
    [0] Aucun participant ne serait vérifié maintenant.
    [one] Un participant serait vérifié maintenant.
   *[other] { $count } participants seraient vérifiés maintenant.
}
rule-preview-otherwise = { $count ->
    [0] Personne de ce domaine n’a déclaré un autre groupe ou un autre pays.
    [one] Un participant de ce domaine a déclaré un autre groupe ou un autre pays et ne sera pas modifié.
   *[other] { $count } participants de ce domaine ont déclaré un autre groupe ou un autre pays et ne seront pas modifiés.
}
rule-preview-later = Les participants qui confirmeront plus tard une adresse de ce domaine, avec ce groupe et ce pays, seront vérifiés à ce moment-là. Chaque vérification est inscrite au journal d’audit avec la règle.
rule-confirm = { $count ->
    [one] Confirmer la règle et vérifier un participant
   *[other] Confirmer la règle et vérifier { $count } participants
}
rule-change = Modifier la règle
rule-otherwise-heading = Déclarations différentes (non modifiées)
rule-otherwise-more = Seuls les 50 premiers sont listés.
rule-verified-count = Vérifiés par la règle
rule-created = Ajoutée le
rule-delete = Supprimer
rule-delete-hint = Supprimer une règle l’empêche de vérifier de nouveaux participants ; ceux qu’elle a vérifiés restent vérifiés.
rule-created-flash = La règle est enregistrée et les participants qu’elle couvre sont vérifiés.
rule-deleted = La règle est supprimée. Les participants qu’elle a vérifiés restent vérifiés.

report-job-computing = Les chiffres sont en cours de calcul à partir des soumissions telles qu’elles sont maintenant.
report-job-waiting = En attente du démarrage d’un processus de calcul.
report-job-progress = { $percent } % effectué
report-job-refresh = Cette page se met à jour toute seule toutes les deux secondes. Vous pouvez la quitter et revenir : les chiffres sont conservés une fois calculés.
report-job-retrying = La dernière tentative a échoué : { $error }. Elle sera reprise le
report-job-failed = Les chiffres n’ont pas pu être calculés
report-job-retry = Réessayer
report-job-retried = Les chiffres vont être calculés de nouveau.
report-job-previous = Lire les chiffres calculés précédemment
report-job-as-of = Chiffres au
report-job-changed-since = { $count } soumissions faites ou modifiées depuis. Des chiffres à jour sont en cours de calcul.
report-job-publish-wait = Les chiffres sont en cours de calcul à partir des dernières données. Publiez quand ils sont prêts : le rapport publié reprendra exactement ces chiffres.

## L’espace d’analyse
nav-analysis = Analyse
analysts-title = Analystes
analysts-intro = Les analystes lisent tous les textes soumis de cette consultation, y compris les textes confidentiels, et les codent avec ses étiquettes. Ils ne peuvent ni publier, ni masquer de textes, ni modifier les cycles.
analysis-open-workspace = Ouvrir l’espace d’analyse
analysts-none = Aucun analyste n’a encore été désigné.
analyst-remove = Retirer
analyst-add = Désigner comme analyste
field-analyst-email = Adresse électronique de l’analyste
field-analyst-email-hint = L’adresse d’un compte existant.
analyst-added = L’analyste a été désigné.
analyst-removed = L’analyste a été retiré.
analyst-already = Cette personne est déjà analyste de cette consultation.
analyst-email-missing = Saisissez l’adresse électronique d’un compte.
analyst-no-account = Aucun compte n’a cette adresse électronique. Demandez d’abord à la personne de s’inscrire.
analysis-title = Analyse
analysis-mine-title = Les consultations que vous analysez
analysis-codebook = Grille de codage
analysis-no-tags = La grille de codage n’a pas encore d’étiquette.
tag-new = Ajouter ou modifier une étiquette
tag-rename-hint = Choisissez une étiquette existante pour la renommer, la décrire ou la placer sous une autre ; choisissez « une nouvelle étiquette » pour en ajouter une.
tag-which = Étiquette
tag-which-new = Une nouvelle étiquette
tag-label = Libellé
tag-translated-label = Libellé dans l’autre langue
tag-description = Description
tag-parent = Sous
tag-parent-none = Rien (une étiquette de premier niveau)
tag-save = Enregistrer l’étiquette
tag-saved = L’étiquette a été enregistrée.
tag-delete = Supprimer
tag-deleted = L’étiquette a été supprimée ; ses étiquetages restent dans l’historique.
tag-label-invalid = Saisissez un libellé de 80 caractères au plus.
tag-label-taken = Une autre étiquette porte déjà ce libellé.
tag-parent-invalid = Une étiquette ne peut aller que sous une étiquette de premier niveau, et une étiquette qui en a d’autres sous elle reste au premier niveau.
analysis-queue-title = Votre file
analysis-queue-link = Votre file : { $count } textes à coder
analysis-queue-count = { $undone } textes à coder, { $done } faits.
analysis-queue-empty = Il ne reste rien dans votre file.
analysis-next-text = Texte suivant
analysis-progress = Avancement par disposition
analysis-coded = Codés
analysis-uncoded = Non codés
analysis-total = Textes
analysis-words-hint = Les textes qui contiennent chaque mot, en français ou en anglais : « réglementations » trouve aussi « réglementation » ; les accents et les majuscules ne comptent pas.
analysis-filters = Filtres
analysis-disclosure = Publication
analysis-verified-filter = Affiliation vérifiée
analysis-verified = affiliation vérifiée
analysis-yes = Oui
analysis-no = Non
analysis-tag = Étiquette
analysis-analyst = Attribué à
analysis-coded-filter = Codé ou non
analysis-division = Division
analysis-results = { $total ->
    [one] 1 texte trouvé
   *[other] { $total } textes trouvés
}
analysis-none = Aucun texte ne correspond à cette recherche.
analysis-select = Sélectionner
analysis-read-all = Lire tout le texte et l’étiqueter
analysis-open-text = Ouvrir et étiqueter
analysis-confidential = Confidentiel — ne jamais citer
analysis-proposed = Formulation proposée
analysis-tags = Étiquettes
analysis-bulk = Étiqueter plusieurs textes
analysis-tag-selected = Étiqueter les textes sélectionnés
analysis-tag-all = Étiqueter les { $total } résultats de cette recherche
analysis-choose-tag = Choisissez une étiquette.
analysis-choose-texts = Sélectionnez au moins un texte, ou étiquetez tous les résultats.
analysis-batch-title = Textes étiquetés
analysis-batch-count = { $count ->
    [one] 1 texte étiqueté dans ce lot.
   *[other] { $count } textes étiquetés dans ce lot.
}
analysis-batch-undo = Annuler tout ce lot
analysis-batch-undone = Le lot a été annulé.
analysis-back = Retour à la recherche
analysis-assign = Répartir les textes non codés de cette recherche
analysis-assign-hint = Les textes de cette recherche qui ne sont ni codés ni attribués sont distribués à tour de rôle aux analystes choisis.
analysis-assign-submit = Attribuer
analysis-choose-analysts = Choisissez au moins un analyste de cette consultation.
analysis-assigned = Les textes ont été attribués.
analysis-save = Enregistrer
analysis-save-next = Enregistrer et passer au texte suivant
analysis-text-saved = Les étiquettes ont été enregistrées.
analysis-history = Historique des étiquetages
analysis-undo = Annuler
analysis-undone = annulé
analysis-tagging-undone = L’étiquetage a été annulé.
disclosure-short-attributed = Nom et organisation
disclosure-short-organization = Organisation seulement
disclosure-short-anonymous = Anonyme
disclosure-short-confidential = Confidentiel
audit-tag-create = Étiquette ajoutée à la grille de codage
audit-tag-update = Étiquette de la grille de codage modifiée
audit-tag-delete = Étiquette supprimée de la grille de codage
audit-analyst-add = Analyste désigné
audit-analyst-remove = Analyste retiré
audit-analysis-assign = Textes attribués aux analystes

# Dispositions and what we heard
audit-disposition-propose = Suite proposée
audit-disposition-confirm = Suite enregistrée
disposition-accepted = Retenu
disposition-partly-accepted = Retenu en partie
disposition-not-accepted = Non retenu
disposition-out-of-scope = Hors sujet
disposition-state-proposed = proposée par un analyste
disposition-state-confirmed = confirmée
disposition-summary = Suite donnée
disposition-label = Décision
disposition-reason = Motif (Markdown)
disposition-confirm = Enregistrer
disposition-propose = Proposer
disposition-error-unknown = Choisissez retenu, retenu en partie, non retenu ou hors sujet.
disposition-error-too-long = Le motif ne doit pas dépasser 5 000 caractères.
disposition-error-confirmed = Un organisateur a confirmé la suite donnée à ce texte ; seul un organisateur peut la modifier.
disposition-recorded = La suite donnée a été enregistrée.
disposition-proposed = La suite donnée a été proposée ; un organisateur la confirme.
disposition-title = Suite donnée à un texte
disposition-back = Retour au projet de rapport
disposition-kind-position = Commentaire sur
disposition-kind-general = Commentaire général
disposition-confidential = Confidentiel : compté et analysé, jamais cité ni publié.
disposition-hidden = Masqué par les organisateurs : la suite donnée n’est jamais publiée.
disposition-reason-recorded = Motif enregistré
disposition-hint = Les analystes proposent ; un organisateur enregistre ou confirme. Seules les suites confirmées des textes publiés figurent dans le rapport, avec leur motif.
disposition-decision = Décision des organisateurs :
disposition-citations = Suites données à citer
disposition-citations-hint = Suites confirmées des textes de cette disposition. Chaque lien est l’adresse permanente du texte dans le rapport publié ; collez-le dans votre réponse.
themes-heading = Ce que nous avons entendu
themes-caption = Thèmes soulevés, par groupe de parties prenantes : textes portant chaque thème (avec leurs positions)
themes-theme = Thème
themes-note = Un thème compte chaque texte soumis qui le porte, y compris les textes confidentiels. Lorsque moins de { $min } textes d’un groupe portent un thème, le rapport l’indique sans leur nombre ni leurs positions, afin que personne ne puisse être reconnu.
themes-too-few = moins de { $min }
dispositions-heading = Ce que les organisateurs ont décidé
dispositions-caption = Textes publiés par suite donnée et groupe de parties prenantes
dispositions-decision = Suite donnée
dispositions-overview-caption = Textes publiés par suite donnée, pour chaque disposition
method-themes = « Ce que nous avons entendu » compte, pour chaque thème de la grille de codage des organisateurs, les textes soumis de chaque groupe qui le portent, avec leurs positions. Un nombre inférieur à la taille minimale d’un groupe est affiché « moins de » cette taille. Le CSV donne les thèmes de chaque texte publié dans sa colonne tags.
method-dispositions = La suite donnée (retenu, retenu en partie, non retenu, hors sujet) est publiée avec le texte auquel elle répond, une fois confirmée par un organisateur ; les nombres ne comptent que les textes publiés. Les textes masqués et confidentiels ne montrent jamais la leur.
earlier-intro = Le rapport du cycle { $number } est publié. À côté de chaque disposition figurent votre propre réponse lors de ce cycle, son résultat par groupe de parties prenantes et la réponse des organisateurs.
earlier-start = Reprendre mes réponses précédentes
earlier-start-hint = { $count ->
    [one] Reporte votre position du cycle { $number } sur la disposition restée inchangée à laquelle vous n’avez pas encore répondu.
   *[other] Reporte vos positions du cycle { $number } sur les { $count } dispositions restées inchangées auxquelles vous n’avez pas encore répondu.
} Les dispositions modifiées vous sont laissées à examiner ; rien n’est soumis.
earlier-removed = Supprimées depuis le cycle { $number } :
earlier-heading = Au cycle { $number }
earlier-changed = Modifiée depuis le cycle { $number } : voir les modifications
earlier-your-stance = Votre position :
earlier-not-answered = Vous n’aviez pas répondu sur cette disposition.
earlier-your-comment = Votre commentaire
earlier-figures = Résultat publié, puis soutien par groupe (réponses) :
earlier-response = La réponse des organisateurs
earlier-carried = Vos positions précédentes ont été reportées sur les dispositions restées inchangées. Examinez les dispositions modifiées, puis enregistrez.
earlier-nothing-to-carry = Il n’y avait rien à reporter : chaque disposition restée inchangée a déjà une position.
changed-mind-label = Ce qui vous a fait changer d’avis depuis le cycle { $number } (facultatif)
changed-mind-hint = À côté de chaque disposition du cycle { $number }, vous pouvez aussi dire ce qui vous a fait changer d’avis : les organisateurs et les analystes le lisent avec votre réponse.
submission-changed-mind-long = Ce qui vous a fait changer d’avis doit compter au plus 10 000 caractères.
audit-round-link = Cycle précédent modifié
round-settings = Paramètres
round-settings-title = Paramètres du cycle { $number }
round-settings-saved = Les paramètres du cycle ont été enregistrés.
round-follows = fait suite au cycle { $number }
field-follows-round = Fait suite à
field-follows-round-hint = Une fois publié le rapport du cycle auquel il fait suite, les participants voient à côté de chaque disposition leurs réponses lors de ce cycle, son résultat par groupe et la réponse des organisateurs, et peuvent reprendre leurs positions précédentes.
follows-none = Aucun cycle précédent
round-follows-not-earlier = Choisissez un cycle antérieur de cette consultation, ou aucun.
analysis-changed-mind = Ce qui l’a fait changer d’avis depuis le cycle précédent :
