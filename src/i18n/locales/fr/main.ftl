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
